package io.owin4j.undertow.internal;

import io.owin4j.features.CancellationTokenSource;
import io.owin4j.features.DefaultRequestIdentifierFeature;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the host keeps per network connection: its identifier, and the cancellation sources of the
 * requests in flight on it, cancelled when the connection closes.
 *
 * <p>Attached to the Undertow connection, so every request on one connection finds the same state
 * (HTTP/2 streams share their connection's attachments). Undertow offers no way to remove a close
 * listener, so exactly one is registered per connection, and requests come and go from a list.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: HTTP/2 requests on one connection run at the same time.
 */
final class ConnectionState implements ServerConnection.CloseListener {
  private static final Logger LOG = Logger.getLogger(ConnectionState.class.getName());
  private static final AttachmentKey<ConnectionState> KEY =
      AttachmentKey.create(ConnectionState.class);
  private static final Object CREATION_LOCK = new Object();

  // Request identifiers are unique within the process and cheap: connections take theirs too.
  private final String id = DefaultRequestIdentifierFeature.newRequestId();
  private final List<CancellationTokenSource> inFlight = new ArrayList<>(1);
  private boolean closed;

  private ConnectionState() {}

  /** The state of {@code connection}, created (and its close listener registered) on first use. */
  static ConnectionState of(ServerConnection connection) {
    ConnectionState state = connection.getAttachment(KEY);
    if (state != null) {
      return state;
    }
    synchronized (CREATION_LOCK) {
      state = connection.getAttachment(KEY);
      if (state == null) {
        state = new ConnectionState();
        connection.putAttachment(KEY, state);
        connection.addCloseListener(state);
      }
      return state;
    }
  }

  /** Identifies the connection: unique within this process, and very likely across processes. */
  String id() {
    return id;
  }

  /** Cancels {@code source} when the connection closes; at once if it has closed already. */
  void add(CancellationTokenSource source) {
    synchronized (inFlight) {
      if (!closed) {
        inFlight.add(source);
        return;
      }
    }
    cancel(source);
  }

  /** Stops watching {@code source}: its request is over. */
  void remove(CancellationTokenSource source) {
    synchronized (inFlight) {
      inFlight.remove(source);
    }
  }

  @Override
  public void closed(ServerConnection connection) {
    List<CancellationTokenSource> toCancel;
    synchronized (inFlight) {
      closed = true;
      toCancel = List.copyOf(inFlight);
      inFlight.clear();
    }
    for (CancellationTokenSource source : toCancel) {
      cancel(source);
    }
  }

  /** Cancels {@code source}, logging (not throwing) what its callbacks throw. */
  static void cancel(CancellationTokenSource source) {
    try {
      source.cancel();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "an owin.CallCancelled callback failed", e);
    }
  }

  @Override
  public String toString() {
    return "ConnectionState{" + id + "}";
  }
}
