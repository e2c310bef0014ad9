package io.owin4j.testkit.contract;

import io.owin4j.core.AppBuilder;
import io.owin4j.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The servers one kit test started: each with the linter on, each checked idle and closed after the
 * test.
 */
final class KitServers {
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final Supplier<TestServer.Builder> host;
  private final List<TestServer> started = new ArrayList<>();

  KitServers(Supplier<TestServer.Builder> host) {
    this.host = host;
  }

  /** Starts the host under test running {@code app}, after {@code options} adjusted its builder. */
  TestServer start(UnaryOperator<TestServer.Builder> options, Consumer<AppBuilder> app) {
    TestServer server = options.apply(host.get().lint(true)).configure(app).start();
    started.add(server);
    return server;
  }

  /** Checks every server is idle, then closes them all. */
  void closeAll() {
    try {
      for (TestServer server : started) {
        server.assertIdle(GRACE);
      }
    } finally {
      for (TestServer server : started) {
        server.close();
      }
      started.clear();
    }
  }
}
