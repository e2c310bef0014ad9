package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Answers {@code GET ?n=N&delayMs=D} with N lines {@code chunk 0} to {@code chunk N-1}, each
 * flushed on its own, D milliseconds apart (the first at once); other methods get 405.
 *
 * <h2>Parameters</h2>
 *
 * {@code n} is an integer in [0, {@value #MAX_LINES}], default {@value #DEFAULT_LINES}; {@code
 * delayMs} is an integer in [0, {@value #MAX_DELAY_MS}], default {@value #DEFAULT_DELAY_MS}. Any
 * other value, a parameter given twice or a malformed query gets 400 with a message saying what is
 * wrong. Other parameters are ignored. {@code HEAD} gets the headers only.
 *
 * <h2>Threading and cancellation</h2>
 *
 * {@code invoke} only validates and returns: the lines are written by tasks on the given {@link
 * ScheduledExecutorService}, and the stage completes after the last one, so no thread sleeps while
 * the delays pass. Each task writes one short line to the blocking response body and flushes; at
 * most {@value #MAX_LINES} lines of a few bytes fit in the socket buffers, so those writes do not
 * wait on a slow client. When {@code owin.CallCancelled} fires (the client went away) the pending
 * line is cancelled and the stage completes normally at once; a write that fails fails the stage.
 * Nothing is written after the stage completes.
 */
public final class StreamLines implements AppFunc {
  /** The largest accepted {@code n}. */
  public static final int MAX_LINES = 1000;

  /** The largest accepted {@code delayMs}. */
  public static final int MAX_DELAY_MS = 10_000;

  /** {@code n} when the query has none. */
  public static final int DEFAULT_LINES = 5;

  /** {@code delayMs} when the query has none. */
  public static final int DEFAULT_DELAY_MS = 200;

  private final ScheduledExecutorService scheduler;

  /**
   * Creates the endpoint.
   *
   * @param scheduler runs the writes; owned by the caller, who shuts it down after the host stopped
   */
  public StreamLines(ScheduledExecutorService scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    if (!Env.isGetOrHead(env)) {
      return Env.methodNotAllowed(env, "GET, HEAD");
    }
    String query = Env.require(env, OwinKeys.REQUEST_QUERY_STRING, String.class);
    int lines;
    int delayMs;
    try {
      lines = intParameter(query, "n", DEFAULT_LINES, MAX_LINES);
      delayMs = intParameter(query, "delayMs", DEFAULT_DELAY_MS, MAX_DELAY_MS);
    } catch (IllegalArgumentException e) {
      return Env.text(env, 400, "Bad Request: " + e.getMessage() + "\n");
    }
    Env.setHeader(env, "Content-Type", Env.TEXT_PLAIN);
    Env.setHeader(env, "Cache-Control", "no-store");
    if (Env.isHead(env) || lines == 0) {
      return Env.done();
    }
    CancellationToken cancelled =
        Env.require(env, OwinKeys.CALL_CANCELLED, CancellationToken.class);
    return new Stream(Env.responseBody(env), lines, delayMs).start(cancelled);
  }

  /**
   * The value of parameter {@code name} in {@code query} as an integer in [0, max], or {@code
   * fallback} when absent.
   *
   * @throws IllegalArgumentException with a message for the client when the value is not such an
   *     integer, the parameter appears twice or the query is malformed
   */
  static int intParameter(String query, String name, int fallback, int max) {
    String found = null;
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String key = decode(equals < 0 ? pair : pair.substring(0, equals));
      if (!key.equals(name)) {
        continue;
      }
      if (found != null) {
        throw new IllegalArgumentException(name + " must be given at most once");
      }
      found = equals < 0 ? "" : decode(pair.substring(equals + 1));
    }
    if (found == null) {
      return fallback;
    }
    String rule = name + " must be an integer in [0, " + max + "], got \"" + found + "\"";
    int value;
    try {
      value = Integer.parseInt(found);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(rule, e);
    }
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(rule);
    }
    return value;
  }

  /** Decodes a query component; a malformed escape throws IllegalArgumentException. */
  private static String decode(String component) {
    return URLDecoder.decode(component, StandardCharsets.UTF_8);
  }

  /** One response's lines; its lock orders the writes against cancellation. */
  private final class Stream {
    private final CompletableFuture<Void> stage = new CompletableFuture<>();
    private final OutputStream out;
    private final int lines;
    private final int delayMs;
    private int written;
    private boolean finished;
    private @Nullable Future<?> pending;

    Stream(OutputStream out, int lines, int delayMs) {
      this.out = out;
      this.lines = lines;
      this.delayMs = delayMs;
    }

    CompletionStage<Void> start(CancellationToken cancelled) {
      CancellationToken.Registration registration = cancelled.register(this::cancel);
      stage.whenComplete((ignored, failure) -> registration.close());
      Throwable failure = null;
      synchronized (this) {
        if (!finished) {
          try {
            pending = scheduler.schedule(this::writeNext, 0, TimeUnit.MILLISECONDS);
          } catch (RuntimeException e) {
            finished = true;
            failure = e;
          }
        }
      }
      if (failure != null) {
        stage.completeExceptionally(failure);
      }
      return stage;
    }

    private void writeNext() {
      Throwable failure = null;
      boolean last;
      synchronized (this) {
        if (finished) {
          return;
        }
        try {
          out.write(("chunk " + written + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
          written++;
          if (written < lines) {
            pending = scheduler.schedule(this::writeNext, delayMs, TimeUnit.MILLISECONDS);
          }
        } catch (Exception e) {
          // An IOException from the body, or a stopped scheduler refusing the next line.
          failure = e;
        }
        last = failure != null || written == lines;
        finished = last;
      }
      // Completing outside the lock: the host ends the exchange in the continuations.
      if (failure != null) {
        stage.completeExceptionally(failure);
      } else if (last) {
        stage.complete(null);
      }
    }

    private void cancel() {
      synchronized (this) {
        if (finished) {
          return;
        }
        finished = true;
        if (pending != null) {
          pending.cancel(false);
        }
      }
      stage.complete(null);
    }
  }
}
