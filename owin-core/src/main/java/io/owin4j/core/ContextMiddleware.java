package io.owin4j.core;

import io.owin4j.api.AppFunc;
import java.util.concurrent.CompletionStage;

/**
 * Middleware written against an {@link OwinContext}, in the manner of Katana's {@code
 * app.Use((context, next) => ...)}; add it with {@link AppBuilder#use(ContextMiddleware)}.
 *
 * <pre>{@code
 * app.use((context, next) -> {
 *   context.setResponseHeader("X-Powered-By", "Owin4J");
 *   return next.invoke(context.environment());
 * });
 * }</pre>
 *
 * <p>The completion contract is the {@link AppFunc}'s: return a non-null stage that eventually
 * completes, or throw.
 */
@FunctionalInterface
public interface ContextMiddleware {
  /**
   * Handles one request.
   *
   * @param context a context over the request's environment
   * @param next the rest of the pipeline; call {@code next.invoke(context.environment())} to run
   *     it, or do not call it to end the request here
   * @return a stage that completes when this middleware, and {@code next} if called, are done
   * @throws Exception the same as returning a failed stage
   */
  CompletionStage<Void> invoke(OwinContext context, AppFunc next) throws Exception;
}
