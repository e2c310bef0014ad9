package io.owin4j.undertow.internal;

import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.core.host.WebSocketProtocol;
import io.owin4j.undertow.internal.deflate.PerMessageDeflate;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.version13.WebSocket13Channel;
import io.undertow.websockets.extensions.ExtensionFunction;
import io.undertow.websockets.extensions.NoopExtensionFunction;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.xnio.StreamConnection;

/**
 * Accepts the WebSocket handshake of one request, natively: present only on requests that are a
 * valid RFC 6455 handshake.
 *
 * <p>{@link #accept} checks the chosen subprotocol is one the client offered (nothing is sent
 * otherwise), then answers 101 with {@code Sec-WebSocket-Accept}, the subprotocol, a negotiated
 * {@code permessage-deflate} (unless the host turned compression off) and whatever headers the
 * application set before. The accept stage completes with the open {@link WebSocket} once the 101
 * went out: on the IO thread when the application runs there, otherwise on the worker executor.
 * Accept parameters other than the subprotocol mean nothing to this host and are ignored.
 *
 * <p>May be called while the application still runs (a typed application keeps its stage pending
 * while it uses the socket) or by the core bridge after the application's stage completed. Not
 * thread-safe, like every feature.
 */
final class ExchangeWebSocketFeature implements WebSocketFeature {
  private final WebSocketHandshake handshake;
  private final HttpServerExchange exchange;
  private final ExchangeUpgrade upgrade;
  private final HostSettings settings;
  private final Executor completion;
  private boolean accepted;

  /**
   * @param completion where the accept stage completes
   */
  ExchangeWebSocketFeature(
      WebSocketHandshake handshake,
      HttpServerExchange exchange,
      ExchangeUpgrade upgrade,
      HostSettings settings,
      Executor completion) {
    this.handshake = handshake;
    this.exchange = exchange;
    this.upgrade = upgrade;
    this.settings = settings;
    this.completion = completion;
  }

  @Override
  public boolean isWebSocketRequest() {
    return true;
  }

  @Override
  public CompletionStage<WebSocket> accept(@Nullable WebSocketAcceptContext context) {
    String subProtocol = context == null ? null : context.subProtocol();
    WebSocketProtocol.checkAccept(handshake.offeredSubProtocols(), subProtocol, accepted);
    @Nullable PerMessageDeflate deflate =
        handshake.negotiateDeflate(settings.webSocketCompression());
    CompletionStage<UndertowWebSocket> open =
        upgrade.upgrade(
            headers -> {
              headers.put(Headers.UPGRADE, "websocket");
              headers.put(Headers.SEC_WEB_SOCKET_ACCEPT, handshake.acceptKey());
              if (subProtocol != null) {
                headers.put(Headers.SEC_WEB_SOCKET_PROTOCOL, subProtocol);
              }
              if (deflate != null) {
                headers.put(Headers.SEC_WEB_SOCKET_EXTENSIONS, deflate.responseHeader());
              }
            },
            connection -> open(connection, subProtocol, deflate),
            completion);
    accepted = true;
    return open.thenApply(UndertowWebSocket::engine);
  }

  private UndertowWebSocket open(
      StreamConnection connection,
      @Nullable String subProtocol,
      @Nullable PerMessageDeflate deflate) {
    ExtensionFunction extension =
        deflate == null
            ? NoopExtensionFunction.INSTANCE
            : deflate.newFunction(settings.webSocketMaxMessageSize());
    // Undertow only removes the channel from its peer set when it closes, and hands the set out
    // through getPeerConnections(), which this host never asks (the registry below knows the open
    // channels): one shared empty set, whose remove finds nothing, not a map per connection.
    Set<WebSocketChannel> peers = Collections.emptySet();
    WebSocketChannel channel =
        new WebSocket13Channel(
            connection,
            exchange.getConnection().getByteBufferPool(),
            url(),
            subProtocol,
            false,
            deflate != null,
            extension,
            peers,
            exchange.getConnection().getUndertowOptions());
    // Known to the handler, so that a stopping server can close it with 1001.
    settings.webSockets().register(channel);
    return UndertowWebSocket.open(channel, settings.webSocketMaxMessageSize());
  }

  private String url() {
    String scheme = exchange.getRequestScheme().equals("https") ? "wss" : "ws";
    return scheme + "://" + exchange.getHostAndPort() + exchange.getRequestURI();
  }

  @Override
  public String toString() {
    return "ExchangeWebSocketFeature{" + handshake + (accepted ? ", accepted}" : "}");
  }
}
