package io.owin4j.core;

import io.owin4j.api.AppFunc;
import io.owin4j.api.HostKeys;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Builds an application pipeline from middleware, branches and a terminal application, in the
 * manner of Katana's {@code IAppBuilder}.
 *
 * <pre>{@code
 * AppFunc app = AppBuilder.create()
 *     .use(OwinLint.middleware())
 *     .map("/health", branch -> branch.run(env -> OwinContext.of(env).writeTextAsync("ok")))
 *     .use((context, next) -> {
 *       context.setResponseHeader("X-Powered-By", "Owin4J");
 *       return next.invoke(context.environment());
 *     })
 *     .run(env -> OwinContext.of(env).writeTextAsync("hello"))
 *     .build();
 * }</pre>
 *
 * <h2>Order</h2>
 *
 * The first middleware added is the outermost: it sees each request first and its stage completes
 * last. {@link #run} ends the pipeline; without it the pipeline ends in an application that sets
 * status 404 and nothing else. Branches added with {@link #map} and {@link #mapWhen} sit at their
 * place in the order: a request they take never reaches what was added after them.
 *
 * <h2>Building</h2>
 *
 * {@link #build} composes the pipeline as it stands at that moment, calling every {@link
 * MidFunc#apply} once, last added first (each needs the application after it). It may be called
 * again, after more calls to {@code use}, and then composes a new pipeline with new {@code apply}
 * calls; earlier results are unaffected.
 *
 * <h2>Startup properties</h2>
 *
 * {@link #properties()} is the map a host hands to the application's configuration, shared with
 * every branch builder. It always holds {@link OwinKeys#VERSION owin.Version} {@code "1.0"}. Before
 * calling the configuration a host adds {@link ServerKeys#CAPABILITIES server.Capabilities} (the
 * same map every request will see), {@link HostKeys#ON_APP_DISPOSING host.OnAppDisposing} (a token
 * that fires on shutdown) and {@link HostKeys#ADDRESSES host.Addresses} (one entry per listener).
 * Middleware may read them, and may add entries of its own for the host.
 *
 * <h2>Threading</h2>
 *
 * A builder is for one thread. The application it builds is as thread-safe as its middleware.
 */
public final class AppBuilder {
  private static final AppFunc NOT_FOUND =
      environment -> {
        environment.put(OwinKeys.RESPONSE_STATUS_CODE, 404);
        return CompletableFuture.completedFuture(null);
      };

  private final Map<String, Object> properties;
  private final List<MidFunc> middleware = new ArrayList<>();
  private @Nullable AppFunc terminal;

  private AppBuilder(Map<String, Object> properties) {
    this.properties = properties;
  }

  /** Returns a builder with fresh startup properties holding only {@code owin.Version}. */
  public static AppBuilder create() {
    return create(new HashMap<>());
  }

  /**
   * Returns a builder over the host's startup {@code properties}, adding {@code owin.Version} when
   * it is absent.
   *
   * <p>The map is used as it is, not copied, so the host sees what the configuration adds to it; it
   * must be mutable.
   *
   * @throws IllegalArgumentException if {@code owin.Version} is present with a value other than
   *     {@code "1.0"}
   */
  public static AppBuilder create(Map<String, Object> properties) {
    Objects.requireNonNull(properties, "properties");
    Object version = properties.get(OwinKeys.VERSION);
    if (version == null) {
      properties.put(OwinKeys.VERSION, OwinKeys.VERSION_VALUE);
    } else if (!OwinKeys.VERSION_VALUE.equals(version)) {
      throw new IllegalArgumentException(
          OwinKeys.VERSION
              + " in the startup properties must be \""
              + OwinKeys.VERSION_VALUE
              + "\", got "
              + EnvironmentValues.describe(version));
    }
    return new AppBuilder(properties);
  }

  /** Returns the mutable startup properties, the same map for this builder and its branches. */
  public Map<String, Object> properties() {
    return properties;
  }

  /**
   * Adds {@code middleware} after everything added so far.
   *
   * @return this builder
   * @throws IllegalStateException if {@link #run} was already called
   */
  public AppBuilder use(MidFunc middleware) {
    Objects.requireNonNull(middleware, "middleware");
    requireOpen("use(MidFunc)");
    this.middleware.add(middleware);
    return this;
  }

  /**
   * Adds middleware written against an {@link OwinContext} after everything added so far.
   *
   * @return this builder
   * @throws IllegalStateException if {@link #run} was already called
   */
  public AppBuilder use(ContextMiddleware middleware) {
    Objects.requireNonNull(middleware, "middleware");
    requireOpen("use(ContextMiddleware)");
    this.middleware.add(
        next -> environment -> middleware.invoke(OwinContext.of(environment), next));
    return this;
  }

  /**
   * Ends the pipeline with {@code app}; nothing can be added after it.
   *
   * @return this builder
   * @throws IllegalStateException if {@code run} was already called
   */
  public AppBuilder run(AppFunc app) {
    Objects.requireNonNull(app, "app");
    requireOpen("run(AppFunc)");
    terminal = app;
    return this;
  }

  /**
   * Sends requests whose path lies under {@code prefix} to a branch that {@code branch} configures;
   * other requests go on down this pipeline.
   *
   * <p>{@code prefix} is compared with the decoded {@code owin.RequestPath} on whole segments and
   * ignoring case, as Katana and ASP.NET Core do: {@code /foo} takes {@code /foo}, {@code /foo/}
   * and {@code /FOO/bar}, but not {@code /foobar}. Give it decoded, as the path is. A request
   * without {@code owin.RequestPath} goes on down this pipeline, as one whose path does not match.
   *
   * <p>For a request it takes, the matched part moves from the path to the path base: {@code
   * owin.RequestPathBase} gains the prefix as the request spelled it, and {@code owin.RequestPath}
   * keeps the rest, which is empty or starts with {@code /}. Both keys get their old values back
   * when the branch's stage completes, successfully or not, or when the branch throws. Maps nest: a
   * map inside a branch matches against the path the outer map left.
   *
   * <p>{@code branch} runs now, on a new builder that shares this one's properties; a branch
   * without {@link #run} ends in the 404 application. The branch is composed whenever this builder
   * is built.
   *
   * @return this builder
   * @throws IllegalArgumentException if {@code prefix} does not start with {@code /}, ends with
   *     {@code /}, or is {@code /} alone
   * @throws IllegalStateException if {@link #run} was already called
   */
  public AppBuilder map(String prefix, Consumer<AppBuilder> branch) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(branch, "branch");
    requireOpen("map(String, Consumer)");
    if (prefix.equals("/")) {
      throw new IllegalArgumentException(
          "map prefix must not be \"/\", which matches every request; add to the root builder"
              + " instead");
    }
    if (!prefix.startsWith("/") || prefix.endsWith("/")) {
      throw new IllegalArgumentException(
          "map prefix must start with \"/\" and not end with \"/\", got \"" + prefix + "\"");
    }
    AppBuilder branchBuilder = configure(branch);
    middleware.add(next -> mapPrefix(prefix, branchBuilder.compose(), next));
    return this;
  }

  /**
   * Sends requests for which {@code predicate} is true to a branch that {@code branch} configures;
   * other requests go on down this pipeline.
   *
   * <p>{@code predicate} runs once per request, on the environment, before the branch; if it
   * throws, the request fails as if the application had thrown. It must not depend on state that
   * the pipeline changes later in the same request. {@code branch} runs as for {@link #map}.
   *
   * @return this builder
   * @throws IllegalStateException if {@link #run} was already called
   */
  public AppBuilder mapWhen(Predicate<Map<String, Object>> predicate, Consumer<AppBuilder> branch) {
    Objects.requireNonNull(predicate, "predicate");
    Objects.requireNonNull(branch, "branch");
    requireOpen("mapWhen(Predicate, Consumer)");
    AppBuilder branchBuilder = configure(branch);
    middleware.add(
        next -> {
          AppFunc branchApp = branchBuilder.compose();
          return environment ->
              predicate.test(environment)
                  ? branchApp.invoke(environment)
                  : next.invoke(environment);
        });
    return this;
  }

  /**
   * Composes the pipeline as it stands now.
   *
   * @return the outermost application
   * @throws IllegalStateException if a middleware's {@code apply} returns null
   */
  public AppFunc build() {
    return finish(compose());
  }

  // Typed code over a dictionary host needs two things from the outermost app: typed accept or
  // upgrade needs the pipeline to unwind before the host calls back, and on-completed callbacks
  // need someone who knows when the pipeline's stage completes. Wrapping once serves both,
  // wherever the typed code sits.
  private static AppFunc finish(AppFunc app) {
    AppFunc unwinding = UpgradeBridge.unwindOnTypedAccept(app);
    return environment -> {
      OwinFeatureCollection features =
          environment instanceof OwinEnvironment
              ? null
              : OwinFeatureCollection.enterPipeline(environment);
      if (features == null) {
        return unwinding.invoke(environment);
      }
      return AppFunc.invokeSafely(unwinding, environment)
          .whenComplete((ignored, failure) -> features.runCompletedCallbacks());
    };
  }

  private AppFunc compose() {
    AppFunc app = terminal != null ? terminal : NOT_FOUND;
    for (int i = middleware.size() - 1; i >= 0; i--) {
      MidFunc current = middleware.get(i);
      AppFunc wrapped = current.apply(app);
      if (wrapped == null) {
        throw new IllegalStateException(
            "middleware " + current + " returned null from apply; it must return an AppFunc");
      }
      app = wrapped;
    }
    return app;
  }

  private AppBuilder configure(Consumer<AppBuilder> branch) {
    AppBuilder branchBuilder = new AppBuilder(properties);
    branch.accept(branchBuilder);
    return branchBuilder;
  }

  private void requireOpen(String call) {
    if (terminal != null) {
      throw new IllegalStateException(
          call + " called after run(AppFunc); run ends the pipeline, so add everything before it");
    }
  }

  private static AppFunc mapPrefix(String prefix, AppFunc branch, AppFunc next) {
    return environment -> {
      OwinContext context = OwinContext.of(environment);
      // Without a path nothing lies under the prefix: the same answer as for a path that differs.
      String path = context.get(OwinKeys.REQUEST_PATH, String.class);
      if (path == null) {
        return next.invoke(environment);
      }
      boolean matches =
          path.regionMatches(true, 0, prefix, 0, prefix.length())
              && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
      if (!matches) {
        return next.invoke(environment);
      }
      String pathBase = context.pathBase();
      environment.put(OwinKeys.REQUEST_PATH_BASE, pathBase + path.substring(0, prefix.length()));
      environment.put(OwinKeys.REQUEST_PATH, path.substring(prefix.length()));
      CompletionStage<Void> stage = AppFunc.invokeSafely(branch, environment);
      return stage.whenComplete(
          (ignored, failure) -> {
            environment.put(OwinKeys.REQUEST_PATH_BASE, pathBase);
            environment.put(OwinKeys.REQUEST_PATH, path);
          });
    };
  }
}
