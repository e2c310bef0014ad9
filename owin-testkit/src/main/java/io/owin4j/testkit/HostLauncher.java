package io.owin4j.testkit;

import io.owin4j.core.AppBuilder;
import java.net.URI;
import java.util.function.Consumer;

/**
 * Starts a host that is not one of the testkit's own, so that {@link TestServer} (and the host
 * conformance kit in {@code io.owin4j.testkit.contract}) can test it over real sockets.
 *
 * <pre>{@code
 * HostLauncher launcher = (configuration, limits) -> {
 *   MyServer server = MyServer.start("127.0.0.1", 0, configuration, limits.maxRequestBodySize());
 *   return HostLauncher.running(server.uri(), server::stop);
 * };
 * try (TestServer server = TestServer.builder().launcher(launcher).app(app).start()) { ... }
 * }</pre>
 *
 * <h2>Contract</h2>
 *
 * The host listens on {@code 127.0.0.1} (an ephemeral port is best), speaks HTTP/1.1, and runs the
 * application that {@code configuration} builds on an {@link AppBuilder} whose properties are the
 * host's startup properties. The testkit puts its own middleware in front of the application, so
 * the host must pass each request's headers through unchanged. May be called from any thread, once
 * per {@link TestServer}; a failure to start is thrown.
 */
@FunctionalInterface
public interface HostLauncher {
  /**
   * Starts the host.
   *
   * @param configuration configures the application on the host's builder
   * @param limits the limits the host must apply
   * @return the running host, which the testkit closes when the test server closes
   * @throws Exception when the host could not start
   */
  Running launch(Consumer<AppBuilder> configuration, Limits limits) throws Exception;

  /**
   * The limits a test asks the host for.
   *
   * @param maxRequestBodySize the largest request body, in bytes: a request declaring more gets 413
   *     without reaching the application, a body read past it fails the read and, before the
   *     response started, gets 413
   */
  record Limits(long maxRequestBodySize) {
    /** Checks the limits are positive. */
    public Limits {
      if (maxRequestBodySize <= 0) {
        throw new IllegalArgumentException(
            "maxRequestBodySize must be positive, got " + maxRequestBodySize);
      }
    }
  }

  /** A host the launcher started: where it listens, and how it stops. */
  interface Running extends AutoCloseable {
    /** The root URI, such as {@code http://127.0.0.1:49152/}. */
    URI uri();

    /** Stops the host; idempotent. */
    @Override
    void close();
  }

  /** A {@link Running} host at {@code uri} that {@code stop} stops. */
  static Running running(URI uri, Runnable stop) {
    java.util.Objects.requireNonNull(uri, "uri");
    java.util.Objects.requireNonNull(stop, "stop");
    return new Running() {
      @Override
      public URI uri() {
        return uri;
      }

      @Override
      public void close() {
        stop.run();
      }
    };
  }
}
