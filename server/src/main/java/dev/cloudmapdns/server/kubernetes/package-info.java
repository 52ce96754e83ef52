/**
 * The Kubernetes watcher: pods of ECS services (KECS's own pods, or any pod with our annotations)
 * register themselves, with their readiness as their health. {@link
 * dev.cloudmapdns.server.kubernetes.PodMapper} turns one pod into the instances it wants (or a
 * reason to skip it) without any I/O; {@link dev.cloudmapdns.server.kubernetes.ReconcilePlan}
 * compares what the pods want with what the registry holds and lists the commands that close the
 * gap; {@link dev.cloudmapdns.server.kubernetes.PodWatcher} is the plumbing around them: a Fabric8
 * shared informer whose handlers only mark pods dirty, one reconcile thread, and the warnings (a
 * log line and a Kubernetes Event) for pods it has to skip. See docs/kubernetes.md.
 */
package dev.cloudmapdns.server.kubernetes;
