package dev.cloudmapdns.api.operations;

import dev.cloudmapdns.api.protocol.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list and the opaque token for the next. Items are ordered by their id, and a token
 * says "after this id" for one kind of list, so pages stay correct while the list changes between
 * calls: nothing is returned twice, and an item removed meanwhile cannot shift the rest.
 */
record Page<T>(List<T> items, String nextToken) {
  static final int DEFAULT_MAX_RESULTS = 100;
  private static final String VERSION = "p1";

  /**
   * The page of {@code all} that {@code nextToken} asks for.
   *
   * @param scope what the token is valid for (the operation, and the service for instance lists)
   */
  static <T> Page<T> of(
      List<T> all, Function<T, String> key, Integer maxResults, String nextToken, String scope) {
    int max = maxResults == null ? DEFAULT_MAX_RESULTS : maxResults;
    List<T> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparing(key));
    String after = nextToken == null ? null : decode(nextToken, scope);
    List<T> page = new ArrayList<>();
    String next = null;
    for (T item : sorted) {
      String id = key.apply(item);
      if (after != null && id.compareTo(after) <= 0) {
        continue;
      }
      if (page.size() == max) {
        next = encode(scope, key.apply(page.get(page.size() - 1)));
        break;
      }
      page.add(item);
    }
    return new Page<>(List.copyOf(page), next);
  }

  private static String encode(String scope, String lastKey) {
    String raw = VERSION + "\n" + scope + "\n" + lastKey;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String token, String scope) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      String[] parts = raw.split("\n", 3);
      if (parts.length == 3 && parts[0].equals(VERSION) && parts[1].equals(scope)) {
        return parts[2];
      }
    } catch (IllegalArgumentException e) {
      // not base64: falls through to the same answer as any other foreign token
    }
    throw ApiException.invalidInput(
        "NextToken is not valid: use the NextToken of the previous response to this request");
  }
}
