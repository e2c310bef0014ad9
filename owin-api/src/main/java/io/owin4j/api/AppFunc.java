package io.owin4j.api;

import java.util.Map;
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
}
