package io.owin4j.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One whole WebSocket message a {@link TestWebSocket} received: text, binary, or the close.
 *
 * <p>Immutable; equal when type, payload and close status match, so a test can write {@code
 * assertEquals(WebSocketMessage.text("hi"), socket.receive())}.
 */
public final class WebSocketMessage {
  /** The kind of message. */
  public enum Type {
    /** A UTF-8 text message. */
    TEXT,
    /** A binary message. */
    BINARY,
    /** The peer's close, or a lost connection (status 1006). */
    CLOSE,
    /** A ping the application sent; the client answers it itself. */
    PING,
    /** A pong the application sent. */
    PONG
  }

  /** The status that stands for a connection lost without a close frame (RFC 6455, 7.1.5). */
  public static final int ABNORMAL_CLOSURE = 1006;

  private final Type type;
  private final byte[] data;
  private final int closeStatus;

  private WebSocketMessage(Type type, byte[] data, int closeStatus) {
    this.type = type;
    this.data = data;
    this.closeStatus = closeStatus;
  }

  /** A text message. */
  public static WebSocketMessage text(String text) {
    Objects.requireNonNull(text, "text");
    return new WebSocketMessage(Type.TEXT, text.getBytes(StandardCharsets.UTF_8), 0);
  }

  /** A binary message holding a copy of {@code bytes}. */
  public static WebSocketMessage binary(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return new WebSocketMessage(Type.BINARY, bytes.clone(), 0);
  }

  /** A ping carrying a copy of {@code payload}. */
  public static WebSocketMessage ping(byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    return new WebSocketMessage(Type.PING, payload.clone(), 0);
  }

  /** A pong carrying a copy of {@code payload}. */
  public static WebSocketMessage pong(byte[] payload) {
    Objects.requireNonNull(payload, "payload");
    return new WebSocketMessage(Type.PONG, payload.clone(), 0);
  }

  /**
   * A close with {@code status} and {@code reason}.
   *
   * @throws IllegalArgumentException if {@code status} is not in [1000, 4999]
   */
  public static WebSocketMessage close(int status, String reason) {
    Objects.requireNonNull(reason, "reason");
    if (status < 1000 || status > 4999) {
      throw new IllegalArgumentException("close status must be in [1000, 4999], got " + status);
    }
    return new WebSocketMessage(Type.CLOSE, reason.getBytes(StandardCharsets.UTF_8), status);
  }

  /** The kind of message. */
  public Type type() {
    return type;
  }

  /**
   * The text of a text message.
   *
   * @throws IllegalStateException if this is not a text message
   */
  public String text() {
    if (type != Type.TEXT) {
      throw new IllegalStateException("text() needs a TEXT message, got " + this);
    }
    return new String(data, StandardCharsets.UTF_8);
  }

  /**
   * A copy of the payload: the bytes of a text, binary, ping or pong message, the UTF-8 reason of a
   * close.
   */
  public byte[] bytes() {
    return data.clone();
  }

  /**
   * The status of a close.
   *
   * @throws IllegalStateException if this is not a close
   */
  public int closeStatus() {
    if (type != Type.CLOSE) {
      throw new IllegalStateException("closeStatus() needs a CLOSE message, got " + this);
    }
    return closeStatus;
  }

  /**
   * The reason of a close; may be empty.
   *
   * @throws IllegalStateException if this is not a close
   */
  public String closeReason() {
    if (type != Type.CLOSE) {
      throw new IllegalStateException("closeReason() needs a CLOSE message, got " + this);
    }
    return new String(data, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof WebSocketMessage message
        && type == message.type
        && closeStatus == message.closeStatus
        && Arrays.equals(data, message.data);
  }

  @Override
  public int hashCode() {
    return (type.hashCode() * 31 + closeStatus) * 31 + Arrays.hashCode(data);
  }

  /** Shows the type and payload, such as {@code TEXT "hi"} or {@code CLOSE 1000 "bye"}. */
  @Override
  public String toString() {
    return switch (type) {
      case TEXT -> "TEXT \"" + new String(data, StandardCharsets.UTF_8) + "\"";
      case BINARY -> "BINARY " + data.length + " bytes " + hex();
      case PING -> "PING " + data.length + " bytes " + hex();
      case PONG -> "PONG " + data.length + " bytes " + hex();
      case CLOSE ->
          "CLOSE " + closeStatus + " \"" + new String(data, StandardCharsets.UTF_8) + "\"";
    };
  }

  private String hex() {
    StringBuilder out = new StringBuilder("[");
    int shown = Math.min(data.length, 32);
    for (int i = 0; i < shown; i++) {
      out.append(String.format("%02x", data[i]));
    }
    return out.append(data.length > shown ? "...]" : "]").toString();
  }
}
