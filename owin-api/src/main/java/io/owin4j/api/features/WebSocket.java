package io.owin4j.api.features;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.ext.WebSocketReceiveResult;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * An open WebSocket, typed.
 *
 * <p>Message types are the {@link io.owin4j.api.ext.WebSocketMessageTypes} opcodes. At most one
 * send and one receive may be pending at a time; a second fails with {@link IllegalStateException}.
 * Pings are answered by the host and never delivered. Sending a close type is the same as {@link
 * #close}.
 */
public interface WebSocket {
  /** Sends {@code data} as one frame; {@code endOfMessage} false sends a fragment. */
  CompletionStage<Void> send(
      ByteBuffer data, int messageType, boolean endOfMessage, CancellationToken cancel);

  /**
   * Receives the next part of a message into {@code buffer}. A close from the peer gives a close
   * result and sets {@link #closeStatus()} and {@link #closeDescription()}.
   */
  CompletionStage<WebSocketReceiveResult> receive(ByteBuffer buffer, CancellationToken cancel);

  /** Sends the close frame; nothing may be sent afterwards. */
  CompletionStage<Void> close(int status, String description, CancellationToken cancel);

  /** The current state. */
  WebSocketState state();

  /** The status of the close the peer sent, or null before one arrived. */
  @Nullable Integer closeStatus();

  /** The reason of the close the peer sent, or null before one arrived. */
  @Nullable String closeDescription();

  /** The negotiated subprotocol, or null. */
  @Nullable String subProtocol();

  /** Closes the connection at once, without a close handshake. Calling it again does nothing. */
  void abort();
}
