package io.owin4j.core.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * What a host supplies to run a {@link WebSocketEngine} over its connection: frames in and out, a
 * thread of the connection, and the connection's end. Everything the protocol decides (one pending
 * send and receive, the order of fragments, the close handshake, valid close codes, what a peer's
 * violation closes with) is the engine's; the transport only moves frames.
 *
 * <h2>Threading</h2>
 *
 * The engine touches its state only in tasks given to {@link #execute}, which runs them one at a
 * time in order (or at once, when called on the connection's thread already). The transport calls
 * the engine's event methods ({@link WebSocketEngine#messageArrived} and the others) on that same
 * thread, and completes write listeners there.
 */
public interface WebSocketTransport {
  /**
   * Runs {@code task} on the connection's thread: at once when called there, else after the tasks
   * before it. When the connection's thread is gone (the server is stopping), closes the connection
   * instead.
   */
  void execute(Runnable task);

  /** Runs {@code task} on the connection's thread after {@code millis}; returns its cancellation. */
  Runnable schedule(Runnable task, long millis);

  /** The subprotocol the handshake chose, or null. */
  @Nullable String subProtocol();

  /** True until the connection closed. */
  boolean isOpen();

  /**
   * True once the transport sent a close frame of its own, answering a peer's violation (1002,
   * 1007); the engine then waits for the connection to close instead of closing it.
   */
  boolean closeFrameSent();

  /** Closes the connection, at the end of the close handshake or to abort it. Idempotent. */
  void close();

  /** Stops taking frames from the peer until {@link #resumeReceiving}: back-pressure. */
  void pauseReceiving();

  /** Takes frames from the peer again. */
  void resumeReceiving();

  /**
   * Writes one frame: a data frame ({@code endOfMessage} false leaves its message open, and the
   * next data frame continues it), a PING, a PONG or a CLOSE. Tells {@code listener} once, on the
   * connection's thread.
   */
  void write(int messageType, ByteBuffer data, boolean endOfMessage, WriteListener listener);

  /** Answers a peer's ping, outside the order of the application's frames. */
  void pong(ByteBuffer payload);

  /** How a write ended. */
  interface WriteListener {
    /**
     * Every byte went to the connection: written to it, or queued on it in a batch of bounded size
     * that it flushes without further calls (the caller's buffer is free either way).
     */
    void written();

    /** The frame was not sent, and the connection is as before (such as data after the close). */
    void refused(IOException reason);

    /** The connection broke while writing. */
    void failed(IOException failure);
  }

  /** A data message arriving from the peer, read as it comes. */
  interface IncomingMessage {
    /** TEXT or BINARY, as {@link io.owin4j.api.ext.WebSocketMessageTypes}. */
    int messageType();

    /**
     * Reads what has arrived into {@code buffer}.
     *
     * @return the bytes read, 0 when nothing is there now, -1 at the end of the message
     * @throws IOException when the peer broke off or violated the protocol inside the message
     */
    int read(ByteBuffer buffer) throws IOException;

    /** Calls {@code whenReadable} on the connection's thread once more can be read. */
    void awaitReadable(Runnable whenReadable);

    /** Gives the message up; what is left of it is skipped. */
    void discard();
  }
}
