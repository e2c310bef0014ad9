package io.owin4j.api.ext;

import io.owin4j.api.CancellationToken;
import java.util.concurrent.CompletionStage;

/**
 * The {@code websocket.CloseAsync} delegate: sends the close frame.
 *
 * <p>The application calls it when done sending and never sends afterwards. The stage completes
 * when the frame is written; the host finishes the close handshake when the WebSocket callback's
 * stage completes.
 */
@FunctionalInterface
public interface WebSocketCloseAsync {
  /**
   * Sends a close frame.
   *
   * @param status an RFC 6455 close status (such as 1000)
   * @param description a UTF-8 reason of at most 123 bytes; may be empty
   * @param cancel cancels the close
   */
  CompletionStage<Void> closeAsync(int status, String description, CancellationToken cancel);
}
