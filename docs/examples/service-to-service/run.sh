#!/usr/bin/env bash
# Two backends and a frontend, registered through the aws CLI with HTTP health checks; kills one
# backend and shows it leave DNS, then brings it back. Everything runs on loopback; every process
# this script starts is stopped when it ends. Needs: Java 17+, the aws CLI, dig.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd ../../.. && pwd)"
JAR="$ROOT/server/target/cloudmap-dns.jar"
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && ./mvnw -q -pl server -am package -DskipTests)
fi

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
export AWS_DISABLE_HOST_PREFIX_INJECTION=true AWS_PAGER="" AWS_CONFIG_FILE=/dev/null
E="--endpoint-url http://localhost:5373"
SD="aws servicediscovery"
DIG="dig @127.0.0.1 -p 8053 +short"

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
await() { # await SECONDS COMMAND...: retry every 0.2 s until the command succeeds
  local until=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$until" ]; then echo "timed out: $*" >&2; return 1; fi
    sleep 0.2
  done
}
answers() { $DIG "$1" A | sort | tr '\n' ' '; }
answers_are() { [ "$(answers "$1")" = "$2" ]; }

step "start cloudmap-dns (checks every 1 s) and the services"
# --store=memory: a throwaway run, so a second run starts from scratch too.
java -jar "$JAR" --store=memory --cloudmap.health.interval=1s > server.log 2>&1 & PIDS+=($!)
java Backend.java backend-1 127.0.0.11 18081 > backend-1.log 2>&1 & B1=$!; PIDS+=($B1)
java Backend.java backend-2 127.0.0.12 18081 > backend-2.log 2>&1 & PIDS+=($!)
java Frontend.java 127.0.0.13 18080 8053 18081 > frontend.log 2>&1 & PIDS+=($!)
await 60 curl -sf http://127.0.0.1:5373/health
await 60 curl -sf http://127.0.0.11:18081/health
await 60 curl -sf http://127.0.0.12:18081/health
await 60 curl -s http://127.0.0.13:18080/health

step "register them through the Cloud Map API"
op=$($SD create-private-dns-namespace --name app.local --vpc vpc-default $E --query OperationId --output text)
ns=$($SD get-operation --operation-id "$op" $E --query Operation.Targets.NAMESPACE --output text)
backend=$($SD create-service --name backend-api --namespace-id "$ns" $E \
  --dns-config "NamespaceId=$ns,DnsRecords=[{Type=A,TTL=0}]" \
  --health-check-config "Type=HTTP,ResourcePath=/health,FailureThreshold=2" --query Service.Id --output text)
frontend=$($SD create-service --name frontend --namespace-id "$ns" $E \
  --dns-config "NamespaceId=$ns,DnsRecords=[{Type=A,TTL=0}]" \
  --health-check-config "Type=HTTP,ResourcePath=/health,FailureThreshold=1" --query Service.Id --output text)
$SD register-instance --service-id "$backend" --instance-id backend-1 $E \
  --attributes AWS_INSTANCE_IPV4=127.0.0.11,AWS_INSTANCE_PORT=18081 > /dev/null
$SD register-instance --service-id "$backend" --instance-id backend-2 $E \
  --attributes AWS_INSTANCE_IPV4=127.0.0.12,AWS_INSTANCE_PORT=18081 > /dev/null
$SD register-instance --service-id "$frontend" --instance-id frontend-1 $E \
  --attributes AWS_INSTANCE_IPV4=127.0.0.13,AWS_INSTANCE_PORT=18080 > /dev/null

await 10 answers_are backend-api.app.local "127.0.0.11 127.0.0.12 "
await 10 answers_are frontend.app.local "127.0.0.13 "
step "dig backend-api.app.local / frontend.app.local"
echo "backend-api: $(answers backend-api.app.local)"
echo "frontend:    $(answers frontend.app.local)"
echo "frontend /health: $(curl -s http://127.0.0.13:18080/health)"
$SD discover-instances --namespace-name app.local --service-name backend-api $E \
  --query 'Instances[].[InstanceId,HealthStatus]' --output text

step "kill backend-1: it leaves DNS within FailureThreshold (2) x interval (1 s)"
kill "$B1"; killed=$(date +%s%N)
await 10 answers_are backend-api.app.local "127.0.0.12 "
echo "backend-api: $(answers backend-api.app.local)  (gone after $(( ($(date +%s%N) - killed) / 1000000 )) ms)"
$SD get-instances-health-status --service-id "$backend" $E --query Status --output json
grep "health transition.*instance=backend-1" server.log | tail -1

step "restart backend-1: it comes back after 2 passing checks"
java Backend.java backend-1 127.0.0.11 18081 > backend-1.log 2>&1 & PIDS+=($!)
await 20 answers_are backend-api.app.local "127.0.0.11 127.0.0.12 "
echo "backend-api: $(answers backend-api.app.local)"
echo
echo "Watch it live: grpcurl -plaintext -d '{\"namespace_name\":\"app.local\"}' 127.0.0.1:9953 cloudmapdns.v1.RegistryWatch/Watch"
