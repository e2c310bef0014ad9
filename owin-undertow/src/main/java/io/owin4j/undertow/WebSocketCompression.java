package io.owin4j.undertow;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the host compresses WebSocket messages ({@code permessage-deflate}, RFC 7692) with clients
 * that offer it, as every browser does.
 *
 * <pre>{@code
 * OwinServer.builder()
 *     .webSocketCompression(WebSocketCompression.builder().threshold(256).level(6).build())
 *     ...
 * }</pre>
 *
 * <h2>What the host does</h2>
 *
 * <ul>
 *   <li>A message smaller than {@link #threshold()} bytes goes out uncompressed (RFC 7692 lets a
 *       sender leave any message uncompressed): for small messages deflate costs more time on both
 *       ends than the few bytes it saves. A message that does not get smaller goes out uncompressed
 *       too, unless {@link #contextTakeover()} is on. Messages the application sends in fragments
 *       are compressed whatever their size.
 *   <li>Without {@link #contextTakeover()} (the default) the host agrees on {@code
 *       server_no_context_takeover} and {@code client_no_context_takeover}: every message is
 *       compressed on its own, so an idle connection holds no compression state at all, and the
 *       deflaters and inflaters are shared by the connections of an IO thread. With it, each
 *       connection keeps its own deflater and inflater (about 300 KiB of native memory) for the
 *       slightly better ratio of compressing a message against the ones before it, unless the
 *       client asks otherwise. RFC 7692 obliges a client to accept {@code
 *       client_no_context_takeover}, but one that refuses it (Node's {@code ws} with {@code
 *       clientNoContextTakeover: false}) fails its handshake unless context takeover is on.
 *   <li>An offer that asks the server for a window smaller than 32 KiB ({@code
 *       server_max_window_bits} below 15) is declined: the JDK's deflater has one window size. A
 *       client's own window hint ({@code client_max_window_bits}) is left unanswered, which keeps
 *       the client at the default window.
 *   <li>A compressed message is inflated no further than the maximum message size: past it the
 *       receive fails and the WebSocket closes with 1009, as for an uncompressed message.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * Immutable and thread-safe; the {@link Builder} is not.
 */
public final class WebSocketCompression {
  /** The default of {@link Builder#threshold(int)}: 1 KiB. */
  public static final int DEFAULT_THRESHOLD = 1024;

  /** The default of {@link Builder#level(int)}: 1, the fastest. */
  public static final int DEFAULT_LEVEL = 1;

  private static final WebSocketCompression DEFAULTS =
      new WebSocketCompression(true, DEFAULT_THRESHOLD, DEFAULT_LEVEL, false);
  private static final WebSocketCompression DISABLED =
      new WebSocketCompression(false, DEFAULT_THRESHOLD, DEFAULT_LEVEL, false);

  private final boolean enabled;
  private final int threshold;
  private final int level;
  private final boolean contextTakeover;

  private WebSocketCompression(
      boolean enabled, int threshold, int level, boolean contextTakeover) {
    this.enabled = enabled;
    this.threshold = threshold;
    this.level = level;
    this.contextTakeover = contextTakeover;
  }

  /** Compression on, with the default threshold, level and no context takeover. */
  public static WebSocketCompression defaults() {
    return DEFAULTS;
  }

  /** Compression off: {@code permessage-deflate} offers are declined. */
  public static WebSocketCompression disabled() {
    return DISABLED;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder(DEFAULTS);
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Whether {@code permessage-deflate} is negotiated when a client offers it. */
  public boolean enabled() {
    return enabled;
  }

  /** The smallest message, in bytes, that is sent compressed. */
  public int threshold() {
    return threshold;
  }

  /** The deflate level, from 1 (fastest) to 9 (smallest). */
  public int level() {
    return level;
  }

  /** Whether a connection keeps its compression context from one message to the next. */
  public boolean contextTakeover() {
    return contextTakeover;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof WebSocketCompression that
        && enabled == that.enabled
        && threshold == that.threshold
        && level == that.level
        && contextTakeover == that.contextTakeover;
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, threshold, level, contextTakeover);
  }

  @Override
  public String toString() {
    return enabled
        ? "permessage-deflate{threshold="
            + threshold
            + ", level="
            + level
            + ", contextTakeover="
            + contextTakeover
            + "}"
        : "off";
  }

  /** Builds {@link WebSocketCompression} settings; not thread-safe. */
  public static final class Builder {
    private boolean enabled;
    private int threshold;
    private int level;
    private boolean contextTakeover;

    private Builder(WebSocketCompression from) {
      enabled = from.enabled;
      threshold = from.threshold;
      level = from.level;
      contextTakeover = from.contextTakeover;
    }

    /** Whether compression is negotiated at all; true unless set. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /**
     * The smallest message, in bytes, that is sent compressed; smaller ones go out as they are.
     * {@value WebSocketCompression#DEFAULT_THRESHOLD} unless set; 0 compresses every message.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder threshold(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException(
            "webSocketCompression threshold must not be negative, got " + bytes);
      }
      this.threshold = bytes;
      return this;
    }

    /**
     * The deflate level: 1 is the fastest, 9 compresses most. {@value
     * WebSocketCompression#DEFAULT_LEVEL} unless set.
     *
     * @throws IllegalArgumentException if not in [1, 9]
     */
    public Builder level(int level) {
      if (level < 1 || level > 9) {
        throw new IllegalArgumentException(
            "webSocketCompression level must be in [1, 9], got " + level);
      }
      this.level = level;
      return this;
    }

    /**
     * Whether each connection keeps its compression context from one message to the next (see
     * the class comment for the memory this costs); false unless set.
     */
    public Builder contextTakeover(boolean contextTakeover) {
      this.contextTakeover = contextTakeover;
      return this;
    }

    /** The settings. */
    public WebSocketCompression build() {
      return new WebSocketCompression(enabled, threshold, level, contextTakeover);
    }
  }
}
