package io.owin4j.undertow.internal;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.features.CancellationTokenSource;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * The request's cancellation token ({@code owin.CallCancelled}) and abort.
 *
 * <p>The token's source is made when the application first asks for the token, so requests that
 * never look pay nothing. It is cancelled when the connection closes, when the request faults (a
 * body read fails, the application fails, or it aborts), and, on plain HTTP/1.x, as soon as the
 * client shuts its side of the connection.
 *
 * <h2>Noticing a client that went away (HTTP/1.x)</h2>
 *
 * While a request runs Undertow does not read the connection, so a client that closes its socket
 * goes unnoticed until a write fails. Once the request body is fully read and the token exists, this
 * feature reads the connection itself on the IO thread: end of stream cancels the token; bytes of a
 * pipelined next request are handed back to Undertow ({@code ungetRequestBytes}) and the watch
 * stops. Undertow restores its own read listener when the exchange completes. The watch is not used
 * over TLS (the TLS conduit must not be read and written from two threads) or when Undertow already
 * holds read-ahead bytes; HTTP/2 connections are always read, and their close is seen through the
 * connection's close listener.
 *
 * <h2>Threading</h2>
 *
 * {@link #requestAborted()} and {@link #abort()} may be called from any thread; the watch runs on
 * the connection's IO thread. The callbacks of the token run on the thread that cancels it, often an
 * IO thread: they must not block.
 */
final class ExchangeLifetimeFeature
    implements RequestLifetimeFeature, ChannelListener<ConduitStreamSourceChannel> {
  private static final Logger LOG = Logger.getLogger(ExchangeLifetimeFeature.class.getName());

  /** What aborts the request: closes the connection or resets the stream. */
  interface Aborter {
    /** Aborts the request; calling it again does nothing. */
    void abortRequest();
  }

  private final HttpServerExchange exchange;
  private final Aborter aborter;
  private @Nullable CancellationToken replacement;

  // Guarded by this: the source may be asked for on an application thread while the IO thread
  // cancels it or arms the watch.
  private @Nullable CancellationTokenSource source;
  private boolean faulted;
  private boolean bodyEnded;
  private boolean watching;
  private boolean ended;
  private boolean released;

  /**
   * @param aborter closes the connection or resets the stream; called by {@link #abort()}
   */
  ExchangeLifetimeFeature(HttpServerExchange exchange, Aborter aborter) {
    this.exchange = exchange;
    this.aborter = aborter;
  }

  // Looked up only when a token exists: requests that never ask for one skip the connection state.
  private ConnectionState connection() {
    return ConnectionState.of(exchange.getConnection());
  }

  @Override
  public CancellationToken requestAborted() {
    CancellationToken token = replacement;
    return token != null ? token : source().token();
  }

  @Override
  public void setRequestAborted(CancellationToken token) {
    this.replacement = Objects.requireNonNull(token, "token");
  }

  @Override
  public void abort() {
    aborter.abortRequest();
  }

  private CancellationTokenSource source() {
    CancellationTokenSource created;
    boolean cancelNow;
    boolean watchNow;
    synchronized (this) {
      if (source != null) {
        return source;
      }
      created = new CancellationTokenSource();
      source = created;
      cancelNow = faulted;
      watchNow = !ended && (bodyEnded || exchange.isRequestComplete());
    }
    if (cancelNow) {
      ConnectionState.cancel(created);
    } else {
      connection().add(created);
      if (watchNow) {
        watchConnection();
      }
    }
    return created;
  }

  /** The request faulted: cancels the token now, or makes it born cancelled. */
  void fault() {
    CancellationTokenSource existing;
    synchronized (this) {
      faulted = true;
      existing = source;
    }
    if (existing != null) {
      ConnectionState.cancel(existing);
    }
  }

  /** Whether the request faulted: it failed, was aborted, or its client went away. */
  synchronized boolean faulted() {
    return faulted;
  }

  /** The request body has been read to its end: the connection may be watched now. */
  void requestBodyEnded() {
    boolean watchNow;
    synchronized (this) {
      bodyEnded = true;
      watchNow = source != null && !ended;
    }
    if (watchNow) {
      watchConnection();
    }
  }

  /**
   * Marks the request over: from now on the connection is not watched.
   *
   * @return true when the watch was started, so the exchange must end on its IO thread (which reads
   *     the connection, and hands the read listener back to Undertow at completion)
   */
  boolean end() {
    synchronized (this) {
      ended = true;
      return watching;
    }
  }

  /**
   * Undertow completed the exchange: stops cancelling on connection close and never watches the
   * connection again. Called before Undertow's own completion listener hands the connection to the
   * next request, which the response may have completed long before {@link #end()}.
   */
  void release() {
    CancellationTokenSource existing;
    synchronized (this) {
      ended = true;
      released = true;
      existing = source;
    }
    if (existing != null) {
      connection().remove(existing);
    }
  }

  private void watchConnection() {
    if (!(exchange.getConnection() instanceof HttpServerConnection http)
        || http.getSslSessionInfo() != null) {
      return;
    }
    exchange.getIoThread().execute(() -> startWatch(http));
  }

  private void startWatch(HttpServerConnection http) {
    // Under the lock: the exchange may complete on another thread (a response finished by a worker)
    // and Undertow then installs its own read listener for the next request, which the watch must
    // not replace. release() marks the end under this lock before that happens.
    synchronized (this) {
      if (ended || watching || exchange.isComplete() || http.getExtraBytes() != null) {
        return;
      }
      watching = true;
      ConduitStreamSourceChannel channel = http.getChannel().getSourceChannel();
      // The request's own conduits (a finished fixed-length body) would report end of stream; read
      // the connection itself, as Undertow does once the exchange completes.
      channel.setConduit(http.getOriginalSourceConduit());
      channel.setReadListener(this);
      channel.resumeReads();
    }
  }

  /** Reads the connection while the request runs; see the class comment. */
  @Override
  public void handleEvent(ConduitStreamSourceChannel channel) {
    if (readWatched(channel)) {
      fault();
    }
  }

  /**
   * One read of the watch; true when the client left. The read and the hand-back happen under the
   * lock, so the exchange completes either before them (and the bytes stay in the socket for
   * Undertow) or after them (and Undertow finds them handed back).
   */
  private synchronized boolean readWatched(ConduitStreamSourceChannel channel) {
    if (released) {
      // Undertow completed the exchange and, maybe on another thread this very moment, installs
      // its reader for the next request and resumes reads: suspending here could undo that resume
      // and leave the next request unread. The watch only steps aside.
      return false;
    }
    if (ended) {
      // The exchange ends on this IO thread next (see end()), which resumes reads for Undertow.
      channel.suspendReads();
      return false;
    }
    ServerConnection serverConnection = exchange.getConnection();
    PooledByteBuffer pooled = serverConnection.getByteBufferPool().allocate();
    boolean handedBack = false;
    try {
      int read = channel.read(pooled.getBuffer());
      if (read == 0) {
        return false;
      }
      channel.suspendReads();
      if (read > 0) {
        pooled.getBuffer().flip();
        ((HttpServerConnection) serverConnection).ungetRequestBytes(pooled);
        handedBack = true;
        return false;
      }
      LOG.log(Level.FINE, "client closed the connection while request {0} ran", exchange);
      return true;
    } catch (IOException e) {
      channel.suspendReads();
      LOG.log(Level.FINE, "connection failed while request " + exchange + " ran", e);
      return true;
    } finally {
      if (!handedBack) {
        pooled.close();
      }
    }
  }

  @Override
  public String toString() {
    return "ExchangeLifetimeFeature{" + source + "}";
  }
}
