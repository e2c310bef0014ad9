package io.owin4j.testkit.internal;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.features.WebSocketState;
import io.owin4j.core.host.WebSocketProtocol;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory WebSocket connection: the application's {@link ServerWebSocket} and the test's
 * {@link ClientWebSocket}, joined by two bounded {@link FrameQueue}s.
 */
final class WebSocketPair {
  private final FrameQueue toClient;
  private final FrameQueue fromClient;
  private final ServerWebSocket server;
  private final ClientWebSocket client;

  /**
   * Creates the connection.
   *
   * @param capacity how many payload bytes may wait in each direction
   * @param timeout how long the test end waits by default
   */
  WebSocketPair(@Nullable String subProtocol, long capacity, Duration timeout) {
    this.toClient = new FrameQueue(capacity);
    this.fromClient = new FrameQueue(capacity);
    this.server = new ServerWebSocket(this, subProtocol);
    this.client = new ClientWebSocket(this, subProtocol, timeout);
  }

  FrameQueue toClient() {
    return toClient;
  }

  FrameQueue fromClient() {
    return fromClient;
  }

  ServerWebSocket server() {
    return server;
  }

  ClientWebSocket client() {
    return client;
  }

  /**
   * The connection went away: the application's end is aborted, the test end receives what was
   * queued and then a close with status 1006, or {@code failure} when it is not null.
   */
  void connectionLost(@Nullable Throwable failure) {
    server.lost();
    toClient.finish(failure);
    fromClient.discard();
  }

  /**
   * Ends the connection once the application's stage completed, as a host does: answers a close the
   * client sent that the application did not answer, aborts a WebSocket neither side closed or
   * whose application failed, and otherwise closes the connection.
   *
   * @param failure the application's failure, or null
   * @param propagate whether the test end should see the failure instead of a 1006 close
   */
  void end(@Nullable Throwable failure, boolean propagate) {
    if (failure != null) {
      connectionLost(propagate ? failure : null);
      return;
    }
    WebSocketState state = server.state();
    if (state == WebSocketState.CLOSE_RECEIVED) {
      Integer status = server.closeStatus();
      String description = server.closeDescription();
      server.close(
          status == null ? WebSocketProtocol.NO_STATUS : status,
          description == null ? "" : description,
          CancellationToken.NONE);
    } else if (state == WebSocketState.OPEN) {
      connectionLost(null);
      return;
    }
    toClient.finish(null);
    fromClient.discard();
  }
}
