package io.owin4j.undertow.it;

import io.owin4j.testkit.HostLauncher;
import io.owin4j.testkit.TestServer;
import io.owin4j.testkit.contract.HttpContract;
import io.owin4j.undertow.OwinServer;

/**
 * The kit run the way a third party runs it against their own host: through a {@link HostLauncher}
 * (here one that starts an {@link OwinServer}, as docs/HOSTS.md shows).
 */
class LaunchedHostHttpContractTest extends HttpContract {
  @Override
  protected TestServer.Builder host() {
    return TestServer.builder().launcher(LaunchedHostHttpContractTest::launch);
  }

  static HostLauncher.Running launch(
      java.util.function.Consumer<io.owin4j.core.AppBuilder> configuration,
      HostLauncher.Limits limits) {
    OwinServer server =
        OwinServer.builder()
            .host("127.0.0.1")
            .port(0)
            .maxBodySize(limits.maxRequestBodySize())
            .configure(configuration)
            .build()
            .start();
    return HostLauncher.running(server.uri(), server::close);
  }
}
