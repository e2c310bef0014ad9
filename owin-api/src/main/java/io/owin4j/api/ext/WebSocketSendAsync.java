package io.owin4j.api.ext;

import io.owin4j.api.CancellationToken;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * The {@code websocket.SendAsync} delegate: sends one frame of a message.
 *
 * <p>At most one send may be pending at a time; sends are written in call order. The stage
 * completes when the frame is written or queued within the host's bounded buffer. Sending {@link
 * WebSocketMessageTypes#CLOSE} sends a close frame (payload empty, or a 2-byte big-endian status
 * then a UTF-8 reason). Ping and pong may be dropped.
 */
@FunctionalInterface
public interface WebSocketSendAsync {
  /**
   * Sends {@code data} (from its position to its limit) as one frame.
   *
   * @param data the payload; the host consumes it before the stage completes
   * @param messageType a {@link WebSocketMessageTypes} opcode
   * @param endOfMessage false to send a fragment that more frames continue
   * @param cancel cancels the send; a cancelled send is fatal to the connection
   */
  CompletionStage<Void> sendAsync(
      ByteBuffer data, int messageType, boolean endOfMessage, CancellationToken cancel);
}
