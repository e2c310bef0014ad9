package io.owin4j.middleware.websocket;

/**
 * A message from the peer grew past the endpoint's maximum message size.
 *
 * <p>The session's error handler receives it, and the session closes with {@link
 * CloseStatus#MESSAGE_TOO_BIG} (1009); the message never reaches a message handler.
 */
public final class MessageTooBigException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  MessageTooBigException(long maxMessageSize, long received) {
    super(
        "message too big: the maximum message size is "
            + maxMessageSize
            + " bytes, got at least "
            + received
            + " bytes; closing with 1009");
  }
}
