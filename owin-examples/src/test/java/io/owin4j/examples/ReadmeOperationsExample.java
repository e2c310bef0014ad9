package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import io.owin4j.undertow.ExchangeSummary;
import io.owin4j.undertow.OwinServer;
import io.owin4j.undertow.ServerListener;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The README's operations examples, compiled; {@link ReadmeTest} checks the README shows them. */
final class ReadmeOperationsExample {
  private ReadmeOperationsExample() {}

  /** The README's environment and TLS lines; compiled, not run, as they bind what they are told. */
  static OwinServer fromEnvironment(AppFunc app) {
    // README:begin operations
    OwinServer server = OwinServer.fromEnvironment() // PORT, HOST and the OWIN4J_* variables
        .tls(Path.of("/etc/owin4j/chain.pem"), Path.of("/etc/owin4j/key.pem"))
        .shutdownHook(true) // SIGTERM or Ctrl-C stops it gracefully
        .app(app)
        .build()
        .start();
    // README:end
    return server;
  }

  // README:begin listener
  /** Counts finished exchanges by method and status; a metrics library gets the same data. */
  static final class RequestCounter implements ServerListener {
    final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void exchangeEnded(ExchangeSummary exchange) {
      // With Micrometer: registry.timer("http.server.requests", "method", exchange.method(),
      //     "status", Integer.toString(exchange.status())).record(exchange.duration());
      counts.computeIfAbsent(exchange.method() + " " + exchange.status(), key -> new LongAdder())
          .increment();
    }
  }
  // README:end

  /** The README's registration line. */
  static OwinServer withCounter(AppFunc app, RequestCounter counter) {
    // README:begin listener-registration
    OwinServer server = OwinServer.builder().listener(counter).app(app).build().start();
    // README:end
    return server;
  }
}
