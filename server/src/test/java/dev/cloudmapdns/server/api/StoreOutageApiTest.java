package dev.cloudmapdns.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cloudmapdns.api.ApiResponse;
import dev.cloudmapdns.server.registry.DeltaSet;
import dev.cloudmapdns.server.registry.InitialCheckStatus;
import dev.cloudmapdns.server.registry.Registry;
import dev.cloudmapdns.server.registry.RegistryIdentity;
import dev.cloudmapdns.server.registry.RegistryState;
import dev.cloudmapdns.server.registry.RegistryStore;
import dev.cloudmapdns.server.registry.RegistryStoreUnavailableException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A store that cannot take writes for a while (etcd unreachable): writes are answered with AWS's
 * ServiceUnavailable (HTTP 503, which the SDKs retry), reads keep answering from the last state,
 * and the same write retried once the store is back succeeds, once.
 */
class StoreOutageApiTest {
  /** Keeps nothing (the registry's state is the copy), and refuses commits while down. */
  private static final class FlakyStore implements RegistryStore {
    volatile boolean down;

    @Override
    public RegistryState load() {
      return RegistryState.empty();
    }

    @Override
    public void commit(List<DeltaSet> batch) {
      if (down) {
        throw new RegistryStoreUnavailableException("etcd unreachable (test)");
      }
    }

    @Override
    public String describe() {
      return "a store that goes down";
    }

    @Override
    public void close() {}
  }

  private final FlakyStore store = new FlakyStore();
  private final ApiFixture api =
      new ApiFixture(
          new Registry(
              new RegistryIdentity("us-east-1", "123456789012"),
              Clock.systemUTC(),
              InitialCheckStatus.UNKNOWN_UNTIL_CHECKED,
              store));

  private static final Map<String, Object> CREATE =
      Map.of("Name", "outage.local", "Vpc", "vpc-1", "CreatorRequestId", "during-outage");

  @Test
  void aWriteWhileTheStoreIsDownIsServiceUnavailableAndLeavesNothingBehind() {
    api.ok("CreatePrivateDnsNamespace", Map.of("Name", "before.local", "Vpc", "vpc-1"));
    store.down = true;

    ApiResponse refused = api.call("CreatePrivateDnsNamespace", CREATE);

    assertEquals(503, refused.status(), refused.bodyText());
    JsonNode error = ApiFixture.read(refused);
    assertEquals("ServiceUnavailable", error.path("__type").asText());
    assertTrue(error.path("Message").asText().contains("etcd unreachable"), refused.bodyText());
    JsonNode namespaces = api.ok("ListNamespaces", Map.of()).get("Namespaces");
    assertEquals(1, namespaces.size(), "reads answer, and the refused write left nothing");
    assertEquals("before.local", namespaces.get(0).get("Name").asText());
  }

  @Test
  void theSameWriteRetriedOnceTheStoreIsBackSucceedsOnce() {
    store.down = true;
    assertEquals(503, api.call("CreatePrivateDnsNamespace", CREATE).status());
    store.down = false;

    String first = api.ok("CreatePrivateDnsNamespace", CREATE).get("OperationId").asText();
    String retried = api.ok("CreatePrivateDnsNamespace", CREATE).get("OperationId").asText();

    assertEquals(first, retried, "the retry is recognised by its CreatorRequestId");
    assertEquals(1, api.ok("ListNamespaces", Map.of()).get("Namespaces").size());
  }
}
