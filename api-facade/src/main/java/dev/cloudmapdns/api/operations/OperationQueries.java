package dev.cloudmapdns.api.operations;

import dev.cloudmapdns.api.backend.CloudMapBackend;
import dev.cloudmapdns.api.protocol.ApiException;
import dev.cloudmapdns.api.shapes.Filter;
import dev.cloudmapdns.api.shapes.Operation;
import dev.cloudmapdns.api.shapes.OperationSummary;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/** GetOperation and ListOperations with its filters. */
final class OperationQueries {
  record GetOperationRequest(String operationId, String ownerAccount) {}

  record ListOperationsRequest(String nextToken, Integer maxResults, List<Filter> filters) {}

  record GetOperationResponse(Operation operation) {}

  record ListOperationsResponse(List<OperationSummary> operations, String nextToken) {}

  private final CloudMapBackend backend;

  OperationQueries(CloudMapBackend backend) {
    this.backend = backend;
  }

  void register(Routes routes) {
    routes.add(
        "GetOperation",
        GetOperationRequest.class,
        r -> new GetOperationResponse(backend.operation(r.operationId())));
    routes.add("ListOperations", ListOperationsRequest.class, this::list);
  }

  private ListOperationsResponse list(ListOperationsRequest r) {
    Predicate<Operation> wanted = o -> true;
    if (r.filters() != null) {
      for (Filter filter : r.filters()) {
        wanted = wanted.and(filter(filter));
      }
    }
    List<Operation> matching = backend.operations().stream().filter(wanted).toList();
    Page<Operation> page =
        Page.of(matching, Operation::id, r.maxResults(), r.nextToken(), "ListOperations");
    return new ListOperationsResponse(
        page.items().stream().map(o -> new OperationSummary(o.id(), o.status())).toList(),
        page.nextToken());
  }

  private Predicate<Operation> filter(Filter filter) {
    return switch (filter.name()) {
      case "NAMESPACE_ID" -> target(filter, "NAMESPACE", id -> ResolvedIds.namespace(backend, id));
      case "SERVICE_ID" -> target(filter, "SERVICE", id -> ResolvedIds.service(backend, id));
      case "STATUS" -> {
        // The documentation spells the status SUCCEED in places; the enum says SUCCESS.
        Predicate<String> status =
            FilterRule.text(
                new Filter(
                    filter.name(),
                    filter.values().stream().map(v -> v.equals("SUCCEED") ? "SUCCESS" : v).toList(),
                    filter.condition()),
                Set.of("EQ", "IN"));
        yield o -> status.test(o.status());
      }
      case "TYPE" -> {
        Predicate<String> type = FilterRule.text(filter, Set.of("EQ", "IN"));
        yield o -> type.test(o.type());
      }
      default -> updatedBetween(filter);
    };
  }

  private static Predicate<Operation> target(
      Filter filter, String targetType, Function<String, String> resolve) {
    FilterRule.condition(filter, Set.of("EQ"));
    String id = resolve.apply(filter.values().get(0));
    return o -> id.equals(o.targets().get(targetType));
  }

  private static Predicate<Operation> updatedBetween(Filter filter) {
    FilterRule.condition(filter, Set.of("BETWEEN"));
    Instant start = instant(filter.values().get(0));
    Instant end = instant(filter.values().get(1));
    return o -> !o.updateDate().isBefore(start) && !o.updateDate().isAfter(end);
  }

  /** A date in Unix time (seconds, decimals allowed) or ISO-8601, as the CLI may send either. */
  private static Instant instant(String text) {
    try {
      BigDecimal seconds = new BigDecimal(text);
      return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
    } catch (NumberFormatException e) {
      try {
        return Instant.parse(text);
      } catch (java.time.format.DateTimeParseException e2) {
        throw ApiException.invalidInput(
            "Filter UPDATE_DATE value '" + text + "' is not a date in Unix time (seconds)");
      }
    }
  }
}
