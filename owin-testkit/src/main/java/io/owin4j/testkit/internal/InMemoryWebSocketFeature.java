package io.owin4j.testkit.internal;

import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.core.host.HttpSyntax;
import io.owin4j.core.host.WebSocketProtocol;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory host's {@link WebSocketFeature}, present only on WebSocket handshake requests.
 *
 * <p>Accept checks the subprotocol, sets 101 with the handshake headers and starts the response;
 * the stage completes with the application's end of an in-memory pair at once. Extra accept
 * parameters have no meaning in memory and are ignored.
 */
final class InMemoryWebSocketFeature implements WebSocketFeature {
  private final InMemoryExchange exchange;
  private boolean accepted;

  InMemoryWebSocketFeature(InMemoryExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public boolean isWebSocketRequest() {
    return true;
  }

  @Override
  public CompletionStage<WebSocket> accept(@Nullable WebSocketAcceptContext context) {
    String subProtocol = context == null ? null : context.subProtocol();
    WebSocketProtocol.checkAccept(
        HttpSyntax.elements(exchange.request().header("Sec-WebSocket-Protocol")),
        subProtocol,
        accepted);
    if (exchange.response().hasStarted()) {
      throw new IllegalStateException(
          "WebSocketFeature.accept must be called before the response starts, and it has started");
    }
    accepted = true;
    return exchange.acceptWebSocket(
        subProtocol, Objects.requireNonNull(exchange.request().header("Sec-WebSocket-Key")));
  }
}
