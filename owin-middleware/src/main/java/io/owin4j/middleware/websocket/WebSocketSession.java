package io.owin4j.middleware.websocket;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * One open WebSocket at the message level: whole messages out, through a bounded send queue.
 *
 * <h2>Sending from any thread</h2>
 *
 * Any thread may send at any time, also from inside a handler and while another send is pending:
 * messages are queued and written one at a time, each as one whole frame, in the order the sends
 * were called (so the messages of one thread arrive in that thread's order). A send never blocks.
 * Its stage completes once the host wrote the message, and fails:
 *
 * <ul>
 *   <li>with {@link SendQueueFullException} when the queue already holds the endpoint's {@link
 *       WebSocketEndpoint.Builder#maxQueuedMessages maximum}; the error handler receives it too,
 *       and the session closes with 1008 {@code "send queue full"}, discarding what was queued;
 *   <li>with {@link IllegalStateException} when the session is closing or closed (no handler is
 *       told: sending to a session that just went away is a normal race), or when the message was
 *       still queued as the session closed;
 *   <li>with the host's failure when writing failed; the error handler receives it too, and the
 *       session closes with 1011 (or is aborted, when the connection is gone).
 * </ul>
 *
 * <p>A failed send is never silent: either the stage or the error handler tells, and the default
 * error handler logs.
 *
 * <h2>Closing</h2>
 *
 * {@link #close} queues the close frame after the messages queued before it. The session then ends
 * when the peer answers, or is aborted when it does not answer within the endpoint's close timeout;
 * either way the close handler runs once with the {@link CloseStatus} that ended the session.
 *
 * <p>Sessions compare by identity. Thread-safe.
 */
public interface WebSocketSession {
  /**
   * Queues a text message.
   *
   * @return completes once the message was written; fails as described above
   * @throws NullPointerException if {@code text} is null
   */
  CompletionStage<Void> sendText(String text);

  /**
   * Queues a binary message holding a copy of the buffer's remaining bytes; the caller may reuse
   * the buffer at once. Completes and fails as {@link #sendText}.
   *
   * @throws NullPointerException if {@code data} is null
   */
  CompletionStage<Void> sendBinary(ByteBuffer data);

  /**
   * Closes the session with {@code code} and {@code reason} after the messages already queued. Does
   * nothing when the session is already closing.
   *
   * @return completes once the session ended (the close handshake finished or the connection was
   *     aborted)
   * @throws IllegalArgumentException if {@code code} is not one an endpoint may send (1000-1003,
   *     1007-1011, or 3000-4999), or {@code reason} is longer than 123 bytes in UTF-8
   */
  CompletionStage<Void> close(int code, String reason);

  /** True until a close was sent or received, or the connection was lost. */
  boolean isOpen();

  /**
   * The first value of the query parameter {@code name} of the handshake request, or null when it
   * had none; the query is parsed as {@link io.owin4j.core.OwinContext#queryParameters()} does.
   */
  @Nullable String query(String name);

  /** The subprotocol chosen at the handshake, or null for none. */
  @Nullable String subProtocol();

  /**
   * Per-session values for the application, such as a user name; never null, thread-safe, empty at
   * first.
   */
  ConcurrentMap<String, Object> attributes();
}
