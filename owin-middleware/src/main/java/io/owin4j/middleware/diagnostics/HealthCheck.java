package io.owin4j.middleware.diagnostics;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.core.OwinContext;
import io.owin4j.middleware.internal.Http;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Answers a health probe at one path, such as {@code /health}, for load balancers and
 * orchestrators.
 *
 * <p>{@code GET} or {@code HEAD} on exactly the path ({@code owin.RequestPath}, so below a {@code
 * map} prefix) gets {@code 200} with {@value #UP}, or, when the check says unhealthy, {@code 503}
 * with {@value #DOWN}; both as {@code application/json} with {@code Cache-Control: no-store}. Every
 * other request goes to the next application. The check runs on the request's thread; keep it
 * quick. A check that throws counts as unhealthy. Immutable; any number of requests at once.
 */
public final class HealthCheck implements MidFunc {
  /** The default path. */
  public static final String DEFAULT_PATH = "/health";

  /** The body of a healthy answer. */
  public static final String UP = "{\"status\":\"UP\"}";

  /** The body of an unhealthy answer. */
  public static final String DOWN = "{\"status\":\"DOWN\"}";

  private final String path;
  private final BooleanSupplier check;

  private HealthCheck(String path, BooleanSupplier check) {
    this.path = path;
    this.check = check;
  }

  /** Returns a health check at {@value #DEFAULT_PATH} that is always healthy. */
  public static HealthCheck create() {
    return at(DEFAULT_PATH, () -> true);
  }

  /**
   * Returns a health check at {@code path} that asks {@code check}.
   *
   * @throws IllegalArgumentException if {@code path} does not start with {@code /}
   */
  public static HealthCheck at(String path, BooleanSupplier check) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(check, "check");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("health path must start with /, got \"" + path + "\"");
    }
    return new HealthCheck(path, check);
  }

  @Override
  public AppFunc apply(AppFunc next) {
    Objects.requireNonNull(next, "next");
    return env -> {
      OwinContext context = OwinContext.of(env);
      String method = context.method();
      if (!context.path().equals(path) || !(method.equals("GET") || method.equals("HEAD"))) {
        return next.invoke(env);
      }
      boolean healthy;
      try {
        healthy = check.getAsBoolean();
      } catch (RuntimeException e) {
        healthy = false;
      }
      context.setResponseHeader("Cache-Control", "no-store");
      return Http.send(
          env,
          healthy ? 200 : 503,
          "application/json",
          (healthy ? UP : DOWN).getBytes(StandardCharsets.UTF_8));
    };
  }
}
