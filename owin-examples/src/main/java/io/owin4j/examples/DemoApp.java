package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import io.owin4j.core.AppBuilder;
import io.owin4j.middleware.compression.ResponseCompression;
import io.owin4j.middleware.cors.Cors;
import io.owin4j.middleware.diagnostics.AccessLog;
import io.owin4j.middleware.diagnostics.HealthCheck;
import io.owin4j.middleware.diagnostics.RequestId;
import io.owin4j.middleware.errors.ErrorHandling;
import io.owin4j.middleware.routing.Router;
import io.owin4j.middleware.staticfiles.StaticFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The demo's application: the standard middleware of owin-middleware around the example
 * endpoints, ready for any host.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>method and path</th><th>endpoint</th></tr>
 *   <tr><td>{@code GET /}</td><td>{@link IndexPage}</td></tr>
 *   <tr><td>{@code GET /hello}</td><td>{@link HelloApp}</td></tr>
 *   <tr><td>{@code GET /env}</td><td>{@link EnvironmentJson}</td></tr>
 *   <tr><td>{@code POST /echo}</td><td>{@link Echo}</td></tr>
 *   <tr><td>{@code GET /stream}</td><td>{@link StreamLines}</td></tr>
 *   <tr><td>{@code GET /boom}</td><td>{@link Boom}</td></tr>
 *   <tr><td>{@code GET /ws/echo}</td><td>{@link WebSocketEcho}</td></tr>
 *   <tr><td>{@code GET /ws/chat}</td><td>{@link ChatRoom}</td></tr>
 *   <tr><td>{@code GET /opaque/echo}</td><td>{@link OpaqueEcho}</td></tr>
 *   <tr><td>{@code GET /health}</td><td>{@link HealthCheck}</td></tr>
 *   <tr><td>{@code GET /files/...}</td><td>{@link StaticFiles} (prefix moved to the path base)</td></tr>
 * </table>
 *
 * <p>The {@link Router} matches paths exactly and case-sensitively, answers 405 with {@code
 * Allow} for another method, {@code HEAD} with the {@code GET} route and {@code OPTIONS} by
 * itself; anything else gets 404 with a short text body. {@code /files} takes everything below it
 * ignoring case, as {@link AppBuilder#map} does.
 *
 * <p>Around the routes, from the outside in: {@link AccessLog} (Combined format, to the logger
 * {@value AccessLog#LOGGER_NAME}), {@link RequestId} ({@code X-Request-Id}), {@link ErrorHandling}
 * (a failure anywhere becomes a clean 500), {@link Cors} (this origin and any {@code
 * http://localhost:*} or {@code http://127.0.0.1:*} page may call it), the health probe, and
 * {@link ResponseCompression} (gzip for text).
 *
 * <p>The endpoints use the blocking body streams: run the application where blocking is allowed
 * (the Undertow host's default worker dispatch).
 */
public final class DemoApp {
  /** The origins whose pages may call the demo from a browser. */
  static final String[] CORS_ORIGIN_PATTERNS = {"http://localhost:*", "http://127.0.0.1:*"};

  private DemoApp() {}

  /**
   * Builds the demo's application.
   *
   * @param filesRoot the folder served under {@code /files/}
   * @param scheduler runs {@link StreamLines}' timed writes; owned by the caller
   * @throws IllegalArgumentException if {@code filesRoot} is not an existing directory
   */
  public static AppFunc create(Path filesRoot, ScheduledExecutorService scheduler) {
    Objects.requireNonNull(filesRoot, "filesRoot");
    Objects.requireNonNull(scheduler, "scheduler");
    StaticFiles files = StaticFiles.fromDirectory(filesRoot).build();
    Router routes =
        Router.builder()
            .get("/", new IndexPage())
            .get("/hello", new HelloApp())
            .get("/env", new EnvironmentJson())
            .post("/echo", new Echo())
            .get("/stream", new StreamLines(scheduler))
            .get("/boom", new Boom())
            .get("/ws/echo", new WebSocketEcho())
            // The chat room, one per application: a message-level WebSocket endpoint.
            .get("/ws/chat", new ChatRoom())
            .get("/opaque/echo", new OpaqueEcho())
            .build();
    Cors cors =
        Cors.builder()
            .allowOriginPatterns(CORS_ORIGIN_PATTERNS)
            .allowMethods("GET", "HEAD", "POST")
            .allowHeaders("Content-Type")
            .exposeHeaders(RequestId.DEFAULT_HEADER)
            .maxAge(Duration.ofMinutes(10))
            .build();
    return AppBuilder.create()
        .use(AccessLog.create(AccessLog.Format.COMBINED))
        .use(RequestId.create())
        .use(ErrorHandling.create())
        .use(cors)
        .use(HealthCheck.create())
        .use(ResponseCompression.create())
        .map("/files", branch -> branch.run(files))
        .run(routes)
        .build();
  }
}
