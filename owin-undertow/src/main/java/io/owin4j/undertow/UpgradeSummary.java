package io.owin4j.undertow;

import java.time.Duration;
import java.util.Objects;

/**
 * One ended WebSocket or opaque-upgraded connection, as a {@link ServerListener} sees it.
 *
 * @param path the path of the request that upgraded
 * @param protocol {@code websocket}, or the {@code Upgrade} header of an opaque upgrade
 * @param duration from the request's arrival to the end of the application's stage for it
 * @param failed whether that stage failed
 */
public record UpgradeSummary(String path, String protocol, Duration duration, boolean failed) {
  /** Checks the components. */
  public UpgradeSummary {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(duration, "duration");
  }
}
