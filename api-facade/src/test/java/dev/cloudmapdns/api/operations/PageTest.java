package dev.cloudmapdns.api.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cloudmapdns.api.protocol.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PageTest {
  private static final Function<String, String> ID = Function.identity();

  @Test
  void collectsEveryItemOnceAcrossPages() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 257; i++) {
      all.add(String.format("i-%04d", i));
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Page<String> page = Page.of(all, ID, 100, token, "ListInstances srv-1");
      seen.addAll(page.items());
      token = page.nextToken();
      pages++;
    } while (token != null);
    assertEquals(all, seen);
    assertEquals(3, pages);
  }

  @Test
  void givesNoTokenWhenEverythingFits() {
    Page<String> page = Page.of(List.of("b", "a"), ID, 2, null, "s");
    assertEquals(List.of("a", "b"), page.items());
    assertNull(page.nextToken());
  }

  @Test
  void defaultsToOneHundred() {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      all.add(String.format("%03d", i));
    }
    Page<String> page = Page.of(all, ID, null, null, "s");
    assertEquals(100, page.items().size());
    assertNotNull(page.nextToken());
  }

  @Test
  void aRemovedItemDoesNotShiftTheNextPage() {
    Page<String> first = Page.of(List.of("a", "b", "c", "d"), ID, 2, null, "s");
    Page<String> second = Page.of(List.of("a", "c", "d"), ID, 2, first.nextToken(), "s");
    assertEquals(List.of("c", "d"), second.items());
  }

  @Test
  void refusesATokenOfAnotherList() {
    Page<String> first = Page.of(List.of("a", "b", "c"), ID, 1, null, "ListInstances srv-1");
    ApiException e =
        assertThrows(
            ApiException.class,
            () -> Page.of(List.of("a"), ID, 1, first.nextToken(), "ListInstances srv-2"));
    assertEquals("InvalidInput", e.code());
  }

  @Test
  void refusesGarbage() {
    assertThrows(ApiException.class, () -> Page.of(List.of("a"), ID, 1, "%%%", "s"));
    assertThrows(ApiException.class, () -> Page.of(List.of("a"), ID, 1, "bm9wZQ", "s"));
  }
}
