package io.owin4j.middleware.diagnostics;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.core.OwinContext;
import io.owin4j.core.host.ExchangeLifecycle;
import io.owin4j.middleware.internal.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends a request that runs longer than a limit.
 *
 * <pre>{@code
 * app.use(RequestTimeout.of(Duration.ofSeconds(30)));
 * }</pre>
 *
 * <h2>What happens at the limit</h2>
 *
 * <ul>
 *   <li>{@code owin.CallCancelled} fires. The middleware puts a linked token there on entry, which
 *       fires when the host's token fires or the limit passes, so the rest of the pipeline only
 *       ever watches one token.
 *   <li>If the response has not started, it gets {@code 503} with a short text body and the
 *       request ends at once, whatever the application is doing; its later writes to the body fail
 *       with {@link IOException}, and whatever its stage does afterwards is ignored (a failure is
 *       logged at {@code DEBUG}).
 *   <li>If the response has started, the status is on the wire: only the cancellation is left,
 *       and the request ends when the application ends it.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * The limit is watched by a scheduler: a shared daemon thread unless one is given. The 503 is
 * written from that thread, under a lock that the wrapped response body also takes, so the
 * application's writes and the 503 never interleave. Headers the application changes on another
 * thread at that very moment are not guarded; an application that cares watches the token.
 */
public final class RequestTimeout implements MidFunc {
  private static final System.Logger LOGGER = System.getLogger(RequestTimeout.class.getName());

  private static final class SharedScheduler {
    static final ScheduledExecutorService INSTANCE = create();

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1,
              task -> {
                Thread thread = new Thread(task, "owin4j-request-timeout");
                thread.setDaemon(true);
                return thread;
              });
      executor.setRemoveOnCancelPolicy(true);
      return Executors.unconfigurableScheduledExecutorService(executor);
    }
  }

  private final Duration limit;
  private final ScheduledExecutorService scheduler;

  private RequestTimeout(Duration limit, ScheduledExecutorService scheduler) {
    this.limit = limit;
    this.scheduler = scheduler;
  }

  /**
   * Returns a timeout of {@code limit} watched by a shared daemon thread.
   *
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  public static RequestTimeout of(Duration limit) {
    return of(limit, SharedScheduler.INSTANCE);
  }

  /**
   * Returns a timeout of {@code limit} watched by {@code scheduler}, which the caller owns.
   *
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  public static RequestTimeout of(Duration limit, ScheduledExecutorService scheduler) {
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(scheduler, "scheduler");
    if (limit.isNegative() || limit.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + limit);
    }
    return new RequestTimeout(limit, scheduler);
  }

  @Override
  public AppFunc apply(AppFunc next) {
    Objects.requireNonNull(next, "next");
    return env -> {
      OwinContext context = OwinContext.of(env);
      Call call = new Call(env, context.responseBody());
      LinkedCancellation token = new LinkedCancellation(context.callCancelled());
      env.put(OwinKeys.CALL_CANCELLED, token);
      env.put(OwinKeys.RESPONSE_BODY, call.body);
      OnSendingHeaders onSending = context.get(ServerKeys.ON_SENDING_HEADERS, OnSendingHeaders.class);
      if (onSending != null) {
        onSending.register(state -> call.started = true, call);
      }
      ScheduledFuture<?> timer =
          scheduler.schedule(() -> call.timeUp(token), limit.toNanos(), TimeUnit.NANOSECONDS);
      AppFunc.invokeSafely(next, env)
          .whenComplete(
              (ignored, failure) -> {
                timer.cancel(false);
                token.detach();
                call.applicationDone(failure);
              });
      return call.result;
    };
  }

  /** One request: the lock between the application's writes and the 503. */
  private final class Call {
    final Map<String, Object> env;
    final OutputStream original;
    final CompletableFuture<Void> result = new CompletableFuture<>();
    final GuardedBody body = new GuardedBody();
    volatile boolean started;
    private boolean timedOut;

    Call(Map<String, Object> env, OutputStream original) {
      this.env = env;
      this.original = original;
    }

    void timeUp(LinkedCancellation token) {
      // The 503 first, then the cancellation: an application woken by the token must find its
      // body already closed to it, not race the 503 to the first write.
      answerServiceUnavailable();
      try {
        token.cancel();
      } catch (RuntimeException e) {
        LOGGER.log(Level.WARNING, "a cancellation callback failed", e);
      }
    }

    private synchronized void answerServiceUnavailable() {
      if (result.isDone() || started) {
        return;
      }
      timedOut = true;
      try {
        OwinContext context = OwinContext.of(env);
        env.remove(OwinKeys.RESPONSE_REASON_PHRASE);
        context.responseHeaders().clear();
        context.setStatusCode(503);
        context.setContentType(Http.TEXT_PLAIN);
        byte[] text =
            ("Service Unavailable: the request took longer than " + limit + "\n")
                .getBytes(StandardCharsets.UTF_8);
        context.setResponseHeader("Content-Length", Integer.toString(text.length));
        if (!Http.isHead(env)) {
          original.write(text);
        }
        original.flush();
        result.complete(null);
      } catch (IOException | RuntimeException e) {
        result.completeExceptionally(e);
      }
    }

    synchronized void applicationDone(Throwable failure) {
      if (timedOut) {
        if (failure != null) {
          LOGGER.log(
              Level.DEBUG, "a request that timed out failed afterwards: " + ExchangeLifecycle.unwrap(failure));
        }
        return;
      }
      if (failure != null) {
        result.completeExceptionally(ExchangeLifecycle.unwrap(failure));
      } else {
        result.complete(null);
      }
    }

    private void checkNotTimedOut() throws IOException {
      if (timedOut) {
        throw new IOException(
            "the request timed out after " + limit + " and was answered with 503");
      }
    }

    /** The application's body: writes wait for, and fail after, the 503. */
    private final class GuardedBody extends OutputStream {
      @Override
      public void write(int b) throws IOException {
        synchronized (Call.this) {
          checkNotTimedOut();
          original.write(b);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        synchronized (Call.this) {
          checkNotTimedOut();
          original.write(b, off, len);
        }
      }

      @Override
      public void flush() throws IOException {
        synchronized (Call.this) {
          checkNotTimedOut();
          original.flush();
        }
      }

      @Override
      public void close() throws IOException {
        synchronized (Call.this) {
          if (!timedOut) {
            original.close();
          }
        }
      }
    }
  }

  /** The limit. */
  public Duration limit() {
    return limit;
  }

}
