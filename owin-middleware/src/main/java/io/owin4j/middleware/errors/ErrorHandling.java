package io.owin4j.middleware.errors;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.core.MalformedBodyException;
import io.owin4j.core.OwinContext;
import io.owin4j.core.host.ExchangeLifecycle;
import io.owin4j.middleware.internal.Http;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Turns a failure of the rest of the pipeline into an error response, and logs what it swallowed.
 *
 * <pre>{@code
 * app.use(ErrorHandling.builder().developerPage(isDevelopment).build());
 * }</pre>
 *
 * <p>A failure is a synchronous throw or a failed stage; both mean the same.
 *
 * <h2>Before the response started</h2>
 *
 * The reason phrase and every header set so far are dropped, and:
 *
 * <ul>
 *   <li>a client error gets its 4xx status and a short text body: an {@link HttpStatusException}
 *       (its status and message), a request body that is not valid text ({@link
 *       MalformedBodyException}, or any {@link CharacterCodingException}: 400), or a type mapped
 *       with {@link Builder#status}. It is logged at {@code INFO}, without a stack trace.
 *   <li>anything else gets 500. By default the body is the plain {@value #BODY}: the client never
 *       sees the exception. With the developer page on, it is an HTML page with the request line,
 *       the exception and its stack trace, all HTML-escaped; never turn it on in production. It is
 *       logged at {@code ERROR} with the exception.
 * </ul>
 *
 * <p>A {@code HEAD} request gets the same status and headers without a body.
 *
 * <h2>After the response started</h2>
 *
 * The status and headers are on the wire: nothing can be said any more. The failure is logged at
 * {@code ERROR}, and the stage fails with the same exception, so the host aborts the response (the
 * connection on HTTP/1.1, the stream on HTTP/2); the client sees a truncated response, never a
 * complete-looking one.
 *
 * <p>Whether the response started is learned from a {@code server.OnSendingHeaders} callback
 * registered on entry, which every host offers. Log lines go to the {@link System.Logger} named
 * after this class and carry {@code owin.RequestId} (or a generated id, said so), method and path.
 * Writing the error body uses the blocking response body, so use it where blocking is allowed.
 * Immutable; any number of requests at once.
 */
public final class ErrorHandling implements MidFunc {
  /** The body of the plain 500 response. */
  public static final String BODY = "Internal Server Error";

  private static final System.Logger LOGGER = System.getLogger(ErrorHandling.class.getName());

  private final boolean developerPage;
  private final Map<Class<? extends Throwable>, Integer> statuses;

  private ErrorHandling(Builder builder) {
    this.developerPage = builder.developerPage;
    this.statuses = new LinkedHashMap<>(builder.statuses);
  }

  /** Returns error handling with the plain page and the built-in client errors. */
  public static ErrorHandling create() {
    return builder().build();
  }

  /** Returns a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public AppFunc apply(AppFunc next) {
    Objects.requireNonNull(next, "next");
    return env -> {
      AtomicBoolean started = new AtomicBoolean();
      OnSendingHeaders onSending =
          OwinContext.of(env).get(ServerKeys.ON_SENDING_HEADERS, OnSendingHeaders.class);
      if (onSending == null) {
        throw new IllegalStateException(
            ServerKeys.ON_SENDING_HEADERS
                + " must be present in the environment to tell whether the response started,"
                + " but is missing");
      }
      onSending.register(state -> started.set(true), started);
      return AppFunc.invokeSafely(next, env)
          .handle(
              (ignored, failure) ->
                  failure == null ? Http.done() : recover(env, started.get(), failure))
          .thenCompose(Function.identity());
    };
  }

  private CompletionStage<Void> recover(
      Map<String, Object> env, boolean started, Throwable failure) {
    Throwable cause = ExchangeLifecycle.unwrap(failure);
    String request = describe(env);
    if (started) {
      LOGGER.log(Level.ERROR, request + " failed after the response started; aborting it", cause);
      return CompletableFuture.failedFuture(cause);
    }
    int status = statusOf(cause);
    try {
      env.remove(OwinKeys.RESPONSE_REASON_PHRASE);
      OwinContext.of(env).responseHeaders().clear();
      if (status < 500) {
        LOGGER.log(
            Level.INFO, request + " failed with a client error; answering " + status + ": " + cause);
        return Http.text(env, status, reason(status) + ": " + clientMessage(cause) + "\n");
      }
      LOGGER.log(Level.ERROR, request + " failed; answering " + status, cause);
      if (developerPage) {
        return Http.send(
            env,
            status,
            "text/html; charset=utf-8",
            developerPage(env, cause).getBytes(StandardCharsets.UTF_8));
      }
      return Http.text(env, status, status == 500 ? BODY : reason(status));
    } catch (Exception e) {
      cause.addSuppressed(e);
      return CompletableFuture.failedFuture(cause);
    }
  }

  private int statusOf(Throwable cause) {
    if (cause instanceof HttpStatusException http) {
      return http.status();
    }
    for (Map.Entry<Class<? extends Throwable>, Integer> entry : statuses.entrySet()) {
      if (entry.getKey().isInstance(cause)) {
        return entry.getValue();
      }
    }
    if (cause instanceof CharacterCodingException) {
      return 400;
    }
    return 500;
  }

  private static String clientMessage(Throwable cause) {
    if (cause instanceof HttpStatusException || cause instanceof MalformedBodyException) {
      return Objects.requireNonNullElse(cause.getMessage(), "");
    }
    if (cause instanceof CharacterCodingException) {
      return "the request body is not valid text";
    }
    return "the request was refused";
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 500 -> BODY;
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> status < 500 ? "Client Error" : "Server Error";
    };
  }

  private static String developerPage(Map<String, Object> env, Throwable cause) {
    StringWriter trace = new StringWriter();
    cause.printStackTrace(new PrintWriter(trace));
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>500 "
        + BODY
        + "</title></head>\n<body><h1>500 "
        + BODY
        + "</h1>\n<p>"
        + Http.escapeHtml(Http.describe(env))
        + "</p>\n<h2>"
        + Http.escapeHtml(cause.toString())
        + "</h2>\n<pre>"
        + Http.escapeHtml(trace.toString())
        + "</pre>\n</body></html>\n";
  }

  private static String describe(Map<String, Object> env) {
    Object id = env.get(OwinKeys.REQUEST_ID);
    return "request "
        + (id != null ? id : UUID.randomUUID() + " (generated, the host gave no owin.RequestId)")
        + " "
        + Http.describe(env);
  }

  /** Configures {@link ErrorHandling}; not thread-safe. */
  public static final class Builder {
    private boolean developerPage;
    private final Map<Class<? extends Throwable>, Integer> statuses = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Turns the developer page (the stack trace in the 500 response) on or off; off by default.
     *
     * @return this builder
     */
    public Builder developerPage(boolean enabled) {
      this.developerPage = enabled;
      return this;
    }

    /**
     * Answers failures of {@code type} (and its subclasses) with {@code status} before the
     * response started; the first mapping that matches wins.
     *
     * @return this builder
     * @throws IllegalArgumentException if {@code status} is not in [400, 599]
     */
    public Builder status(Class<? extends Throwable> type, int status) {
      Objects.requireNonNull(type, "type");
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException(
            "an error status must be in [400, 599], got " + status + " for " + type.getName());
      }
      statuses.put(type, status);
      return this;
    }

    /** Returns the configured middleware. */
    public ErrorHandling build() {
      return new ErrorHandling(this);
    }
  }
}
