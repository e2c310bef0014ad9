package io.owin4j.testkit;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The client end of an open WebSocket.
 *
 * <p>Messages arrive whole: fragments the server sends are joined into one {@link
 * WebSocketMessage}. A close from the server arrives as a {@link WebSocketMessage.Type#CLOSE}
 * message, and this side answers it with the same status unless it closed first; a connection lost
 * without a close arrives as a close with status 1006. When the application fails after accepting
 * and the server propagates exceptions, {@link #receive} throws its exception once the messages
 * sent before were received.
 *
 * <h2>Threading</h2>
 *
 * One thread may send while another receives. Sends wait until the frame was handed over, for at
 * most the handshake's timeout.
 */
public interface TestWebSocket extends AutoCloseable {
  /** The subprotocol the server chose, or null when it chose none. */
  @Nullable String subProtocol();

  /**
   * Sends a text message.
   *
   * @throws IllegalStateException if this side already sent a close, or a fragmented message of the
   *     other type is unfinished
   * @throws java.io.UncheckedIOException if the connection is gone
   * @throws TestTimeoutException if the frame could not be handed over in time
   */
  void sendText(String text);

  /** Sends a binary message; errors as {@link #sendText}. */
  void sendBinary(byte[] bytes);

  /**
   * Sends one fragment of a text message; {@code last} ends the message. Errors as {@link
   * #sendText}.
   */
  void sendFragment(String text, boolean last);

  /**
   * Sends one fragment of a binary message (from the buffer's position to its limit); {@code last}
   * ends the message. Errors as {@link #sendText}.
   */
  void sendFragment(ByteBuffer bytes, boolean last);

  /**
   * Waits for the next message for at most the handshake's timeout.
   *
   * @throws TestTimeoutException if none arrived in time
   * @throws IllegalStateException if the close was already received
   */
  WebSocketMessage receive();

  /**
   * Waits for the next message for at most {@code timeout}.
   *
   * @throws TestTimeoutException if none arrived in time
   * @throws IllegalStateException if the close was already received
   */
  WebSocketMessage receive(Duration timeout);

  /**
   * Sends a close frame with {@code status} and {@code reason}; the server's close then arrives
   * through {@link #receive}.
   *
   * @throws IllegalArgumentException if {@code status} is not one a client may send (1000, 1001,
   *     1008, 1011, 1014, or in [3000, 4999]), or {@code reason} is longer than 123 bytes in UTF-8
   * @throws IllegalStateException if this side already sent a close
   */
  void close(int status, String reason);

  /**
   * Closes with 1000 if this side has not sent a close yet, without waiting for the server's;
   * otherwise does nothing.
   */
  @Override
  void close();

  /** Drops the connection without a close handshake. Idempotent. */
  void abort();

  /**
   * The pings and pongs the application sent that arrived before the last message {@link
   * #receive} returned, in order. {@link #receive} never returns them: the client answers pings
   * itself.
   */
  java.util.List<WebSocketMessage> receivedControlFrames();
}
