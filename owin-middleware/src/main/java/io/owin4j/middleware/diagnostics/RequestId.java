package io.owin4j.middleware.diagnostics;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.features.RequestIdentifierFeature;
import io.owin4j.core.OwinContext;
import io.owin4j.core.OwinFeatureCollection;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id that the client, the logs and the next service can share.
 *
 * <p>The id is the request's {@code X-Request-Id} header when it is sane (1 to {@value
 * #MAX_LENGTH} characters of letters, digits and {@code - _ . : + / =}), otherwise a fresh random
 * UUID; anything else a client sent (spaces, control characters, an overlong value) is not
 * trusted, since the id ends up in log lines. The id is put into {@code owin.RequestId}, replacing
 * the one the host made (when the host already fixed its id, by replacing the request identifier
 * feature), so add this middleware first: everything after it sees the final id. The
 * response echoes it in {@code X-Request-Id}, added just before the headers go out so that an
 * error page that clears the headers keeps it. The header name is configurable.
 *
 * <p>Immutable; any number of requests at once.
 */
public final class RequestId implements MidFunc {
  /** The longest id taken from a request. */
  public static final int MAX_LENGTH = 128;

  /** The default header, {@code X-Request-Id}. */
  public static final String DEFAULT_HEADER = "X-Request-Id";

  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:+/=-]{1," + MAX_LENGTH + "}");

  private final String header;

  private RequestId(String header) {
    this.header = header;
  }

  /** Returns the middleware for {@value #DEFAULT_HEADER}. */
  public static RequestId create() {
    return new RequestId(DEFAULT_HEADER);
  }

  /**
   * Returns the middleware for the header {@code name}, such as {@code X-Correlation-Id}.
   *
   * @throws IllegalArgumentException if {@code name} is not an HTTP token
   */
  public static RequestId withHeader(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
      throw new IllegalArgumentException("header name must be an HTTP token, got \"" + name + "\"");
    }
    return new RequestId(name);
  }

  @Override
  public AppFunc apply(AppFunc next) {
    Objects.requireNonNull(next, "next");
    return env -> {
      OwinContext context = OwinContext.of(env);
      String offered = context.requestHeader(header);
      String id =
          offered != null && SANE.matcher(offered).matches()
              ? offered
              : UUID.randomUUID().toString();
      setRequestId(env, id);
      context.onSendingHeaders(() -> context.setResponseHeader(header, id));
      return next.invoke(env);
    };
  }

  private static void setRequestId(Map<String, Object> env, String id) {
    if (id.equals(env.get(OwinKeys.REQUEST_ID))) {
      return;
    }
    try {
      env.put(OwinKeys.REQUEST_ID, id);
    } catch (IllegalStateException alreadyFixed) {
      // The host read (and so fixed) its own id before the pipeline ran, such as to name the
      // request in its bookkeeping. The application's view must still show this id, so the
      // identifier feature itself is replaced.
      OwinFeatureCollection.of(env).set(RequestIdentifierFeature.class, new FixedId(id));
    }
  }

  /** An identifier that is already decided. */
  private record FixedId(String requestId) implements RequestIdentifierFeature {
    @Override
    public void setRequestId(String requestId) {
      throw new IllegalStateException(
          "cannot set request id to \""
              + requestId
              + "\": it is already \""
              + this.requestId
              + "\" and never changes once set");
    }
  }
}
