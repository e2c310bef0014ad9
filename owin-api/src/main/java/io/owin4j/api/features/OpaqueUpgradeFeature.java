package io.owin4j.api.features;

import io.owin4j.api.ext.OpaqueStream;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Upgrades the connection to an opaque duplex stream ({@code opaque.Upgrade}), typed.
 *
 * <p>The application calls {@link #upgrade} and returns a stage that covers its whole use of the
 * stream; when that stage completes the host closes the connection.
 */
public interface OpaqueUpgradeFeature {
  /** True when the request asks for an upgrade this host can perform. */
  boolean isUpgradableRequest();

  /**
   * Upgrades the connection; the stage completes with the stream once the 101 response is sent.
   *
   * @param parameters upgrade parameters; null for none
   * @throws IllegalStateException if the request is not upgradable or upgrade was already called
   */
  CompletionStage<OpaqueStream> upgrade(@Nullable Map<String, Object> parameters);
}
