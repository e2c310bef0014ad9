package io.owin4j.testkit.internal;

import io.owin4j.api.ext.WebSocketMessageTypes;
import java.nio.charset.StandardCharsets;

/**
 * The sending rules a test's WebSocket end keeps in every mode: nothing after its close, and no
 * message of one type inside an unfinished fragmented message of the other.
 *
 * <p>Not thread-safe: the owner sends under its own lock.
 */
final class OutgoingFrames {
  /** RFC 6455: a close frame's reason is at most 123 bytes. */
  private static final int MAX_CLOSE_REASON = 123;

  private int fragmentType;
  private boolean closed;

  /**
   * Checks that a frame of {@code type} may be sent now.
   *
   * @throws IllegalStateException if the close was sent, or a fragmented message of the other type
   *     is unfinished
   */
  void check(int type) {
    if (closed) {
      throw new IllegalStateException("this side already sent its close; nothing more can be sent");
    }
    if (fragmentType != 0 && fragmentType != type) {
      throw new IllegalStateException(
          "a fragmented "
              + WebSocketMessageTypes.describe(fragmentType)
              + " message is unfinished; send its last fragment before a "
              + WebSocketMessageTypes.describe(type)
              + " message");
    }
  }

  /** Records that a frame of {@code type} went out. */
  void sent(int type, boolean last) {
    fragmentType = last ? 0 : type;
  }

  /** Records that the close went out, or that sending is over; true if it was not so before. */
  boolean markClosed() {
    boolean first = !closed;
    closed = true;
    return first;
  }

  /**
   * Checks a close the test wants to send, by the JDK WebSocket client's rules, so both modes
   * accept the same closes.
   *
   * @throws IllegalArgumentException if {@code status} is not 1000, 1001, 1008, 1011, 1014 or in
   *     [3000, 4999], or {@code reason} is longer than 123 bytes in UTF-8
   */
  static void checkClose(int status, String reason) {
    boolean allowed =
        status == 1000
            || status == 1001
            || status == 1008
            || status == 1011
            || status == 1014
            || (status >= 3000 && status <= 4999);
    if (!allowed) {
      throw new IllegalArgumentException(
          "close status must be 1000, 1001, 1008, 1011, 1014 or in [3000, 4999], got " + status);
    }
    if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_CLOSE_REASON) {
      throw new IllegalArgumentException(
          "close reason must be at most "
              + MAX_CLOSE_REASON
              + " bytes in UTF-8, got \""
              + reason
              + "\"");
    }
  }
}
