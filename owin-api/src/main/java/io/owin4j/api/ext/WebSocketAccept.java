package io.owin4j.api.ext;

import io.owin4j.api.AppFunc;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code websocket.Accept} delegate, offered only on WebSocket handshake requests.
 *
 * <p>Calling it validates {@code parameters} and sets the response status to 101 at once; the
 * application then completes its own stage, and the host performs the handshake and invokes {@code
 * callback} with a new WebSocket environment (the request environment is finished by then). A
 * request whose application never calls accept gets its ordinary HTTP response: that is the denial.
 *
 * <p>If the handshake fails, the request's {@code owin.CallCancelled} fires and the callback never
 * runs. When the callback's stage completes, the host finishes the close handshake (echoing a close
 * the client sent) or aborts the connection.
 *
 * <p>The callback has the shape of an {@link AppFunc}: the spec's {@code Func<IDictionary, Task>}.
 */
@FunctionalInterface
public interface WebSocketAccept {
  /**
   * Accepts the WebSocket handshake.
   *
   * @param parameters accept parameters, such as {@code websocket.SubProtocol}; null for none
   * @param callback runs with the WebSocket environment once the handshake completed
   * @throws IllegalArgumentException if a parameter is invalid (such as a subprotocol the client did
   *     not offer); nothing is sent then
   * @throws IllegalStateException if accept was already called or the response already started
   */
  void accept(@Nullable Map<String, Object> parameters, AppFunc callback);
}
