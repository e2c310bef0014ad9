package io.owin4j.api.ext;

import io.owin4j.api.CancellationToken;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * The {@code websocket.ReceiveAsync} delegate: receives the next part of a message into a buffer.
 *
 * <p>At most one receive may be pending at a time. Data arrives unmasked; pings and pongs are never
 * delivered. A message larger than the buffer arrives in several results, the last with {@code
 * endOfMessage} true. A close frame yields type {@link WebSocketMessageTypes#CLOSE} with count 0 and
 * sets {@code websocket.ClientCloseStatus} and {@code websocket.ClientCloseDescription}. The
 * application never receives after a received close.
 */
@FunctionalInterface
public interface WebSocketReceiveAsync {
  /**
   * Receives into {@code buffer} from its position; the position advances by the count received.
   *
   * @param buffer where the payload goes; must have room
   * @param cancel cancels the receive; a cancelled receive is fatal to the connection
   */
  CompletionStage<WebSocketReceiveResult> receiveAsync(ByteBuffer buffer, CancellationToken cancel);
}
