package io.owin4j.testkit.internal;

import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.features.OpaqueUpgradeFeature;
import io.owin4j.core.host.UpgradeRules;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory host's {@link OpaqueUpgradeFeature}, present only on requests asking for an upgrade
 * other than websocket.
 *
 * <p>Upgrade sets 101 with {@code Upgrade} naming the protocol the client asked for, starts the
 * response, and completes with the application's end of an in-memory duplex pipe. Upgrade
 * parameters have no meaning in memory and are ignored.
 */
final class InMemoryOpaqueUpgradeFeature implements OpaqueUpgradeFeature {
  private final InMemoryExchange exchange;
  private boolean upgraded;

  InMemoryOpaqueUpgradeFeature(InMemoryExchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public boolean isUpgradableRequest() {
    return true;
  }

  @Override
  public CompletionStage<OpaqueStream> upgrade(@Nullable Map<String, Object> parameters) {
    UpgradeRules.checkOpaqueUpgrade(upgraded, exchange.response().hasStarted());
    upgraded = true;
    return exchange.upgradeOpaque(
        Objects.requireNonNull(exchange.request().header("Upgrade")).trim());
  }
}
