package io.owin4j.testkit.internal;

import io.owin4j.core.host.HttpSyntax;
import io.owin4j.testkit.TestWebSocket;
import io.owin4j.testkit.WebSocketRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The {@link WebSocketRequest} of every mode. */
final class WebSocketRequestBuilder implements WebSocketRequest {
  private static final Set<String> HANDSHAKE_HEADERS = Set.of("connection", "upgrade", "host");

  private final Client client;
  private final String target;
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();
  private List<String> subprotocols = List.of();
  private Duration timeout = Client.DEFAULT_TIMEOUT;
  private boolean connected;

  WebSocketRequestBuilder(Client client, String target) {
    this.client = client;
    this.target = target;
  }

  @Override
  public WebSocketRequest subprotocols(String... subprotocols) {
    List<String> offered = new ArrayList<>();
    for (String subprotocol : Objects.requireNonNull(subprotocols, "subprotocols")) {
      offered.add(HttpSyntax.requireToken(subprotocol, "subprotocol"));
    }
    this.subprotocols = List.copyOf(offered);
    return this;
  }

  @Override
  public WebSocketRequest header(String name, String value) {
    HttpSyntax.requireToken(name, "header name");
    String lower = name.toLowerCase(Locale.ROOT);
    if (HANDSHAKE_HEADERS.contains(lower) || lower.startsWith("sec-websocket-")) {
      throw new IllegalArgumentException(
          "header "
              + name
              + " is set by the WebSocket handshake itself; use subprotocols(...) to"
              + " offer subprotocols");
    }
    headers.add(Map.entry(name, HttpSyntax.requireHeaderValue(name, value)));
    return this;
  }

  @Override
  public WebSocketRequest timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  @Override
  public TestWebSocket connect() {
    if (connected) {
      throw new IllegalStateException(
          "the WebSocket request to " + target + " already connected; build a new one");
    }
    connected = true;
    OutgoingRequest request =
        client.withCookies(new OutgoingRequest("GET", target, headers, null, null, timeout));
    return client.transport().connectWebSocket(request, subprotocols);
  }
}
