package dev.cloudmapdns.api.operations;

import dev.cloudmapdns.api.backend.CloudMapBackend;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** The operation table: each Cloud Map operation's request type and the code that answers it. */
public final class Routes {
  /** One operation: how to read its input and what to do with it. */
  public record Route<I>(Class<I> input, Function<I, ?> handler) {
    public Object apply(Object request) {
      return handler.apply(input.cast(request));
    }
  }

  private final Map<String, Route<?>> routes = new TreeMap<>();

  <I> void add(String operation, Class<I> input, Function<I, ?> handler) {
    if (routes.put(operation, new Route<>(input, handler)) != null) {
      throw new IllegalStateException("operation routed twice: " + operation);
    }
  }

  public Optional<Route<?>> find(String operation) {
    return Optional.ofNullable(routes.get(operation));
  }

  public Set<String> operations() {
    return routes.keySet();
  }

  /** Every operation of the Cloud Map API, answered with {@code backend}. */
  public static Routes all(CloudMapBackend backend) {
    Routes routes = new Routes();
    new NamespaceOperations(backend).register(routes);
    new ServiceOperations(backend).register(routes);
    new InstanceOperations(backend).register(routes);
    new DiscoveryOperations(backend).register(routes);
    new OperationQueries(backend).register(routes);
    new TagOperations(backend).register(routes);
    return routes;
  }
}
