package io.owin4j.undertow.internal;

import io.owin4j.api.ext.OpaqueStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.streams.ChannelInputStream;
import org.xnio.streams.ChannelOutputStream;

/**
 * The raw connection of an opaque upgrade as blocking streams.
 *
 * <p>Undertow hands the connection over with the bytes it had read past the request (the client may
 * send right after its upgrade request without waiting for the 101) still in front of the input, so
 * nothing is lost. Reads and writes block the calling thread, so the host hands the stream to the
 * application on a worker thread; on an IO thread they fail. When the application is done the host
 * shuts the output down, lets what was written drain, and closes the connection; an application
 * that failed gets the connection closed at once.
 */
final class ConnectionOpaqueStream implements OpaqueStream, UpgradedConnection {
  private static final Logger LOG = Logger.getLogger(ConnectionOpaqueStream.class.getName());

  private final StreamConnection connection;
  private final InputStream input;
  private final OutputStream output;

  /** Takes the connection over from the HTTP layer. */
  ConnectionOpaqueStream(StreamConnection connection) {
    this.connection = connection;
    connection.getSourceChannel().suspendReads();
    connection.getSourceChannel().getReadSetter().set(null);
    connection.getSinkChannel().suspendWrites();
    connection.getSinkChannel().getWriteSetter().set(null);
    this.input = new ChannelInputStream(connection.getSourceChannel());
    this.output = new ChannelOutputStream(connection.getSinkChannel());
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return output;
  }

  @Override
  public void applicationCompleted(@Nullable Throwable failure) {
    try {
      connection.getIoThread().execute(() -> close(failure));
    } catch (RejectedExecutionException stopping) {
      // The server is stopping and its IO threads end: no draining then.
      IoUtils.safeClose(connection);
    }
  }

  private void close(@Nullable Throwable failure) {
    if (failure != null) {
      IoUtils.safeClose(connection);
      return;
    }
    ConduitStreamSinkChannel sink = connection.getSinkChannel();
    try {
      sink.shutdownWrites();
      if (!sink.flush()) {
        sink.getWriteSetter()
            .set(
                ChannelListeners.flushingChannelListener(
                    flushed -> IoUtils.safeClose(connection),
                    (channel, e) -> IoUtils.safeClose(connection)));
        sink.resumeWrites();
        return;
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "flushing an opaque connection before closing it failed", e);
    }
    IoUtils.safeClose(connection);
  }

  @Override
  public String toString() {
    return "ConnectionOpaqueStream{" + connection.getPeerAddress() + "}";
  }
}
