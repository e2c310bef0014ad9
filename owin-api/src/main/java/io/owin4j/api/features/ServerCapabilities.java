package io.owin4j.api.features;

import java.util.Map;
import java.util.Objects;

/**
 * The feature that carries the host's {@code server.Capabilities} map: a built-in feature, so that
 * portable middleware can name it with owin-api alone.
 *
 * <p>A host builds one at startup and sets the same instance into every request's features under
 * {@code ServerCapabilities.class}, so every request shows the same map. The map is held as given:
 * pass an immutable one, with one {@code X.Version} entry per extension offered.
 *
 * @param values what the host offers, such as {@code sendfile.Version -> "1.0"}
 */
public record ServerCapabilities(Map<String, Object> values) {
  /** Checks the map is present. */
  public ServerCapabilities {
    Objects.requireNonNull(values, "values");
  }
}
