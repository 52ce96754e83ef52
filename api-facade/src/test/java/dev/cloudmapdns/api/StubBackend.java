package dev.cloudmapdns.api;

import dev.cloudmapdns.api.backend.CloudMapBackend;
import java.lang.reflect.Proxy;
import java.util.function.BiFunction;

/** A backend whose every method answers through one function: enough to test the protocol. */
final class StubBackend {
  private StubBackend() {}

  static CloudMapBackend answering(BiFunction<String, Object[], Object> answer) {
    return (CloudMapBackend)
        Proxy.newProxyInstance(
            CloudMapBackend.class.getClassLoader(),
            new Class<?>[] {CloudMapBackend.class},
            (proxy, method, args) -> {
              if (method.getName().equals("accountId")) {
                return "123456789012";
              }
              return answer.apply(method.getName(), args);
            });
  }

  static CloudMapBackend unreachable() {
    return answering(
        (method, args) -> {
          throw new AssertionError("the backend must not be called, but " + method + " was");
        });
  }
}
