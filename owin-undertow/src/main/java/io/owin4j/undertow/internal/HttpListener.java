package io.owin4j.undertow.internal;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.DelegateOpenListener;
import io.undertow.server.protocol.http.AlpnOpenListener;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.server.protocol.http2.Http2OpenListener;
import io.undertow.server.protocol.http2.Http2UpgradeHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * One listening socket of the server and the XNIO worker behind it, wired as Undertow's own server
 * wires them, with what HTTP/2 needs on top when it is on: every accepted connection reads through
 * {@link Http2HeaderBlocks}, so that no header block reaches Undertow's HTTP/2 parser before it
 * ended or past its limits, whichever way the connection became HTTP/2; and a connection becomes
 * HTTP/2 only where the guard knows it does: by ALPN over TLS, by the preface as a cleartext
 * connection's first bytes ({@link PriorKnowledge}), or right after an {@code Upgrade: h2c} request
 * ({@link H2cUpgrade}). Undertow's HTTP/1.1 reader would also take a preface sent after any
 * request.
 *
 * <p>Undertow's server builder offers no way to see an accepted connection before its protocol
 * does; this class owns the accepting channel to have one.
 */
public final class HttpListener implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HttpListener.class.getName());

  /** The HTTP/2 header block limits of {@link Http2HeaderBlocks}. */
  public record Http2Limits(int maxContinuations, int maxBlockBytes) {}

  private final XnioWorker worker;
  private final AcceptingChannel<? extends StreamConnection> channel;
  private final int shutdownGraceMillis;

  private HttpListener(
      XnioWorker worker, AcceptingChannel<? extends StreamConnection> channel, int graceMillis) {
    this.worker = worker;
    this.channel = channel;
    this.shutdownGraceMillis = graceMillis;
  }

  /**
   * Binds {@code address} and starts accepting.
   *
   * @param tls the server's TLS context, or null for cleartext
   * @param http2 the header block limits with HTTP/2 on, or null for HTTP/1.x only
   * @param workerOptions the XNIO worker's options (threads, name)
   * @param socketOptions the options of the listening socket and of every accepted connection
   * @param serverOptions Undertow's options ({@link UndertowOptions})
   * @param shutdownGraceMillis how long {@link #close()} lets the worker's tasks end
   * @throws IOException if the address cannot be bound
   */
  public static HttpListener open(
      InetSocketAddress address,
      @Nullable SSLContext tls,
      HttpHandler root,
      ByteBufferPool buffers,
      @Nullable Http2Limits http2,
      OptionMap workerOptions,
      OptionMap socketOptions,
      OptionMap serverOptions,
      int shutdownGraceMillis)
      throws IOException {
    Xnio xnio = Xnio.getInstance(Undertow.class.getClassLoader());
    XnioWorker worker = xnio.createWorker(workerOptions);
    try {
      OptionMap options =
          OptionMap.builder()
              .set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
              .addAll(serverOptions)
              .set(UndertowOptions.ENABLE_HTTP2, http2 != null)
              .getMap();
      // HTTP/2 by prior knowledge begins with the connection (RFC 9113, 3.3): that choice is made
      // here, from its first bytes. Undertow's HTTP/1.1 reader would take a preface at the start
      // of any request for HTTP/2, after the guard has decided the connection is HTTP/1.x.
      OptionMap http1Options =
          OptionMap.builder().addAll(options).set(UndertowOptions.ENABLE_HTTP2, false).getMap();
      HttpOpenListener http1 = new HttpOpenListener(buffers, http1Options);
      ChannelListener<StreamConnection> open = http1;
      Guards guards = null;
      if (http2 == null) {
        http1.setRootHandler(root);
      } else {
        Http2OpenListener h2 = new Http2OpenListener(buffers, options);
        h2.setRootHandler(root);
        if (tls == null) {
          guards = new Guards();
          http1.setRootHandler(new H2cUpgrade(root, guards));
          open =
              new PriorKnowledge(
                  http1, h2, buffers, guards, socketOptions.get(Options.READ_TIMEOUT, 60_000));
        } else {
          http1.setRootHandler(root);
          AlpnOpenListener alpn = new AlpnOpenListener(buffers, options, http1);
          alpn.addProtocol(Http2OpenListener.HTTP2, h2, 10);
          open = alpn;
        }
      }
      Acceptor<StreamConnection> acceptor = new Acceptor<>(open, http2, guards);
      AcceptingChannel<? extends StreamConnection> channel;
      if (tls == null) {
        channel = worker.createStreamConnectionServer(address, acceptor, socketOptions);
      } else {
        UndertowXnioSsl ssl =
            new UndertowXnioSsl(xnio, OptionMap.create(Options.USE_DIRECT_BUFFERS, true), tls);
        @SuppressWarnings({"unchecked", "rawtypes"})
        ChannelListener<AcceptingChannel<org.xnio.ssl.SslConnection>> sslAcceptor =
            (ChannelListener) acceptor;
        channel = ssl.createSslConnectionServer(worker, address, sslAcceptor, socketOptions);
      }
      channel.resumeAccepts();
      return new HttpListener(worker, channel, shutdownGraceMillis);
    } catch (IOException | RuntimeException | Error e) {
      worker.shutdownNow();
      throw e;
    }
  }

  /** The address the listener is bound to. */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  /**
   * Stops accepting, then stops the worker: its tasks get {@code shutdownGraceMillis} to end
   * before they are interrupted.
   */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing the listening socket failed", e);
    }
    worker.shutdown();
    try {
      if (!worker.awaitTermination(shutdownGraceMillis, TimeUnit.MILLISECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Hands each accepted connection to its protocol, through the header block guard. */
  private static final class Acceptor<C extends StreamConnection>
      implements ChannelListener<AcceptingChannel<C>> {
    private final ChannelListener<StreamConnection> open;
    private final @Nullable Http2Limits http2;
    private final @Nullable Guards guards;

    Acceptor(
        ChannelListener<StreamConnection> open,
        @Nullable Http2Limits http2,
        @Nullable Guards guards) {
      this.open = open;
      this.http2 = http2;
      this.guards = guards;
    }

    @Override
    public void handleEvent(AcceptingChannel<C> listening) {
      C connection;
      try {
        connection = listening.accept();
      } catch (IOException e) {
        LOG.log(Level.DEBUG, "accepting a connection failed", e);
        return;
      }
      if (connection == null) {
        return;
      }
      Http2Limits limits = http2;
      if (limits != null) {
        ConduitStreamSourceChannel source = connection.getSourceChannel();
        Http2HeaderBlocks blocks =
            new Http2HeaderBlocks(
                source.getConduit(), limits.maxContinuations(), limits.maxBlockBytes());
        source.setConduit(blocks);
        if (guards != null) {
          guards.put(connection, blocks);
        }
      }
      open.handleEvent(connection);
    }
  }

  /**
   * Chooses the protocol of a cleartext connection from its first bytes, as ALPN does over TLS, and
   * hands the connection with the bytes read to that protocol's listener. The choice is the
   * connection's {@link Http2HeaderBlocks}, which reads those bytes first: HTTP/2 once they are the
   * preface, HTTP/1.x as soon as one differs. A connection that sends too little to decide within
   * the read timeout is closed.
   */
  private static final class PriorKnowledge implements ChannelListener<StreamConnection> {
    /** The length of the HTTP/2 connection preface: enough to decide, and no byte past it. */
    private static final int PREFACE_LENGTH = 24;
    private final DelegateOpenListener http1;
    private final DelegateOpenListener http2;
    private final ByteBufferPool buffers;
    private final Guards guards;
    private final int timeoutMillis;

    PriorKnowledge(
        DelegateOpenListener http1,
        DelegateOpenListener http2,
        ByteBufferPool buffers,
        Guards guards,
        int timeoutMillis) {
      this.http1 = http1;
      this.http2 = http2;
      this.buffers = buffers;
      this.guards = guards;
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void handleEvent(StreamConnection connection) {
      Http2HeaderBlocks blocks = guards.get(connection);
      if (blocks == null) {
        throw new IllegalStateException("the connection has no HTTP/2 header block guard");
      }
      new FirstBytes(connection, blocks).read();
    }

    /**
     * A connection until its first bytes chose its protocol. It holds no pooled buffer while it
     * waits: a client that connects and stays silent costs a few dozen bytes.
     */
    private final class FirstBytes
        implements ChannelListener<ConduitStreamSourceChannel>, Runnable {
      private final StreamConnection connection;
      private final Http2HeaderBlocks blocks;
      private final ByteBuffer first = ByteBuffer.allocate(PREFACE_LENGTH);
      private XnioExecutor.@Nullable Key timeout;

      FirstBytes(StreamConnection connection, Http2HeaderBlocks blocks) {
        this.connection = connection;
        this.blocks = blocks;
      }

      @Override
      public void handleEvent(ConduitStreamSourceChannel source) {
        read();
      }

      /** Times out. */
      @Override
      public void run() {
        timeout = null;
        LOG.log(Level.DEBUG, "a connection sent too little to choose its protocol in time");
        abandon();
      }

      void read() {
        ConduitStreamSourceChannel source = connection.getSourceChannel();
        try {
          if (source.read(first) < 0) {
            abandon();
            return;
          }
        } catch (IOException e) {
          LOG.log(Level.DEBUG, "reading a connection's first bytes failed", e);
          abandon();
          return;
        }
        if (!blocks.readsFrames() && !blocks.passesThrough()) {
          if (timeout == null) {
            source.setReadListener(this);
            source.resumeReads();
            timeout =
                connection.getIoThread().executeAfter(this, timeoutMillis, TimeUnit.MILLISECONDS);
          }
          return;
        }
        if (timeout != null) {
          timeout.remove();
          timeout = null;
        }
        source.suspendReads();
        source.setReadListener(null);
        PooledByteBuffer read = buffers.allocate();
        read.getBuffer().put(first.flip()).flip();
        (blocks.readsFrames() ? http2 : http1).handleEvent(connection, read);
      }

      private void abandon() {
        if (timeout != null) {
          timeout.remove();
          timeout = null;
        }
        IoUtils.safeClose(connection);
      }
    }
  }

  /**
   * Undertow's {@code h2c} upgrade, with the connection's {@link Http2HeaderBlocks} told first
   * where the HTTP/2 bytes will begin: right after the request's body. An upgrade request whose
   * body has no declared length (chunked), or after which the client already sent more than its
   * body, is served as HTTP/1.1 without the upgrade, which RFC 9113 (3.1) leaves to the server.
   */
  private static final class H2cUpgrade implements HttpHandler {
    private final HttpHandler next;
    private final Http2UpgradeHandler upgrade;
    private final Guards guards;

    H2cUpgrade(HttpHandler next, Guards guards) {
      this.next = next;
      this.upgrade = new Http2UpgradeHandler(next);
      this.guards = guards;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
      if (!"h2c".equals(exchange.getRequestHeaders().getFirst(Headers.UPGRADE))
          || !exchange.getRequestHeaders().contains("HTTP2-Settings")) {
        next.handleRequest(exchange);
        return;
      }
      long body = exchange.isRequestComplete() ? 0 : exchange.getRequestContentLength();
      if (body >= 0
          && exchange.getConnection() instanceof HttpServerConnection connection
          && prefaceExpectedAfter(connection, body)) {
        upgrade.handleRequest(exchange);
      } else {
        next.handleRequest(exchange);
      }
    }

    /**
     * Tells the connection's guard that HTTP/2 begins after the request's {@code body} bytes;
     * false when it cannot: no guard, or the client already sent more than its body.
     */
    private boolean prefaceExpectedAfter(HttpServerConnection connection, long body) {
      Http2HeaderBlocks blocks = guards.get(connection.getChannel());
      // What Undertow read past the request head and has not used yet: the body's first bytes,
      // and whatever came after them.
      PooledByteBuffer unread = connection.getExtraBytes();
      long ahead = unread == null ? 0 : unread.getBuffer().remaining();
      if (blocks == null || ahead > body) {
        return false;
      }
      blocks.expectPrefaceAt(blocks.bytesBeforeFrames() - ahead + body);
      return true;
    }
  }

  /**
   * The guard of each cleartext connection, for the listeners that act on it later: Undertow's read
   * timeout conduit comes above it, so the connection's own conduits do not lead to it. Weak both
   * ways, since a connection's guard refers to the connection through its conduits.
   */
  private static final class Guards {
    private final Map<StreamConnection, WeakReference<Http2HeaderBlocks>> byConnection =
        Collections.synchronizedMap(new WeakHashMap<>());

    void put(StreamConnection connection, Http2HeaderBlocks blocks) {
      byConnection.put(connection, new WeakReference<>(blocks));
    }

    @Nullable Http2HeaderBlocks get(StreamConnection connection) {
      WeakReference<Http2HeaderBlocks> guard = byConnection.get(connection);
      return guard == null ? null : guard.get();
    }
  }
}
