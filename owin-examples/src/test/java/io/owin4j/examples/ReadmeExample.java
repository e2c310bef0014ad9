package io.owin4j.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.undertow.OwinServer;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The README's first example, compiled; {@link ReadmeTest} checks the README shows it verbatim. */
final class ReadmeExample {
  private ReadmeExample() {}

  // README:begin portable
  /** Portable middleware: depends on owin-api alone and runs on every Owin4J host. */
  static final MidFunc SERVER_TIMING = next -> env -> {
    long start = System.nanoTime();
    OnSendingHeaders onSendingHeaders = (OnSendingHeaders) env.get(ServerKeys.ON_SENDING_HEADERS);
    onSendingHeaders.register(state -> {
      long micros = (System.nanoTime() - start) / 1_000;
      headers(env).put("Server-Timing", new String[] {"app;dur=" + micros / 1000.0});
    }, env);
    return next.invoke(env);
  };

  static final AppFunc HELLO = env -> {
    byte[] body = "Hello World via OWIN".getBytes(UTF_8);
    headers(env).put("Content-Type", new String[] {"text/plain; charset=utf-8"});
    headers(env).put("Content-Length", new String[] {Integer.toString(body.length)});
    ((OutputStream) env.get(OwinKeys.RESPONSE_BODY)).write(body);
    return CompletableFuture.completedFuture(null);
  };

  @SuppressWarnings("unchecked")
  static Map<String, String[]> headers(Map<String, Object> env) {
    return (Map<String, String[]>) env.get(OwinKeys.RESPONSE_HEADERS);
  }
  // README:end

  /** The README's hosting lines; compiled, not run, as port 8080 may be taken. */
  static OwinServer startOnUndertow() {
    // README:begin hosting
    OwinServer server = OwinServer.builder()
        .port(8080)
        .configure(app -> app.use(SERVER_TIMING).run(HELLO))
        .build()
        .start();
    // README:end
    return server;
  }
}
