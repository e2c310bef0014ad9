package io.owin4j.middleware.websocket;

/**
 * A send found the session's send queue full: the peer reads slower than the application sends.
 *
 * <p>The send's stage fails with it, the session's error handler receives it, and the session
 * closes with {@link CloseStatus#POLICY_VIOLATION} (1008) and the reason {@code "send queue
 * full"}.
 */
public final class SendQueueFullException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  SendQueueFullException(int capacity) {
    super(
        "send queue full: "
            + capacity
            + " messages were waiting for a peer that reads too slowly; closing with 1008");
  }
}
