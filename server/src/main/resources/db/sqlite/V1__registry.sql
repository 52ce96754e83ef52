-- cloudmap-dns registry, schema 1. Applied in one transaction together with user_version = 1.
-- Every table keeps its rows' rowid across upserts, so ORDER BY rowid is creation order.
-- Instants are ISO-8601 text (Instant.toString), enums their names, JSON only for maps and lists.

PRAGMA application_id = 1129137230; -- 0x434D444E, "CMDN"

-- The registry version of the last committed change set. Exactly one row.
CREATE TABLE meta (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO meta (id, version) VALUES (1, 0);

CREATE TABLE namespaces (
  id                 TEXT    NOT NULL PRIMARY KEY,
  arn                TEXT,
  name               TEXT    NOT NULL,
  type               TEXT    NOT NULL, -- HTTP, DNS_PRIVATE, DNS_PUBLIC
  description        TEXT,
  soa_ttl            INTEGER NOT NULL,
  vpc                TEXT,
  creator_request_id TEXT,
  create_date        TEXT    NOT NULL
);

-- A service without DnsConfig has routing_policy and dns_records NULL; a health configuration is
-- absent when its type (active) or failure threshold (custom) is NULL.
CREATE TABLE services (
  id                              TEXT    NOT NULL PRIMARY KEY,
  arn                             TEXT,
  name                            TEXT    NOT NULL,
  namespace_id                    TEXT    NOT NULL REFERENCES namespaces (id),
  description                     TEXT,
  routing_policy                  TEXT,    -- MULTIVALUE, WEIGHTED
  dns_records                     TEXT,    -- JSON: [{"type":"A","ttl":60}, ...]
  health_check_type               TEXT,    -- HTTP, HTTPS, TCP
  health_check_resource_path      TEXT,
  health_check_failure_threshold  INTEGER,
  custom_health_failure_threshold INTEGER,
  creator_request_id              TEXT,
  create_date                     TEXT    NOT NULL,
  instances_revision              INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX services_by_namespace ON services (namespace_id);

-- health is what was last stored; for services with active checks it is found again at start-up.
CREATE TABLE instances (
  service_id         TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  id                 TEXT NOT NULL,
  attributes         TEXT NOT NULL, -- JSON object
  creator_request_id TEXT,
  registered_at      TEXT NOT NULL,
  health             TEXT NOT NULL, -- HEALTHY, UNHEALTHY, UNKNOWN
  PRIMARY KEY (service_id, id)
);

-- Tags of namespaces and services, by resource id, in the order they were set.
CREATE TABLE tags (
  resource_id TEXT NOT NULL,
  key         TEXT NOT NULL,
  value       TEXT,
  PRIMARY KEY (resource_id, key)
);

CREATE TABLE service_attributes (
  service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  key        TEXT NOT NULL,
  value      TEXT,
  PRIMARY KEY (service_id, key)
);

-- The newest operations (RegistryState.MAX_OPERATIONS), seq giving their order.
CREATE TABLE operations (
  seq         INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL UNIQUE,
  type        TEXT    NOT NULL,
  status      TEXT    NOT NULL,
  targets     TEXT    NOT NULL, -- JSON object: {"NAMESPACE":"ns-...","SERVICE":"srv-...",...}
  create_date TEXT    NOT NULL,
  update_date TEXT    NOT NULL,
  request_id  TEXT,
  region      TEXT    NOT NULL
);
