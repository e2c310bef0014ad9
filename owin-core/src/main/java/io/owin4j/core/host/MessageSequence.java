package io.owin4j.core.host;

import io.owin4j.api.ext.WebSocketMessageTypes;

/**
 * The order of an application's outgoing WebSocket frames: a message sent in fragments continues
 * with its own type until its last fragment; control frames may come between fragments.
 *
 * <p>Thread-safe: a host calls {@link #check} and {@link #sent} when the application sends.
 */
public final class MessageSequence {
  // The data type of a message sent in fragments and not ended yet; 0 when none is open.
  private int openType;

  /**
   * Checks that a frame of {@code messageType} may go now; {@link #sent} records it once the host
   * took it.
   *
   * @throws IllegalArgumentException if a fragmented message of the other data type is open
   */
  public synchronized void check(int messageType) {
    if (WebSocketProtocol.isData(messageType) && openType != 0 && openType != messageType) {
      throw new IllegalArgumentException(
          "a message sent in fragments continues with its own type: it started as "
              + WebSocketMessageTypes.describe(openType)
              + ", got "
              + WebSocketMessageTypes.describe(messageType));
    }
  }

  /** Records that a frame of {@code messageType} was taken for sending; a close ends the message. */
  public synchronized void sent(int messageType, boolean endOfMessage) {
    if (WebSocketProtocol.isData(messageType)) {
      openType = endOfMessage ? 0 : messageType;
    } else if (messageType == WebSocketMessageTypes.CLOSE) {
      openType = 0;
    }
  }

  /** True while a message sent in fragments has not had its last fragment. */
  public synchronized boolean messageOpen() {
    return openType != 0;
  }
}
