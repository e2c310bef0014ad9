package io.owin4j.testkit.internal;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.OpaqueUpgrade;
import io.owin4j.api.ext.WebSocketAccept;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The testkit's outermost middleware on a real server: it sees each request the test client sent
 * (marked by a header it removes before the application sees it), records the request in the leak
 * registry, and keeps the outcome of its stage, so the client can hand the application's own
 * exception to the test although it happened in the server.
 *
 * <p>A WebSocket or opaque upgrade the application accepts through the delegates has its callback
 * wrapped the same way, under the request's mark plus {@link #UPGRADE_SUFFIX}: its failure happens
 * after the request's stage completed.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe.
 */
final class RemoteProbe {
  /** The request header that marks a request of the test client with its id. */
  static final String HEADER = "Owin4J-Testkit-Exchange";

  /** Added to a request's id for the outcome of its upgraded connection. */
  static final String UPGRADE_SUFFIX = "/upgrade";

  private static final AtomicLong IDS = new AtomicLong();

  private final ExchangeRegistry registry;
  private final boolean keepOutcomes;
  private final Map<String, CompletableFuture<@Nullable Throwable>> outcomes =
      new ConcurrentHashMap<>();

  /**
   * Creates the probe.
   *
   * @param keepOutcomes whether outcomes are kept for the client (only when exceptions propagate)
   */
  RemoteProbe(ExchangeRegistry registry, boolean keepOutcomes) {
    this.registry = registry;
    this.keepOutcomes = keepOutcomes;
  }

  /** A new id to mark a request with. */
  static String newId() {
    return Long.toString(IDS.incrementAndGet(), 36);
  }

  /** The middleware; add it first. */
  MidFunc middleware() {
    return next -> environment -> observe(next, environment);
  }

  private java.util.concurrent.CompletionStage<Void> observe(
      AppFunc next, Map<String, Object> environment) throws Exception {
    @SuppressWarnings("unchecked") // the contract's type for owin.RequestHeaders
    Map<String, String[]> headers =
        (Map<String, String[]>) environment.get(OwinKeys.REQUEST_HEADERS);
    String[] mark = headers == null ? null : headers.remove(HEADER);
    if (mark == null || mark.length == 0) {
      return next.invoke(environment);
    }
    String id = mark[0];
    String description = describe(environment);
    ExchangeRegistry.Running running = registry.open(description, () -> {});
    CompletableFuture<@Nullable Throwable> outcome = keepOutcomes ? outcome(id) : null;
    if (keepOutcomes) {
      wrapUpgrades(environment, id, description);
    }
    return AppFunc.invokeSafely(next, environment)
        .whenComplete(
            (ignored, failure) -> {
              running.close();
              if (outcome != null) {
                outcome.complete(failure == null ? null : Failures.unwrap(failure));
              }
            });
  }

  private CompletableFuture<@Nullable Throwable> outcome(String key) {
    return outcomes.computeIfAbsent(key, k -> new CompletableFuture<>());
  }

  private static String describe(Map<String, Object> environment) {
    Object query = environment.get(OwinKeys.REQUEST_QUERY_STRING);
    return environment.get(OwinKeys.REQUEST_METHOD)
        + " "
        + environment.get(OwinKeys.REQUEST_PATH_BASE)
        + environment.get(OwinKeys.REQUEST_PATH)
        + (query instanceof String q && !q.isEmpty() ? "?" + q : "");
  }

  /** Wraps the accept and upgrade delegates so their callbacks' outcomes are kept too. */
  private void wrapUpgrades(Map<String, Object> environment, String id, String description) {
    String key = id + UPGRADE_SUFFIX;
    if (environment.get(WebSocketKeys.ACCEPT) instanceof WebSocketAccept accept) {
      environment.put(
          WebSocketKeys.ACCEPT,
          (WebSocketAccept)
              (parameters, callback) -> {
                CompletableFuture<@Nullable Throwable> outcome = new CompletableFuture<>();
                accept.accept(
                    parameters, observed(callback, outcome, description + " (WebSocket)"));
                outcomes.put(key, outcome);
              });
    }
    if (environment.get(OpaqueKeys.UPGRADE) instanceof OpaqueUpgrade upgrade) {
      environment.put(
          OpaqueKeys.UPGRADE,
          (OpaqueUpgrade)
              (parameters, callback) -> {
                CompletableFuture<@Nullable Throwable> outcome = new CompletableFuture<>();
                upgrade.upgrade(
                    parameters, observed(callback, outcome, description + " (upgraded)"));
                outcomes.put(key, outcome);
              });
    }
  }

  private AppFunc observed(
      AppFunc callback, CompletableFuture<@Nullable Throwable> outcome, String description) {
    return environment -> {
      ExchangeRegistry.Running running = registry.open(description, () -> {});
      return AppFunc.invokeSafely(callback, environment)
          .whenComplete(
              (ignored, failure) -> {
                running.close();
                outcome.complete(failure == null ? null : Failures.unwrap(failure));
              });
    };
  }

  /**
   * Takes the outcome kept under {@code key}: a future of the application's failure, or of null
   * when it succeeded. A request that never reached the application has no outcome; then the future
   * is already complete with null.
   */
  CompletableFuture<@Nullable Throwable> claim(String key) {
    CompletableFuture<@Nullable Throwable> outcome = outcomes.remove(key);
    return outcome != null ? outcome : CompletableFuture.completedFuture(null);
  }

  /**
   * Waits up to {@code timeout} for {@code outcome}; the application's failure, or null when it
   * succeeded or did not finish in time (the leak gate reports the latter).
   */
  static @Nullable Throwable await(
      CompletableFuture<@Nullable Throwable> outcome, Duration timeout) {
    try {
      return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Forgets every kept outcome; the host is stopping. */
  void clear() {
    outcomes.clear();
  }
}
