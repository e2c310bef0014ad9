package io.owin4j.core.host;

import io.owin4j.api.ext.WebSocketMessageTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The RFC 6455 rules an application's WebSocket sends and a peer's close are held to, the same on
 * every host.
 *
 * <ul>
 *   <li>An application may send TEXT, BINARY, CLOSE, PING and PONG; control frames go whole, with at
 *       most {@value #MAX_CONTROL_PAYLOAD} bytes.
 *   <li>A close status is 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 section 7.4), or {@value
 *       #NO_STATUS} for a close without a status, which carries no reason; a reason is at most
 *       {@value #MAX_REASON_BYTES} bytes of UTF-8.
 *   <li>A CLOSE with an empty payload is reported as {@value #NO_STATUS}.
 *   <li>After the peer's close arrived, a host sends only the close answering it.
 * </ul>
 *
 * <p>Stateless and thread-safe; every checking method fails with {@link IllegalArgumentException}
 * naming the rule it checks.
 */
public final class WebSocketProtocol {
  /** RFC 6455 section 5.5: the payload of a control frame is at most 125 bytes. */
  public static final int MAX_CONTROL_PAYLOAD = 125;

  /** The longest close reason in bytes: the control payload less the 2-byte status. */
  public static final int MAX_REASON_BYTES = MAX_CONTROL_PAYLOAD - 2;

  /** The status reported for a close frame without one (RFC 6455 section 7.4.1). */
  public static final int NO_STATUS = 1005;

  /** The status of a connection that ended without a close frame (RFC 6455 section 7.4.1). */
  public static final int ABNORMAL_CLOSURE = 1006;

  /** The status a host closes with when a message exceeds its maximum size. */
  public static final int MESSAGE_TOO_BIG = 1009;

  private WebSocketProtocol() {}

  /**
   * A close as it travels: its status ({@value #NO_STATUS} when the frame had none) and reason.
   *
   * @param status the close status
   * @param description the reason, empty when none
   */
  public record Close(int status, String description) {
    /** Checks the description is present. */
    public Close {
      Objects.requireNonNull(description, "description");
    }

    /** The frame payload: empty for {@value #NO_STATUS}, else the 2-byte status then the reason. */
    public ByteBuffer payload() {
      if (status == NO_STATUS) {
        return ByteBuffer.allocate(0);
      }
      byte[] reason = description.getBytes(StandardCharsets.UTF_8);
      return ByteBuffer.allocate(2 + reason.length).putShort((short) status).put(reason).flip();
    }
  }

  /**
   * Checks that an application may send a frame of {@code messageType} with {@code data}.
   *
   * @throws IllegalArgumentException if the type is none of TEXT, BINARY, CLOSE, PING, PONG, or a
   *     PING or PONG is sent in parts or with more than {@value #MAX_CONTROL_PAYLOAD} bytes
   */
  public static void checkSend(int messageType, ByteBuffer data, boolean endOfMessage) {
    switch (messageType) {
      case WebSocketMessageTypes.TEXT, WebSocketMessageTypes.BINARY, WebSocketMessageTypes.CLOSE -> {
        // Data frames may come in parts; a close is checked by closeOf.
      }
      case WebSocketMessageTypes.PING, WebSocketMessageTypes.PONG -> {
        if (!endOfMessage || data.remaining() > MAX_CONTROL_PAYLOAD) {
          throw new IllegalArgumentException(
              WebSocketMessageTypes.describe(messageType)
                  + " must be sent whole (endOfMessage true) with at most "
                  + MAX_CONTROL_PAYLOAD
                  + " bytes, got endOfMessage "
                  + endOfMessage
                  + " and "
                  + data.remaining()
                  + " bytes");
        }
      }
      default -> throw new IllegalArgumentException(
          "messageType must be TEXT (0x1), BINARY (0x2), CLOSE (0x8), PING (0x9) or PONG (0xA),"
              + " got "
              + WebSocketMessageTypes.describe(messageType));
    }
  }

  /**
   * Checks an application's accept of a handshake: once only, and with a subprotocol the client
   * offered (or none).
   *
   * @param offered the subprotocols the client offered, in its order
   * @param chosen the subprotocol the application chose, or null
   * @param acceptedBefore whether the application accepted already
   * @throws IllegalArgumentException if {@code chosen} was not offered
   * @throws IllegalStateException if the application accepted already
   */
  public static void checkAccept(
      List<String> offered, @Nullable String chosen, boolean acceptedBefore) {
    if (chosen != null && !offered.contains(chosen)) {
      throw new IllegalArgumentException(
          "the subprotocol must be one the client offered " + offered + ", got \"" + chosen + "\"");
    }
    if (acceptedBefore) {
      throw new IllegalStateException("WebSocketFeature.accept must be called at most once");
    }
  }

  /**
   * The refusal of a frame of {@code messageType} that a transport was asked to send after the
   * peer's close arrived, or null when it goes out: after a received close a host sends only the
   * close answering it. A transport may learn of the peer's close before the engine does (the
   * frame parser sees it first), so a send the engine let through, such as a ping crossing the
   * close, is refused here: it fails alone and the close handshake goes on. Call it once the
   * peer's close arrived, not on every send: a refusal is an exception with its stack trace.
   */
  public static @Nullable IOException refusalAfterPeerClose(int messageType) {
    if (messageType == WebSocketMessageTypes.CLOSE) {
      return null;
    }
    return new IOException(
        "cannot send "
            + WebSocketMessageTypes.describe(messageType)
            + ": the peer closed the WebSocket, and this host sends nothing after a received close"
            + " but the close answering it");
  }

  /** True for TEXT and BINARY, the types of data messages. */
  public static boolean isData(int messageType) {
    return messageType == WebSocketMessageTypes.TEXT
        || messageType == WebSocketMessageTypes.BINARY;
  }

  /**
   * The close an application asked for with {@code status} and {@code description}.
   *
   * @throws IllegalArgumentException if the status is not one RFC 6455 section 7.4 lets an endpoint
   *     send (or {@value #NO_STATUS} with a description), or the reason is too long
   */
  public static Close close(int status, String description) {
    Objects.requireNonNull(description, "description");
    if (status == NO_STATUS) {
      if (!description.isEmpty()) {
        throw new IllegalArgumentException(
            "a close without status (1005) carries no description, got \"" + description + "\"");
      }
      return new Close(NO_STATUS, "");
    }
    if (!isSendableCloseStatus(status)) {
      throw new IllegalArgumentException(
          "close status must be 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 section 7.4), or 1005"
              + " for none, got "
              + status);
    }
    int length = description.getBytes(StandardCharsets.UTF_8).length;
    if (length > MAX_REASON_BYTES) {
      throw new IllegalArgumentException(
          "close description must be at most "
              + MAX_REASON_BYTES
              + " bytes of UTF-8, got "
              + length
              + " bytes");
    }
    return new Close(status, description);
  }

  /**
   * The close an application sent as a CLOSE message: {@code payload} empty, or a status then a
   * UTF-8 reason. Consumes the payload.
   *
   * @throws IllegalArgumentException if not sent whole, or the payload breaks the rules of {@link
   *     #close(int, String)}
   */
  public static Close closeOf(ByteBuffer payload, boolean endOfMessage) {
    if (!endOfMessage) {
      throw new IllegalArgumentException("a CLOSE must be sent with endOfMessage true, got false");
    }
    int length = payload.remaining();
    if (length == 0) {
      return new Close(NO_STATUS, "");
    }
    if (length == 1 || length > MAX_CONTROL_PAYLOAD) {
      throw new IllegalArgumentException(
          "a CLOSE payload must be empty or a 2-byte status then a UTF-8 reason, at most "
              + MAX_CONTROL_PAYLOAD
              + " bytes, got "
              + length
              + " bytes");
    }
    ByteBuffer copy = payload.duplicate();
    int status = copy.getShort() & 0xFFFF;
    Close close = close(status, decodeUtf8(copy, "the CLOSE reason"));
    payload.position(payload.limit());
    return close;
  }

  /**
   * The close a peer sent, from its frame payload: {@value #NO_STATUS} and no reason when the
   * payload is shorter than a status. The host's frame parser has checked the payload already.
   */
  public static Close peerClose(ByteBuffer payload) {
    if (payload.remaining() < 2) {
      return new Close(NO_STATUS, "");
    }
    ByteBuffer copy = payload.duplicate();
    int status = copy.getShort() & 0xFFFF;
    return new Close(status, StandardCharsets.UTF_8.decode(copy).toString());
  }

  /** True for the statuses RFC 6455 section 7.4 lets an endpoint put in a close frame. */
  public static boolean isSendableCloseStatus(int status) {
    return (status >= 1000 && status <= 1003)
        || (status >= 1007 && status <= 1014)
        || (status >= 3000 && status <= 4999);
  }

  private static String decodeUtf8(ByteBuffer bytes, String what) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(what + " must be UTF-8, got malformed bytes", e);
    }
  }
}
