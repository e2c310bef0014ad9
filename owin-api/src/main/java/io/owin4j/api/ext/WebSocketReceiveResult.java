package io.owin4j.api.ext;

/**
 * What one receive produced.
 *
 * @param messageType a {@link WebSocketMessageTypes} opcode: text, binary or close
 * @param endOfMessage true on the last part of a message (and on a close)
 * @param count how many payload bytes were written into the buffer; 0 for a close
 */
public record WebSocketReceiveResult(int messageType, boolean endOfMessage, int count) {
  /**
   * Validates the parts.
   *
   * @throws IllegalArgumentException if the type is not text, binary or close, or count is negative
   */
  public WebSocketReceiveResult {
    if (messageType != WebSocketMessageTypes.TEXT
        && messageType != WebSocketMessageTypes.BINARY
        && messageType != WebSocketMessageTypes.CLOSE) {
      throw new IllegalArgumentException(
          "messageType must be TEXT (0x1), BINARY (0x2) or CLOSE (0x8), got 0x"
              + Integer.toHexString(messageType));
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
  }

  /** Returns true if this result reports a close frame. */
  public boolean isClose() {
    return messageType == WebSocketMessageTypes.CLOSE;
  }
}
