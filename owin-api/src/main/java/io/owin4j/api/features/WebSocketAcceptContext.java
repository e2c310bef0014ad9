package io.owin4j.api.features;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the application chooses when it accepts a WebSocket.
 *
 * @param subProtocol the chosen subprotocol, one the client offered; null for none
 * @param parameters further accept parameters for the host, passed on as OWIN accept parameters
 */
public record WebSocketAcceptContext(@Nullable String subProtocol, Map<String, Object> parameters) {
  /** Copies the parameters. */
  public WebSocketAcceptContext {
    parameters = Map.copyOf(Objects.requireNonNull(parameters, "parameters"));
  }

  /** A context choosing {@code subProtocol} (null for none) and no other parameter. */
  public static WebSocketAcceptContext of(@Nullable String subProtocol) {
    return new WebSocketAcceptContext(subProtocol, Map.of());
  }
}
