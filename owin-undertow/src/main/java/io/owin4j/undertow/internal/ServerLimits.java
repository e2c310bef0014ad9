package io.owin4j.undertow.internal;

import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.Options;

/**
 * The server-wide limits that keep a few misbehaving clients from taking the server from everyone
 * else: at most so many requests at a time and so many upgraded connections (WebSocket sessions
 * and opaque streams), each excess request answered 503 at once; a minimum upload rate for request
 * bodies ({@link MinimumRateConduit}); and the idle timeouts of upgraded connections. It is also
 * the server's stop gate: once {@link #stop()} is called every new request gets 503 while {@link
 * #awaitRequestsEnded} waits for those in flight (one count, one completion listener per request).
 *
 * <p>A request counts from this handler until Undertow completes its exchange (an upgrade completes
 * it with the 101); an upgrade request counts as an upgraded connection from this handler until
 * its connection closes, or until its exchange completes without a 101. Idle timeouts are
 * the connection's read timeout ({@link Options#READ_TIMEOUT}), which Undertow's read-timeout
 * conduit enforces by closing the connection. On HTTP/1.x the read timeout is set for each request:
 * to the configured one while a request has a body, to none otherwise and between requests, when
 * the idle timeout ({@code UndertowOptions.NO_REQUEST_TIMEOUT}) watches the connection.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe: one instance serves every connection of a listener.
 */
public final class ServerLimits implements HttpHandler {
  private static final Logger LOG = Logger.getLogger(ServerLimits.class.getName());

  /**
   * What the limits are.
   *
   * @param maxConcurrentRequests requests at a time; more get 503
   * @param maxUpgradedConnections WebSocket sessions and opaque streams at a time; more get 503
   * @param minUploadRate bytes per second a request body must average after the grace period; 0
   *     for no minimum
   * @param uploadRateGraceMillis how long a body may arrive slower at first
   * @param webSocketIdleMillis how long a WebSocket may stay silent before it is closed
   * @param opaqueIdleMillis how long an opaque stream may stay silent before it is closed
   * @param readTimeoutMillis how long a read of a request body may wait for the client's next bytes
   */
  public record Settings(
      int maxConcurrentRequests,
      int maxUpgradedConnections,
      long minUploadRate,
      long uploadRateGraceMillis,
      int webSocketIdleMillis,
      int opaqueIdleMillis,
      int readTimeoutMillis) {}

  private final HttpHandler next;
  private final Settings settings;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger upgraded = new AtomicInteger();
  private volatile boolean stopping;

  // The listeners of requests that asked for no upgrade: they need nothing of the request. The
  // read timeout a body set is taken back when its request ends: waiting for the next request is
  // the idle timeout's business.
  private final ExchangeCompletionListener requestEnded =
      (completed, nextListener) -> {
        try {
          requests.decrementAndGet();
        } finally {
          nextListener.proceed();
        }
      };
  private final ExchangeCompletionListener bodyRequestEnded =
      (completed, nextListener) -> {
        try {
          requests.decrementAndGet();
          setReadTimeout(completed, 0);
        } finally {
          nextListener.proceed();
        }
      };

