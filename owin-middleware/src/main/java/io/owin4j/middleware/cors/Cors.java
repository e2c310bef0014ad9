package io.owin4j.middleware.cors;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.core.OwinContext;
import io.owin4j.middleware.internal.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol) for the requests of the
 * origins it allows.
 *
 * <pre>{@code
 * app.use(Cors.builder()
 *     .allowOrigins("https://app.example.com")
 *     .allowOriginPatterns("http://localhost:*")
 *     .allowMethods("GET", "POST")
 *     .allowHeaders("Content-Type")
 *     .build());
 * }</pre>
 *
 * <h2>What it answers</h2>
 *
 * <ul>
 *   <li>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 *       from an allowed origin, for an allowed method and only allowed request headers, gets 204
 *       with {@code Access-Control-Allow-Origin}, {@code -Allow-Methods}, {@code -Allow-Headers},
 *       {@code -Max-Age} (when set) and {@code -Allow-Credentials} (when on); the rest of the
 *       pipeline does not run.
 *   <li>Any other request from an allowed origin runs the pipeline, and its response gets {@code
 *       Access-Control-Allow-Origin}, {@code -Allow-Credentials} (when on) and {@code
 *       -Expose-Headers} (when set), added just before the headers go out so that a later change
 *       of headers (such as an error page) keeps them.
 *   <li>A request from an origin that is not allowed, or a preflight asking for a method or header
 *       that is not, gets no CORS headers at all: it runs the pipeline as if the middleware were
 *       not there (the browser then refuses the response).
 * </ul>
 *
 * <p>Unless any origin is allowed, every response gets {@code Vary: Origin}, so caches keep the
 * answers for different origins apart. With credentials on, the allowed origin is echoed, never
 * {@code *}; combining credentials with any origin is refused when building.
 *
 * <h2>Origins</h2>
 *
 * Exact origins compare ignoring case, such as {@code https://example.com}. A pattern's {@code *}
 * stands for a port ({@code http://localhost:*}) when it follows a colon, otherwise for one or
 * more host labels ({@code https://*.example.com}). {@code "*"} alone allows any origin.
 *
 * <h2>Threading</h2>
 *
 * Immutable; any number of requests at once.
 */
public final class Cors implements MidFunc {
  private final boolean anyOrigin;
  private final Set<String> origins;
  private final List<Pattern> originPatterns;
  private final Set<String> methods;
  private final Set<String> headers;
  private final boolean anyHeader;
  private final List<String> exposedHeaders;
  private final boolean credentials;
  private final Duration maxAge;

  private Cors(Builder builder) {
    this.anyOrigin = builder.anyOrigin;
    this.origins = Set.copyOf(builder.origins);
    this.originPatterns = List.copyOf(builder.originPatterns);
    this.methods = new LinkedHashSet<>(builder.methods);
    this.headers = Set.copyOf(builder.headers);
    this.anyHeader = builder.anyHeader;
    this.exposedHeaders = List.copyOf(builder.exposedHeaders);
    this.credentials = builder.credentials;
    this.maxAge = builder.maxAge;
  }

  /** Returns a builder that allows no origin yet, the methods GET, HEAD and POST, no headers. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public AppFunc apply(AppFunc next) {
    Objects.requireNonNull(next, "next");
    return env -> {
      OwinContext context = OwinContext.of(env);
      if (!anyOrigin) {
        Http.addResponseHeaderToken(env, "Vary", "Origin");
      }
      String origin = context.requestHeader("Origin");
      if (origin == null || !originAllowed(origin)) {
        return next.invoke(env);
      }
      String requestedMethod = context.requestHeader("Access-Control-Request-Method");
      if (context.method().equals("OPTIONS") && requestedMethod != null) {
        List<String> requestedHeaders = Http.requestHeaderTokens(env, "Access-Control-Request-Headers");
        if (!methods.contains(requestedMethod.trim()) || !headersAllowed(requestedHeaders)) {
          return next.invoke(env);
        }
        allowOrigin(context, origin);
        context.setResponseHeader("Access-Control-Allow-Methods", String.join(", ", methods));
        if (!requestedHeaders.isEmpty()) {
          context.setResponseHeader(
              "Access-Control-Allow-Headers", String.join(", ", requestedHeaders));
        }
        if (!maxAge.isZero()) {
          context.setResponseHeader("Access-Control-Max-Age", Long.toString(maxAge.toSeconds()));
        }
        Http.addResponseHeaderToken(env, "Vary", "Access-Control-Request-Method");
        Http.addResponseHeaderToken(env, "Vary", "Access-Control-Request-Headers");
        context.setResponseHeader("Content-Length", "0");
        context.setStatusCode(204);
        return Http.done();
      }
      context.onSendingHeaders(
          () -> {
            allowOrigin(context, origin);
            if (!exposedHeaders.isEmpty()) {
              context.setResponseHeader(
                  "Access-Control-Expose-Headers", String.join(", ", exposedHeaders));
            }
            if (!anyOrigin) {
              Http.addResponseHeaderToken(env, "Vary", "Origin");
            }
          });
      return next.invoke(env);
    };
  }

  private void allowOrigin(OwinContext context, String origin) {
    context.setResponseHeader(
        "Access-Control-Allow-Origin", anyOrigin && !credentials ? "*" : origin);
    if (credentials) {
      context.setResponseHeader("Access-Control-Allow-Credentials", "true");
    }
  }

  private boolean originAllowed(String origin) {
    if (anyOrigin) {
      return true;
    }
    String lower = origin.trim().toLowerCase(Locale.ROOT);
    if (origins.contains(lower)) {
      return true;
    }
    for (Pattern pattern : originPatterns) {
      if (pattern.matcher(lower).matches()) {
        return true;
      }
    }
    return false;
  }

  private boolean headersAllowed(List<String> requested) {
    if (anyHeader) {
      return true;
    }
    for (String header : requested) {
      if (!headers.contains(header.toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }

  /** Configures {@link Cors}; not thread-safe. */
  public static final class Builder {
    private boolean anyOrigin;
    private final Set<String> origins = new LinkedHashSet<>();
    private final List<Pattern> originPatterns = new ArrayList<>();
    private final Set<String> methods = new LinkedHashSet<>(List.of("GET", "HEAD", "POST"));
    private final Set<String> headers = new LinkedHashSet<>();
    private boolean anyHeader;
    private final List<String> exposedHeaders = new ArrayList<>();
    private boolean credentials;
    private Duration maxAge = Duration.ZERO;

    private Builder() {}

    /**
     * Allows these exact origins, such as {@code https://example.com}; {@code "*"} allows any.
     *
     * @return this builder
     * @throws IllegalArgumentException if an origin is not {@code scheme://host[:port]} (or {@code
     *     null}, the opaque origin, or {@code *})
     */
    public Builder allowOrigins(String... origins) {
      for (String origin : Objects.requireNonNull(origins, "origins")) {
        Objects.requireNonNull(origin, "origin");
        if (origin.equals("*")) {
          anyOrigin = true;
          continue;
        }
        if (!origin.equals("null") && !origin.matches("[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#*]+")) {
          throw new IllegalArgumentException(
              "origin must be scheme://host[:port] with no path, got \"" + origin + "\"");
        }
        this.origins.add(origin.toLowerCase(Locale.ROOT));
      }
      return this;
    }

    /**
     * Allows the origins that match these patterns, such as {@code http://localhost:*} or {@code
     * https://*.example.com}; see the class documentation.
     *
     * @return this builder
     * @throws IllegalArgumentException if a pattern has no {@code *}, or has a path
     */
    public Builder allowOriginPatterns(String... patterns) {
      for (String pattern : Objects.requireNonNull(patterns, "patterns")) {
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.contains("*") || !pattern.matches("[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]+")) {
          throw new IllegalArgumentException(
              "origin pattern must be scheme://host[:port] with a *, such as http://localhost:*,"
                  + " got \""
                  + pattern
                  + "\"");
        }
        StringBuilder regex = new StringBuilder();
        String lower = pattern.toLowerCase(Locale.ROOT);
        int start = 0;
        for (int star = lower.indexOf('*'); star >= 0; star = lower.indexOf('*', start)) {
          regex.append(Pattern.quote(lower.substring(start, star)));
          boolean port = star > 0 && lower.charAt(star - 1) == ':';
          regex.append(port ? "[0-9]{1,5}" : "[a-z0-9-]+(?:\\.[a-z0-9-]+)*");
          start = star + 1;
        }
        regex.append(Pattern.quote(lower.substring(start)));
        originPatterns.add(Pattern.compile(regex.toString()));
      }
      return this;
    }

    /**
     * Replaces the methods a preflight may ask for (default GET, HEAD, POST); compared exactly.
     *
     * @return this builder
     */
    public Builder allowMethods(String... methods) {
      Objects.requireNonNull(methods, "methods");
      this.methods.clear();
      for (String method : methods) {
        this.methods.add(Objects.requireNonNull(method, "method"));
      }
      return this;
    }

    /**
     * Allows these request headers in a preflight, compared ignoring case; {@code "*"} allows
     * any.
     *
     * @return this builder
     */
    public Builder allowHeaders(String... headers) {
      for (String header : Objects.requireNonNull(headers, "headers")) {
        Objects.requireNonNull(header, "header");
        if (header.equals("*")) {
          anyHeader = true;
        } else {
          this.headers.add(header.toLowerCase(Locale.ROOT));
        }
      }
      return this;
    }

    /**
     * Lets the page's script read these response headers ({@code Access-Control-Expose-Headers}).
     *
     * @return this builder
     */
    public Builder exposeHeaders(String... headers) {
      for (String header : Objects.requireNonNull(headers, "headers")) {
        exposedHeaders.add(Objects.requireNonNull(header, "header"));
      }
      return this;
    }

    /**
     * Allows credentials (cookies, HTTP authentication) with {@code
     * Access-Control-Allow-Credentials: true}; off by default.
     *
     * @return this builder
     */
    public Builder allowCredentials(boolean allow) {
      this.credentials = allow;
      return this;
    }

    /**
     * Lets the browser cache a preflight's answer for {@code maxAge} ({@code
     * Access-Control-Max-Age}, whole seconds); zero (the default) sends none.
     *
     * @return this builder
     * @throws IllegalArgumentException if {@code maxAge} is negative
     */
    public Builder maxAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("max age must not be negative, got " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /**
     * Returns the configured middleware.
     *
     * @throws IllegalStateException if credentials are allowed for any origin ({@code *}): that
     *     would let every site act with the user's cookies; list the origins instead
     */
    public Cors build() {
      if (credentials && anyOrigin) {
        throw new IllegalStateException(
            "credentials cannot be allowed for any origin (*); list the allowed origins instead");
      }
      return new Cors(this);
    }
  }
}
