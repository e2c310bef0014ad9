package io.owin4j.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Keeps the cookies responses set and gives the {@code Cookie} header for later requests, by the
 * JDK's cookie rules (path, expiry, {@code Max-Age=0} removes).
 */
public final class CookieJar {
  private final CookieManager manager = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

  /** Creates an empty jar. */
  public CookieJar() {}

  /** Adds the {@code Cookie} header that {@code request} to {@code uri} should carry, if any. */
  public OutgoingRequest addTo(URI uri, OutgoingRequest request) {
    try {
      OutgoingRequest result = request;
      for (Map.Entry<String, List<String>> header : manager.get(uri, Map.of()).entrySet()) {
        if (!header.getValue().isEmpty()) {
          result = result.withHeader(header.getKey(), String.join("; ", header.getValue()));
        }
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("reading the cookie jar failed", e);
    }
  }

  /** Stores the cookies that the response {@code headers} from {@code uri} set. */
  public void store(URI uri, Map<String, List<String>> headers) {
    try {
      manager.put(uri, headers);
    } catch (IOException e) {
      throw new UncheckedIOException("storing cookies failed", e);
    }
  }
}
