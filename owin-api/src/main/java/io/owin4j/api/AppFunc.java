package io.owin4j.api;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An OWIN application: handles one request described by its environment.
 *
 * <p>The environment is a mutable map whose keys are listed in {@link OwinKeys}, {@link ServerKeys}
 * and the other key holders. Keys compare ordinally (case-sensitive).
 *
 * <h2>Completion</h2>
 *
 * <ul>
 *   <li>The application MUST eventually complete the returned stage or throw. A synchronous throw
 *       and a stage completed exceptionally mean the same thing to the host.
 *   <li>The returned stage MUST NOT be null; return {@code CompletableFuture.completedFuture(null)}
 *       when the work is already done.
 *   <li>The stage may complete on any thread. Once it completes the host ends the exchange, and the
 *       application MUST NOT touch the environment's streams any more.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * Hosts may call {@code invoke} on a thread that must not block (an IO thread) or on a worker
 * thread; which one is a host setting documented by the host. Code that uses the blocking {@code
 * InputStream}/{@code OutputStream} bodies needs a worker thread.
 */
@FunctionalInterface
public interface AppFunc {
  /**
   * Handles the request described by {@code environment}.
   *
   * @param environment the request environment; never null
   * @return a stage that completes when the application is done with the request
   * @throws Exception the same as returning a failed stage
   */
  CompletionStage<Void> invoke(Map<String, Object> environment) throws Exception;

  /**
   * Invokes {@code app} so that every failure arrives through the stage: a synchronous throw becomes
   * a failed stage, and a null stage becomes one failed with {@link NullPointerException}.
   *
   * <p>Hosts and middleware that need to observe the outcome call this instead of {@link #invoke}.
   *
   * @return the application's stage, or a failed stage; never null, never throws
   */
  static CompletionStage<Void> invokeSafely(AppFunc app, Map<String, Object> environment) {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(environment, "environment");
    CompletionStage<Void> stage;
    try {
      stage = app.invoke(environment);
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
    if (stage == null) {
      return CompletableFuture.failedFuture(
          new NullPointerException(
              "application " + app + " returned a null stage; return a completed stage instead"));
    }
    return stage;
  }
}
