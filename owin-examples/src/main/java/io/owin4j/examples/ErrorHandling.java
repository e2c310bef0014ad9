package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns a failure of the rest of the pipeline into a clean 500, and logs it.
 *
 * <p>A failure is a synchronous throw or a failed stage; both are logged at {@link Level#SEVERE}
 * with the request id ({@code owin.RequestId}, or a fresh UUID when the host gave none), method and
 * path. Then:
 *
 * <ul>
 *   <li>before the response started: the status becomes 500, the reason phrase and every header set
 *       so far are dropped, and the body is {@value #BODY} as plain text. The client never sees the
 *       exception or its stack trace.
 *   <li>after the response started (status and headers are on the wire): nothing can be said any
 *       more, so the stage fails with the same exception and the host aborts the response.
 * </ul>
 *
 * <p>Whether the response started is learned from a {@code server.OnSendingHeaders} callback
 * registered on entry, which every host offers. Writing the 500 body uses the blocking response
 * body, so the host calls this middleware where blocking is allowed.
 */
public final class ErrorHandling implements MidFunc {
  /** The body of the 500 response. */
  public static final String BODY = "Internal Server Error";

  private static final Logger LOGGER = Logger.getLogger(ErrorHandling.class.getName());

  /** Creates the middleware; it holds no state. */
  public ErrorHandling() {}

  @Override
  public AppFunc apply(AppFunc next) {
    Objects.requireNonNull(next, "next");
    return env -> {
      AtomicBoolean started = new AtomicBoolean();
      Env.require(env, ServerKeys.ON_SENDING_HEADERS, OnSendingHeaders.class)
          .register(state -> started.set(true), started);
      return AppFunc.invokeSafely(next, env)
          .handle(
              (ignored, failure) ->
                  failure == null ? Env.done() : recover(env, started.get(), failure))
          .thenCompose(Function.identity());
    };
  }

  private static CompletionStage<Void> recover(
      Map<String, Object> env, boolean started, Throwable failure) {
    Throwable cause = unwrap(failure);
    String request = describe(env);
    if (started) {
      LOGGER.log(Level.SEVERE, request + " failed after the response started; aborting it", cause);
      return CompletableFuture.failedFuture(cause);
    }
    LOGGER.log(Level.SEVERE, request + " failed; answering 500", cause);
    try {
      env.remove(OwinKeys.RESPONSE_REASON_PHRASE);
      Env.responseHeaders(env).clear();
      return Env.text(env, 500, BODY);
    } catch (Exception e) {
      cause.addSuppressed(e);
      return CompletableFuture.failedFuture(cause);
    }
  }

  private static String describe(Map<String, Object> env) {
    Object id = env.get(OwinKeys.REQUEST_ID);
    return "request "
        + (id != null ? id : UUID.randomUUID() + " (generated, the host gave no owin.RequestId)")
        + " "
        + env.get(OwinKeys.REQUEST_METHOD)
        + " "
        + env.get(OwinKeys.REQUEST_PATH_BASE)
        + env.get(OwinKeys.REQUEST_PATH);
  }

  /** Stages wrap what the application threw; the log should show the application's exception. */
  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
