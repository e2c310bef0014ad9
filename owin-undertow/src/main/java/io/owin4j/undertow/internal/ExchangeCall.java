package io.owin4j.undertow.internal;

import io.owin4j.api.features.OpaqueUpgradeFeature;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.core.OwinHosting;
import io.owin4j.core.host.ExchangeLifecycle;
import io.owin4j.core.host.ExchangeRules;
import io.owin4j.features.ResponseStarter;
import io.owin4j.undertow.ExchangeSummary;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/**
 * One request through the host: builds the typed features over the exchange, invokes the
 * application where the settings say, and ends the exchange when the application's stage completes.
 *
 * <h2>Lifecycle</h2>
 *
 * <ol>
 *   <li>{@link #start()} (in Undertow's handler call) completes the request facts (a {@code Host}
 *       header), answers 413 at once to a declared body over the size limit, and dispatches {@link
 *       #run()}: to the worker executor, or with Undertow's same-thread executor, which runs it on
 *       the IO thread right after the handler call returned. Running outside the handler call means
 *       the exchange belongs to this object alone from then on, and may be ended from any thread.
 *   <li>{@link #run()} invokes the application through {@link OwinHosting#invoke}.
 *   <li>When the stage completes, {@link ExchangeLifecycle} decides, as on every host: success
 *       starts the response if it has not started and sends the rest of the body, then ends the
 *       exchange; failure gives a bare 500 (413 for a body over the limit) if nothing reached
 *       Undertow's response channel yet, and aborts the connection (or resets the HTTP/2 stream)
 *       otherwise. A request that was upgraded (WebSocket, opaque stream) ended its exchange with
 *       the 101 already; its stage completing ends the upgraded connection instead ({@link
 *       ExchangeUpgrade}).
 *   <li>When Undertow reports the exchange complete, the on-completed callbacks run.
 * </ol>
 */
