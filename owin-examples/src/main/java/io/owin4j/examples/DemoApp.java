package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import io.owin4j.core.AppBuilder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

/**
 * The demo's application: one pipeline of the example middleware, ready for any host.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>path</th><th>endpoint</th></tr>
 *   <tr><td>{@code /}</td><td>{@link IndexPage}</td></tr>
 *   <tr><td>{@code /hello}</td><td>{@link HelloApp}</td></tr>
 *   <tr><td>{@code /env}</td><td>{@link EnvironmentJson}</td></tr>
 *   <tr><td>{@code /echo}</td><td>{@link Echo}</td></tr>
 *   <tr><td>{@code /stream}</td><td>{@link StreamLines}</td></tr>
 *   <tr><td>{@code /boom}</td><td>{@link Boom}</td></tr>
 *   <tr><td>{@code /ws/echo}</td><td>{@link WebSocketEcho}</td></tr>
 *   <tr><td>{@code /ws/chat}</td><td>{@link ChatRoom}</td></tr>
 *   <tr><td>{@code /opaque/echo}</td><td>{@link OpaqueEcho}</td></tr>
 *   <tr><td>{@code /files/...}</td><td>{@link StaticFiles} (prefix moved to the path base)</td></tr>
 * </table>
 *
 * <p>Paths match exactly and case-sensitively, except {@code /files}, which takes everything below
 * it ignoring case, as {@link AppBuilder#map} does. Anything else gets 404 with a short text body.
 * {@link ErrorHandling} wraps the whole pipeline, so a failure anywhere becomes a clean 500.
 *
 * <p>The endpoints use the blocking body streams: run the application where blocking is allowed
 * (the Undertow host's default worker dispatch).
 */
public final class DemoApp {
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
    StaticFiles files = new StaticFiles(filesRoot);
    return AppBuilder.create()
        .use(new ErrorHandling())
        // The chat room, one per application: a message-level WebSocket endpoint.
        .mapWhen(path("/ws/chat"), branch -> branch.run(new ChatRoom()))
        .mapWhen(path("/"), branch -> branch.run(new IndexPage()))
        .mapWhen(path("/hello"), branch -> branch.run(new HelloApp()))
        .mapWhen(path("/env"), branch -> branch.run(new EnvironmentJson()))
        .mapWhen(path("/echo"), branch -> branch.run(new Echo()))
        .mapWhen(path("/stream"), branch -> branch.run(new StreamLines(scheduler)))
        .mapWhen(path("/boom"), branch -> branch.run(new Boom()))
        .mapWhen(path("/ws/echo"), branch -> branch.run(new WebSocketEcho()))
        .mapWhen(path("/opaque/echo"), branch -> branch.run(new OpaqueEcho()))
        .map("/files", branch -> branch.run(files))
        .run(Env::notFound)
        .build();
  }

  private static Predicate<Map<String, Object>> path(String path) {
    return env -> Env.path(env).equals(path);
  }
}
