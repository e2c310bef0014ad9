package io.owin4j.middleware.routing;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.RoutingKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.core.OwinContext;
import io.owin4j.middleware.internal.Http;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Dispatches a request to the application of the first route whose method and path template match.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *     .get("/users/{id}", env -> OwinContext.of(env).writeTextAsync(
 *         "user " + OwinContext.of(env).routeParameter("id")))
 *     .get("/files/{*path}", files)
 *     .build();
 * app.map("/api", api -> api.run(router));
 * }</pre>
 *
 * <h2>Matching</h2>
 *
 * A template matches {@code owin.RequestPath}, which is below {@code owin.RequestPathBase}, so a
 * router inside {@code AppBuilder.map("/api", ...)} sees {@code /users/7} for {@code /api/users/7}.
 * Segments are literals compared exactly, parameters {@code {name}} that match one non-empty
 * segment, and, last only, a wildcard {@code {*name}} (or anonymous {@code *}) that takes the rest
 * of the path, possibly empty. Routes are tried in the order they were added.
 *
 * <p>Before the matched application runs, the router puts the parameters (an unmodifiable {@code
 * Map<String, String>}) under {@link RoutingKeys#PARAMETERS} and the template under {@link
 * RoutingKeys#TEMPLATE}; {@link OwinContext#routeParameter(String)} reads them.
 *
 * <h2>What else it answers</h2>
 *
 * <ul>
 *   <li>A path that some route matches with another method: 405 with {@code Allow} listing the
 *       methods of every route that matches the path.
 *   <li>{@code HEAD} with no {@code HEAD} route: the {@code GET} route runs, with a response body
 *       that discards what it writes (headers, including {@code Content-Length}, go out as set).
 *   <li>{@code OPTIONS} with no {@code OPTIONS} route: 204 with {@code Allow}.
 *   <li>A path no route matches: as an {@link AppFunc} (an endpoint), 404; as a {@link MidFunc}
 *       (added with {@code use}), the next application.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * A router is immutable and may serve any number of requests at once. Its own answers write a few
 * bytes to the blocking body stream.
 */
public final class Router implements AppFunc, MidFunc {
  private static final AppFunc NOT_FOUND = env -> Http.text(env, 404, "Not Found\n");

  private final List<Route> routes;

  private Router(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  /** Returns a builder with no routes. */
  public static Builder builder() {
    return new Builder();
  }

  /** Handles the request as an endpoint: a path no route matches gets 404. */
  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    return dispatch(env, NOT_FOUND);
  }

  /** Handles the request as middleware: a path no route matches goes to {@code next}. */
  @Override
  public AppFunc apply(AppFunc next) {
    Objects.requireNonNull(next, "next");
    return env -> dispatch(env, next);
  }

  private CompletionStage<Void> dispatch(Map<String, Object> env, AppFunc unmatched)
      throws Exception {
    OwinContext context = OwinContext.of(env);
    String method = context.method();
    String path = context.path();
    Set<String> allowed = new LinkedHashSet<>();
    Route getRoute = null;
    Map<String, String> getParameters = null;
    for (Route route : routes) {
      Map<String, String> parameters = route.template.match(path);
      if (parameters == null) {
        continue;
      }
      if (route.method.equals(method)) {
        return invoke(env, route, parameters, false);
      }
      allowed.add(route.method);
      if (route.method.equals("GET") && getRoute == null) {
        getRoute = route;
        getParameters = parameters;
      }
    }
    if (allowed.isEmpty()) {
      return unmatched.invoke(env);
    }
    if (method.equals("HEAD") && getRoute != null) {
      return invoke(env, getRoute, getParameters, true);
    }
    if (allowed.contains("GET")) {
      allowed.add("HEAD");
    }
    allowed.add("OPTIONS");
    String allow = String.join(", ", allowed);
    context.setResponseHeader("Allow", allow);
    if (method.equals("OPTIONS")) {
      context.setStatusCode(204);
      return Http.done();
    }
    return Http.text(env, 405, "Method Not Allowed\n");
  }

  private static CompletionStage<Void> invoke(
      Map<String, Object> env, Route route, Map<String, String> parameters, boolean headOnly)
      throws Exception {
    env.put(RoutingKeys.PARAMETERS, parameters);
    env.put(RoutingKeys.TEMPLATE, route.template.text());
    if (headOnly) {
      OutputStream body = OwinContext.of(env).responseBody();
      env.put(OwinKeys.RESPONSE_BODY, new HeadBody(body));
      if (env.get(SendFileKeys.SEND_ASYNC) != null) {
        SendFileAsync headSendFile =
            (file, offset, count, cancel) -> {
              try {
                body.flush();
                return CompletableFuture.completedFuture(null);
              } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
              }
            };
        env.put(SendFileKeys.SEND_ASYNC, headSendFile);
      }
    }
    return AppFunc.invokeSafely(route.app, env);
  }

  /** A response body for {@code HEAD}: writes are dropped, a flush still starts the response. */
  private static final class HeadBody extends OutputStream {
    private final OutputStream body;

    HeadBody(OutputStream body) {
      this.body = body;
    }

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {
      Objects.checkFromIndexSize(off, len, b.length);
    }

    @Override
    public void flush() throws IOException {
      body.flush();
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  private record Route(String method, RouteTemplate template, AppFunc app) {}

  /** Collects routes; not thread-safe, {@link #build()} makes the immutable router. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a route for {@code method} (compared exactly, so use upper case as HTTP does) and the
     * path {@code template}.
     *
     * @return this builder
     * @throws IllegalArgumentException if the method is empty or not upper case, or the template is
     *     invalid (the message names it and the rule)
     */
    public Builder route(String method, String template, AppFunc app) {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(template, "template");
      Objects.requireNonNull(app, "app");
      if (method.isEmpty() || !method.equals(method.toUpperCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "route method must be a non-empty upper-case token such as GET, got \"" + method + "\"");
      }
      routes.add(new Route(method, RouteTemplate.parse(template), app));
      return this;
    }

    /** Adds a {@code GET} route, which answers {@code HEAD} too; see {@link #route}. */
    public Builder get(String template, AppFunc app) {
      return route("GET", template, app);
    }

    /** Adds a {@code POST} route; see {@link #route}. */
    public Builder post(String template, AppFunc app) {
      return route("POST", template, app);
    }

    /** Adds a {@code PUT} route; see {@link #route}. */
    public Builder put(String template, AppFunc app) {
      return route("PUT", template, app);
    }

    /** Adds a {@code DELETE} route; see {@link #route}. */
    public Builder delete(String template, AppFunc app) {
      return route("DELETE", template, app);
    }

    /** Adds a {@code PATCH} route; see {@link #route}. */
    public Builder patch(String template, AppFunc app) {
      return route("PATCH", template, app);
    }

    /** Returns a router with the routes added so far, in that order. */
    public Router build() {
      return new Router(routes);
    }
  }
}