  /** Guards {@code next} with {@code settings}. */
  public ServerLimits(HttpHandler next, Settings settings) {
    this.next = next;
    this.settings = settings;
  }


  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    // An upgrade request takes its slot now: the 101 reaches the client before Undertow reports
    // the exchange complete, and the client may ask for the next upgrade at once.
    Runnable releaseUpgrade = null;
    if (exchange.getRequestHeaders().contains(Headers.UPGRADE)) {
      if (upgraded.incrementAndGet() > settings.maxUpgradedConnections()) {
        upgraded.decrementAndGet();
        refuse(
            exchange,
            "the server has " + settings.maxUpgradedConnections() + " upgraded connections already");
        return;
      }
      AtomicBoolean held = new AtomicBoolean(true);
      Runnable release =
          () -> {
            if (held.compareAndSet(true, false)) {
              upgraded.decrementAndGet();
            }
          };
      exchange.getConnection().addCloseListener(closed -> release.run());
      releaseUpgrade = release;
    }
    // Counted first, then the stop checked: a request the stop's wait does not see is refused.
    int inFlight = requests.incrementAndGet();
    if (stopping || inFlight > settings.maxConcurrentRequests()) {
      requests.decrementAndGet();
      if (releaseUpgrade != null) {
        releaseUpgrade.run();
      }
      if (stopping) {
        refuse(exchange, "the server is stopping");
      } else {
        refuse(exchange, "the server has " + settings.maxConcurrentRequests() + " concurrent requests already");
      }
      return;
    }
    boolean hasBody = hasBody(exchange);
    if (releaseUpgrade == null) {
      exchange.addExchangeCompleteListener(hasBody ? bodyRequestEnded : requestEnded);
    } else {
      Runnable notUpgraded = releaseUpgrade;
      exchange.addExchangeCompleteListener(
          (completed, nextListener) -> {
            try {
              requests.decrementAndGet();
              if (completed.isUpgrade()) {
                setIdleTimeout(completed);
              } else {
                notUpgraded.run();
                if (hasBody) {
                  setReadTimeout(completed, 0);
                }
              }
            } finally {
              nextListener.proceed();
            }
          });
    }
    // The read timeout guards a body the application waits for. A request without one is not
    // cut by it, even when the host reads its connection to notice the client leaving; and
    // requests that never arm it save Undertow's read timer, set anew for every request otherwise.
    setReadTimeout(exchange, hasBody ? settings.readTimeoutMillis() : 0);
    if (settings.minUploadRate() > 0 && hasBody) {
      exchange.addRequestWrapper(
          (factory, ex) ->
              new MinimumRateConduit(
                  factory.create(),
                  ex,
                  settings.minUploadRate(),
                  settings.uploadRateGraceMillis()));
    }
    next.handleRequest(exchange);
  }

  private void setIdleTimeout(HttpServerExchange exchange) {
    boolean webSocket =
        "websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst(Headers.UPGRADE));
    setReadTimeout(
        exchange, webSocket ? settings.webSocketIdleMillis() : settings.opaqueIdleMillis());
  }

  /**
   * Sets the read timeout of an HTTP/1.x connection (an HTTP/2 connection is read all the time and
   * keeps the listener's); Undertow's read-timeout conduit reads it at every wait.
   */
  private static void setReadTimeout(HttpServerExchange exchange, int millis) {
    if (exchange.getConnection() instanceof HttpServerConnection http) {
      try {
        http.getChannel().setOption(Options.READ_TIMEOUT, millis);
      } catch (IOException | IllegalArgumentException e) {
        LOG.log(Level.FINE, "cannot set the read timeout of " + exchange.getConnection(), e);
      }
    }
  }

  private static boolean hasBody(HttpServerExchange exchange) {
    // Undertow completes the request at once when it has no body.
    return exchange.isRequestChannelAvailable() && !exchange.isRequestComplete();
  }

  private static void refuse(HttpServerExchange exchange, String why) {
    LOG.log(Level.FINE, "refused {0}: {1}", new Object[] {exchange, why});
    exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
    exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
    exchange.setPersistent(false);
    exchange.endExchange();
  }

  /**
   * Starts a graceful stop: from now on every new request gets 503 (with {@code Retry-After}),
   * while the requests in flight go on.
   */
  public void stop() {
    stopping = true;
  }

  /**
   * Waits until every request in flight (one being upgraded included) has ended, for at most
   * {@code millis}.
   *
   * @return true when none is running any more
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitRequestsEnded(long millis) throws InterruptedException {
    return awaitZero(requests, millis);
  }

  /**
   * Waits until every upgraded connection (WebSocket, opaque stream, or a handshake on its way to
   * one) has closed, for at most {@code millis}.
   *
   * @return true when none is open any more
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitUpgradesClosed(long millis) throws InterruptedException {
    return awaitZero(upgraded, millis);
  }

  private static boolean awaitZero(AtomicInteger count, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (count.get() > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** The requests counted now; for tests and diagnostics. */
  int requestsInFlight() {
    return requests.get();
  }

  @Override
  public String toString() {
    return "ServerLimits{requests=" + requests + ", upgraded=" + upgraded + ", " + settings + "}";
  }
}
