package io.owin4j.testkit.internal;

import io.owin4j.core.host.WebSocketEngine;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory WebSocket connection: the application's end, a {@link WebSocketEngine} over an
 * {@link InMemoryWebSocket} transport, and the test's {@link ClientWebSocket}, joined by two
 * bounded {@link FrameQueue}s.
 */
final class WebSocketPair {
  /** The largest message a receive accepts, as on the Undertow host by default: 16 MiB. */
  private static final long MAX_MESSAGE_SIZE = 16L * 1024 * 1024;

  private final FrameQueue toClient;
  private final FrameQueue fromClient;
  private final InMemoryWebSocket transport;
  private final ClientWebSocket client;

  /**
   * Creates the connection.
   *
   * @param capacity how many payload bytes may wait in each direction
   * @param timeout how long the test end waits by default
   * @param executor runs the connection's work
   */
  WebSocketPair(@Nullable String subProtocol, long capacity, Duration timeout, Executor executor) {
    this.toClient = new FrameQueue(capacity);
    this.fromClient = new FrameQueue(capacity);
    this.transport =
        new InMemoryWebSocket(toClient, fromClient, subProtocol, executor, MAX_MESSAGE_SIZE);
    this.client = new ClientWebSocket(this, subProtocol, timeout);
  }

  FrameQueue toClient() {
    return toClient;
  }

  FrameQueue fromClient() {
    return fromClient;
  }

  WebSocketEngine server() {
    return transport.engine();
  }

  ClientWebSocket client() {
    return client;
  }

  /**
   * The connection went away: the application's end is aborted, the test end receives what was
   * queued and then a close with status 1006.
   */
  void connectionLost() {
    transport.lost();
  }

  /**
   * Ends the connection once the application's stage completed, as every host does (see {@link
   * WebSocketEngine#applicationCompleted}).
   *
   * @param failure the application's failure, or null
   * @param propagate whether the test end should see the failure instead of a 1006 close
   */
  void end(@Nullable Throwable failure, boolean propagate) {
    transport.applicationCompleted(failure, propagate);
  }
}