public final class ExchangeCall
    implements Runnable,
        BiConsumer<Object, Throwable>,
        ExchangeCompletionListener,
        ExchangeLifecycle.Exchange,
        ExchangeLifetimeFeature.Aborter {
  private static final Logger LOG = Logger.getLogger("io.owin4j.undertow.OwinHttpHandler");
  // CompletableFuture.completedStage's class: a future that refuses every question but the stage's.
  private static final Class<?> MINIMAL_STAGE = CompletableFuture.completedStage(null).getClass();

  private final HostSettings settings;
  private final ExchangeObserver observer;
  private final HttpServerExchange exchange;
  private final ResponseStarter starter = new ResponseStarter();
  private final ResponseSink sink;
  private final ExchangeLifetimeFeature lifetime;
  private final @Nullable ExchangeUpgrade upgrade;
  private final ExchangeFeatures features;
  private final ExchangeObserver.Watch watch;
  // Only for a request that may be upgraded: the others end with their exchange.
  private final @Nullable ApplicationEnd applicationEnd;
  private volatile ExchangeSummary.Outcome outcome = ExchangeSummary.Outcome.COMPLETED;
  private volatile boolean aborted;
  private volatile boolean applicationDone;

  /**
   * Prepares the call; nothing happens until {@link #start()}.
   *
   * @param observer hears how the exchange ended
   */
  public ExchangeCall(HostSettings settings, ExchangeObserver observer, HttpServerExchange exchange) {
    this.settings = settings;
    this.observer = observer;
    this.exchange = exchange;
    this.sink = new ResponseSink(exchange, starter, settings.responseBufferSize());
    this.lifetime = new ExchangeLifetimeFeature(exchange, this);
    this.features = new ExchangeFeatures(exchange, settings, starter, sink, lifetime);
    this.upgrade =
        exchange.getRequestHeaders().contains(Headers.UPGRADE) ? offerUpgrade() : null;
    this.watch = observer.arrived(upgrade != null);
    this.applicationEnd = upgrade != null ? new ApplicationEnd(this::applicationCompleted) : null;
  }

  /** Offers the WebSocket or opaque upgrade the request asks for, if any. */
  private @Nullable ExchangeUpgrade offerUpgrade() {
    WebSocketHandshake handshake = WebSocketHandshake.of(exchange);
    boolean opaque = handshake == null && ExchangeOpaqueUpgradeFeature.isOffered(exchange);
    if (handshake == null && !opaque) {
      return null;
    }
    ExchangeUpgrade offered = new ExchangeUpgrade(exchange, starter, this::end);
    if (handshake != null) {
      features.set(
          WebSocketFeature.class,
          new ExchangeWebSocketFeature(
              handshake,
              exchange,
              offered,
              settings,
              settings.ioThread() ? SameThreadExecutor.INSTANCE : worker()));
    } else {
      features.set(
          OpaqueUpgradeFeature.class, new ExchangeOpaqueUpgradeFeature(exchange, offered, worker()));
    }
    return offered;
  }

  /** The executor of the application's blocking work. */
  private Executor worker() {
    Executor executor = settings.executor();
    return executor != null ? executor : exchange.getConnection().getWorker();
  }

  /** Called in the handler call: completes the request and dispatches {@link #run()}. */
  public void start() {
    HeaderMap requestHeaders = exchange.getRequestHeaders();
    if (!requestHeaders.contains(Headers.HOST)) {
      requestHeaders.put(Headers.HOST, hostAndPort(exchange.getDestinationAddress()));
    }
    exchange.addExchangeCompleteListener(this);
    if (ExchangeRules.declaredTooLarge(
        exchange.getRequestContentLength(), exchange.getMaxEntitySize())) {
      applicationDone = true;
      exchange.setStatusCode(ExchangeRules.PAYLOAD_TOO_LARGE);
      exchange.setPersistent(false);
      exchange.endExchange();
      return;
    }
    Executor executor =
        settings.ioThread() || !exchange.isInIoThread()
            ? SameThreadExecutor.INSTANCE
            : settings.executor();
    boolean direct = executor == SameThreadExecutor.INSTANCE || upgrade == null;
    exchange.dispatch(executor, direct ? this : new Once(this));
  }

  /**
   * Runs a task once, then lets go of it: a worker thread may keep its last task while it waits for
   * the next one, which must not keep a request that may be upgraded reachable (for as long as its
   * connection lives). Other requests are done with when their exchange is.
   */
  private static final class Once implements Runnable {
    private @Nullable Runnable task;

    Once(Runnable task) {
      this.task = task;
    }

    @Override
    public void run() {
      Runnable once = task;
      task = null;
      if (once != null) {
        once.run();
      }
    }
  }

  /** Invokes the application; see the class comment. */
  @Override
  public void run() {
    CompletionStage<Void> stage = OwinHosting.invoke(settings.app(), features);
    if (stage instanceof CompletableFuture<Void> future
        && stage.getClass() != MINIMAL_STAGE
        && future.isDone()) {
      // Most applications are done when they return: no callback to register.
      accept(null, failureOf(future));
    } else {
      // A request that may be upgraded reports through applicationEnd, which can let go of it.
      stage.whenComplete(applicationEnd != null ? applicationEnd : this);
    }
  }

  /**
   * The application's stage completed (with {@code failure}, or null): ends the exchange, or the
   * upgraded connection.
   */
  @Override
  public void accept(@Nullable Object ignored, @Nullable Throwable failure) {
    ApplicationEnd end = applicationEnd;
    if (end != null) {
      end.accept(ignored, failure);
    } else {
      applicationCompleted(failure);
    }
  }

  private void applicationCompleted(@Nullable Throwable failure) {
    applicationDone = true;
    ExchangeLifecycle.applicationCompleted(this, failure);
  }

  @Override
  public boolean upgraded() {
    return upgrade != null && upgrade.requested();
  }

  /** The 101 ended the exchange; the connection belongs to the upgrade until it closes it. */
  @Override
  public void upgradeCompleted(@Nullable Throwable failure) {
    upgradeEnding().accept(failure);
  }

  /**
   * Ends the upgraded connection and reports its end, holding nothing of the request but its path.
   * Takes the application's failure unwrapped ({@link ExchangeLifecycle#upgradeCompleted}).
   */
  private Consumer<@Nullable Throwable> upgradeEnding() {
    Consumer<@Nullable Throwable> endConnection = Objects.requireNonNull(upgrade).ending();
    ExchangeObserver reportTo = observer;
    ExchangeObserver.Watch timing = watch;
    String path = exchange.getRequestPath();
    String protocol = upgradeProtocol();
    return failure -> {
      endConnection.accept(failure);
      reportTo.upgradeEnded(timing, path, protocol, failure != null);
    };
  }

  @Override
  public boolean aborted() {
    return aborted;
  }

  @Override
  public boolean responseStarted() {
    return sink.channelTaken() || exchange.isResponseStarted();
  }

  @Override
  public void respond() {
    starter.start();
    endAfter(sink.finish());
  }

  @Override
  public void fault() {
    lifetime.fault();
  }

  @Override
  public void failBeforeStart(Throwable failure, int status) {
    LOG.log(
        swallowed(failure),
        "the application failed on " + exchange + " before the response started",
        failure);
    sink.discard();
    exchange.getResponseHeaders().clear();
    exchange.setReasonPhrase(null);
    exchange.setStatusCode(status);
    endAfter(sink.finish());
  }

  @Override
  public void failAfterStart(Throwable failure) {
    LOG.log(
        swallowed(failure),
        "the application failed on " + exchange + " after the response started; aborting",
        failure);
    abortRequest();
  }

  /**
   * Records the outcome of a failure the host handles for the application and returns the level
   * to log it at: what the host swallows is logged once at WARNING or above; only a client that
   * went away (an IOException on a closed connection) is counted instead.
   */
  private Level swallowed(Throwable failure) {
    boolean clientGone = failure instanceof IOException && !exchange.getConnection().isOpen();
    outcome =
        clientGone ? ExchangeSummary.Outcome.CLIENT_DISCONNECTED : ExchangeSummary.Outcome.FAILED;
    return clientGone ? Level.FINE : failure instanceof IOException ? Level.WARNING : Level.SEVERE;
  }

  /** Ends the exchange once {@code sent} completes; aborts if sending failed. */
  private void endAfter(CompletableFuture<Void> sent) {
    if (sent.isDone()) {
      sent(failureOf(sent));
    } else {
      sent.whenComplete((ignored, sendFailure) -> sent(sendFailure));
    }
  }

  private void sent(@Nullable Throwable sendFailure) {
    if (sendFailure == null) {
      end();
    } else {
      // The client went away: counted by the observer, not logged.
      outcome = ExchangeSummary.Outcome.CLIENT_DISCONNECTED;
      LOG.log(Level.FINE, "sending the response of " + exchange + " failed", sendFailure);
      abortRequest();
    }
  }

  /**
   * Closes the connection (HTTP/1.x) or resets the stream (HTTP/2) and cancels the request; the
   * exchange then completes without a complete response. Calling it again does nothing.
   */
  @Override
  public void abortRequest() {
    if (aborted) {
      return;
    }
    aborted = true;
    lifetime.fault();
    IoUtils.safeClose(exchange.getConnection());
    end();
  }

  @Override
  public void end() {
    if (lifetime.end() && !exchange.isInIoThread()) {
      exchange.getIoThread().execute(this::endNow);
    } else {
      endNow();
    }
  }

  private void endNow() {
    try {
      exchange.endExchange();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "ending " + exchange + " failed; closing its connection", e);
      IoUtils.safeClose(exchange.getConnection());
    }
  }

  /** Undertow finished the exchange: runs the on-completed callbacks. */
  @Override
  public void exchangeEvent(HttpServerExchange exchange, NextListener nextListener) {
    try {
      if (!applicationDone && (upgrade == null || !upgrade.requested())) {
        // Undertow ended the exchange under a running application (its connection went away);
        // an upgrade ends it on purpose while the application goes on with the connection.
        outcome = ExchangeSummary.Outcome.CLIENT_DISCONNECTED;
        lifetime.fault();
      } else if (outcome == ExchangeSummary.Outcome.COMPLETED && !aborted && lifetime.faulted()) {
        // Nothing of ours faulted it: the connection watch saw the client leave mid-request.
        outcome = ExchangeSummary.Outcome.CLIENT_DISCONNECTED;
      }
      if (upgraded()) {
        // The request is over, its upgraded connection lives on: let its end no longer hold
        // this call, and with it the exchange, the features and the OWIN environment.
        Consumer<@Nullable Throwable> ending = upgradeEnding();
        Objects.requireNonNull(applicationEnd)
            .redirect(failure -> ExchangeLifecycle.upgradeCompleted(ending, failure));
      }
      lifetime.release();
      starter.complete();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "an on-completed callback of " + exchange + " failed", e);
    } finally {
      // The one place every exchange's end is reported (JFR, listeners, disconnect count).
      observer.exchangeEnded(
          watch,
          exchange.getRequestMethod().toString(),
          exchange.getRequestPath(),
          exchange.getStatusCode(),
          exchange.getResponseBytesSent(),
          outcome);
      nextListener.proceed();
    }
  }

  private String upgradeProtocol() {
    if (features.get(WebSocketFeature.class) != null) {
      return "websocket";
    }
    String requested = exchange.getRequestHeaders().getFirst(Headers.UPGRADE);
    return requested != null ? requested : "";
  }

  /**
   * Where the application's stage reports its end. An upgraded request's stage completes when the
   * application is done with the connection, long after the exchange completed; from then on the
   * report goes straight to what ends the connection, so that the request can be collected while
   * the connection lives.
   */
  private static final class ApplicationEnd implements BiConsumer<Object, Throwable> {
    private volatile Consumer<@Nullable Throwable> target;

    ApplicationEnd(Consumer<@Nullable Throwable> target) {
      this.target = target;
    }

    void redirect(Consumer<@Nullable Throwable> upgradeEnd) {
      target = upgradeEnd;
    }

    @Override
    public void accept(@Nullable Object ignored, @Nullable Throwable failure) {
      target.accept(failure);
    }
  }

  /** The failure of a completed future (wrapped as {@code join} throws it), or null on success. */
  private static @Nullable Throwable failureOf(CompletableFuture<?> done) {
    if (!done.isCompletedExceptionally()) {
      return null;
    }
    try {
      done.join();
      return null;
    } catch (CompletionException | CancellationException e) {
      return e;
    }
  }

  private static String hostAndPort(InetSocketAddress address) {
    String host =
        address.getAddress() instanceof Inet6Address ip
            ? "[" + ip.getHostAddress() + "]"
            : address.getAddress() != null
                ? address.getAddress().getHostAddress()
                : address.getHostString();
    return host + ":" + address.getPort();
  }

  @Override
  public String toString() {
    return "ExchangeCall{" + exchange + "}";
  }
}
