package io.owin4j.middleware.websocket;

import java.util.Objects;

/**
 * The status and reason of the close that ended a {@link WebSocketSession}.
 *
 * <p>Whichever side closed first decides it: the peer's close frame when the peer closed first,
 * this side's close when it closed first (by {@link WebSocketSession#close}, or by the endpoint on
 * a rule such as {@link #MESSAGE_TOO_BIG}), and {@link #ABNORMAL_CLOSURE} when the connection was
 * lost before either side closed.
 *
 * @param code the RFC 6455 status code
 * @param reason the reason; empty when none was given
 */
public record CloseStatus(int code, String reason) {
  /** 1000: the purpose of the connection was fulfilled. */
  public static final int NORMAL_CLOSURE = 1000;

  /** 1001: this side goes away; the endpoint closes idle sessions with it. */
  public static final int GOING_AWAY = 1001;

  /** 1006: the connection was lost without a close frame; never sent on the wire. */
  public static final int ABNORMAL_CLOSURE = 1006;

  /** 1007: a text message was not valid UTF-8. */
  public static final int INVALID_PAYLOAD = 1007;

  /** 1008: a policy was violated; the endpoint closes a session whose send queue is full. */
  public static final int POLICY_VIOLATION = 1008;

  /** 1009: a message was larger than the endpoint's maximum message size. */
  public static final int MESSAGE_TOO_BIG = 1009;

  /** 1011: a handler failed, or a send failed for another reason than a lost connection. */
  public static final int INTERNAL_ERROR = 1011;

  /** Checks the reason is present. */
  public CloseStatus {
    Objects.requireNonNull(reason, "reason");
  }
}
