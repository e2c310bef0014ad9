package io.owin4j.undertow.internal;

import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.features.OpaqueUpgradeFeature;
import io.owin4j.core.host.UpgradeRules;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Protocols;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Upgrades one request's connection to an opaque duplex stream: present on HTTP/1.1 requests that
 * ask for an {@code Upgrade} other than WebSocket.
 *
 * <p>The 101 response carries the headers the application set; when it set no {@code Upgrade}
 * header, the first protocol the client asked for is named. The stage completes with the stream on
 * the worker executor, since its streams block. Upgrade parameters mean nothing to this host and
 * are ignored. Not thread-safe, like every feature.
 */
final class ExchangeOpaqueUpgradeFeature implements OpaqueUpgradeFeature {
  private final HttpServerExchange exchange;
  private final ExchangeUpgrade upgrade;
  private final Executor worker;
  private boolean upgraded;

  /**
   * @param worker where the upgrade stage completes
   */
  ExchangeOpaqueUpgradeFeature(
      HttpServerExchange exchange, ExchangeUpgrade upgrade, Executor worker) {
    this.exchange = exchange;
    this.upgrade = upgrade;
    this.worker = worker;
  }

  /**
   * True when {@code exchange} asks for an HTTP/1.1 upgrade to something other than WebSocket: the
   * requests this feature is offered on.
   */
  static boolean isOffered(HttpServerExchange exchange) {
    HeaderMap headers = exchange.getRequestHeaders();
    HeaderValues upgrade = headers.get(Headers.UPGRADE);
    return upgrade != null
        && exchange.getProtocol().equals(Protocols.HTTP_1_1)
        && !WebSocketHandshake.tokens(upgrade).isEmpty()
        && !WebSocketHandshake.hasToken(upgrade, "websocket")
        && WebSocketHandshake.hasToken(headers.get(Headers.CONNECTION), "upgrade");
  }

  @Override
  public boolean isUpgradableRequest() {
    return true;
  }

  @Override
  public CompletionStage<OpaqueStream> upgrade(@Nullable Map<String, Object> parameters) {
    UpgradeRules.checkOpaqueUpgrade(upgraded, upgrade.responseStarted());
    CompletionStage<ConnectionOpaqueStream> open =
        upgrade.upgrade(
            headers -> {
              if (!headers.contains(Headers.UPGRADE)) {
                headers.put(
                    Headers.UPGRADE,
                    WebSocketHandshake.tokens(exchange.getRequestHeaders().get(Headers.UPGRADE))
                        .get(0));
              }
            },
            ConnectionOpaqueStream::new,
            worker);
    upgraded = true;
    return widen(open);
  }

  /** The stage as one of the interface type: it only hands the stream out, so this is safe. */
  @SuppressWarnings("unchecked")
  private static CompletionStage<OpaqueStream> widen(
      CompletionStage<? extends OpaqueStream> stage) {
    return (CompletionStage<OpaqueStream>) stage;
  }

  @Override
  public String toString() {
    return "ExchangeOpaqueUpgradeFeature{" + (upgraded ? "upgraded}" : "offered}");
  }
}
