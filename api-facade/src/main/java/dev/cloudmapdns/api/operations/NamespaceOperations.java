package dev.cloudmapdns.api.operations;

import dev.cloudmapdns.api.backend.CloudMapBackend;
import dev.cloudmapdns.api.backend.NamespaceCreation;
import dev.cloudmapdns.api.backend.NamespaceUpdate;
import dev.cloudmapdns.api.shapes.DnsProperties;
import dev.cloudmapdns.api.shapes.Filter;
import dev.cloudmapdns.api.shapes.Namespace;
import dev.cloudmapdns.api.shapes.Tag;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** Create, update, delete, get and list namespaces. */
final class NamespaceOperations {
  record CreateHttpNamespaceRequest(
      String name, String creatorRequestId, String description, List<Tag> tags) {}

  record CreatePrivateDnsNamespaceRequest(
      String name,
      String creatorRequestId,
      String description,
      String vpc,
      List<Tag> tags,
      DnsNamespaceProperties properties) {}

  record CreatePublicDnsNamespaceRequest(
      String name,
      String creatorRequestId,
      String description,
      List<Tag> tags,
      DnsNamespaceProperties properties) {}

  /** Private and public DNS namespaces' properties and property changes: one shape on the wire. */
  record DnsNamespaceProperties(DnsProperties dnsProperties) {
    Long soaTtl() {
      return dnsProperties == null || dnsProperties.soa() == null
          ? null
          : dnsProperties.soa().ttl();
    }
  }

  record UpdateHttpNamespaceRequest(
      String id, String updaterRequestId, HttpNamespaceChange namespace) {}

  record HttpNamespaceChange(String description) {}

  record UpdateDnsNamespaceRequest(
      String id, String updaterRequestId, DnsNamespaceChange namespace) {}

  record DnsNamespaceChange(String description, DnsNamespaceProperties properties) {}

  record ListNamespacesRequest(String nextToken, Integer maxResults, List<Filter> filters) {}

  record NamespaceResponse(Namespace namespace) {}

  record ListNamespacesResponse(List<Namespace> namespaces, String nextToken) {}

  private final CloudMapBackend backend;

  NamespaceOperations(CloudMapBackend backend) {
    this.backend = backend;
  }

  void register(Routes routes) {
    routes.add(
        "CreateHttpNamespace",
        CreateHttpNamespaceRequest.class,
        r ->
            created(
                new NamespaceCreation(
                    "HTTP",
                    r.name(),
                    r.description(),
                    null,
                    null,
                    r.creatorRequestId(),
                    Tags.toMap(r.tags()))));
    routes.add(
        "CreatePrivateDnsNamespace",
        CreatePrivateDnsNamespaceRequest.class,
        r ->
            created(
                new NamespaceCreation(
                    "DNS_PRIVATE",
                    r.name(),
                    r.description(),
                    r.vpc(),
                    r.properties() == null ? null : r.properties().soaTtl(),
                    r.creatorRequestId(),
                    Tags.toMap(r.tags()))));
    routes.add(
        "CreatePublicDnsNamespace",
        CreatePublicDnsNamespaceRequest.class,
        r ->
            created(
                new NamespaceCreation(
                    "DNS_PUBLIC",
                    r.name(),
                    r.description(),
                    null,
                    r.properties() == null ? null : r.properties().soaTtl(),
                    r.creatorRequestId(),
                    Tags.toMap(r.tags()))));
    routes.add(
        "UpdateHttpNamespace",
        UpdateHttpNamespaceRequest.class,
        r ->
            new OperationResponse(
                backend.updateNamespace(
                    r.id(),
                    new NamespaceUpdate(
                        "HTTP", r.namespace().description(), null, r.updaterRequestId()))));
    routes.add(
        "UpdatePrivateDnsNamespace",
        UpdateDnsNamespaceRequest.class,
        r -> updateDns("DNS_PRIVATE", r));
    routes.add(
        "UpdatePublicDnsNamespace",
        UpdateDnsNamespaceRequest.class,
        r -> updateDns("DNS_PUBLIC", r));
    routes.add(
        "DeleteNamespace",
        IdRequest.class,
        r -> new OperationResponse(backend.deleteNamespace(r.id())));
    routes.add(
        "GetNamespace", IdRequest.class, r -> new NamespaceResponse(backend.namespace(r.id())));
    routes.add("ListNamespaces", ListNamespacesRequest.class, this::list);
  }

  private OperationResponse created(NamespaceCreation creation) {
    return new OperationResponse(backend.createNamespace(creation));
  }

  private OperationResponse updateDns(String type, UpdateDnsNamespaceRequest r) {
    DnsNamespaceChange change = r.namespace();
    Long soaTtl = change.properties() == null ? null : change.properties().soaTtl();
    return new OperationResponse(
        backend.updateNamespace(
            r.id(), new NamespaceUpdate(type, change.description(), soaTtl, r.updaterRequestId())));
  }

  private ListNamespacesResponse list(ListNamespacesRequest r) {
    Predicate<Namespace> wanted = n -> true;
    if (r.filters() != null) {
      for (Filter filter : r.filters()) {
        wanted = wanted.and(filter(filter));
      }
    }
    List<Namespace> matching =
        backend.namespaces().stream().filter(wanted).map(Namespace::summary).toList();
    Page<Namespace> page =
        Page.of(matching, Namespace::id, r.maxResults(), r.nextToken(), "ListNamespaces");
    return new ListNamespacesResponse(page.items(), page.nextToken());
  }

  private Predicate<Namespace> filter(Filter filter) {
    return switch (filter.name()) {
      case "TYPE" -> {
        Predicate<String> type = FilterRule.text(filter, Set.of("EQ", "IN", "BEGINS_WITH"));
        yield n -> type.test(n.type());
      }
      case "NAME" -> {
        Predicate<String> name = FilterRule.text(filter, Set.of("EQ", "BEGINS_WITH"));
        yield n -> name.test(n.name());
      }
      case "HTTP_NAME" -> {
        Predicate<String> name = FilterRule.text(filter, Set.of("EQ", "BEGINS_WITH"));
        yield n -> name.test(n.properties().httpProperties().httpName());
      }
      default -> {
        // RESOURCE_OWNER: every namespace here is the caller's own (SELF); none is shared.
        Predicate<String> owner = FilterRule.text(filter, Set.of("EQ"));
        yield n -> owner.test("SELF");
      }
    };
  }
}
