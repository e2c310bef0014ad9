package io.owin4j.api.ext;

import io.owin4j.api.AppFunc;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code opaque.Upgrade} delegate, offered on HTTP/1.1 requests that ask for an {@code Upgrade}
 * other than websocket.
 *
 * <p>The same flow as {@link WebSocketAccept}: calling it sets status 101; the application completes
 * its stage; the host sends the 101 response and calls {@code callback} with a new environment that
 * holds {@code opaque.Stream}, {@code opaque.Version} and {@code opaque.CallCancelled}. The callback
 * does not close the stream and does not use it after its stage completes; the host closes the
 * connection then.
 */
@FunctionalInterface
public interface OpaqueUpgrade {
  /**
   * Upgrades the connection.
   *
   * @param parameters upgrade parameters; null for none
   * @param callback runs with the opaque environment once the 101 response is sent
   * @throws IllegalStateException if upgrade was already called or the response already started
   */
  void upgrade(@Nullable Map<String, Object> parameters, AppFunc callback);
}
