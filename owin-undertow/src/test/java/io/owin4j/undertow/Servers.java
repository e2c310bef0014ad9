package io.owin4j.undertow;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.core.OwinEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/** Starts servers for tests and talks to them. */
final class Servers {
  private Servers() {}

  static final HttpClient HTTP_1_1 =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A started server on 127.0.0.1 and a free port. */
  static OwinServer start(AppFunc app) {
    return start(app, builder -> {});
  }

  /** A started server on 127.0.0.1 and a free port, configured further by {@code settings}. */
  static OwinServer start(AppFunc app, Consumer<OwinServer.Builder> settings) {
    OwinServer.Builder builder = OwinServer.builder().app(app);
    settings.accept(builder);
    return builder.build().start();
  }

  /** GET {@code path} over HTTP/1.1. */
  static HttpResponse<String> get(OwinServer server, String path)
      throws IOException, InterruptedException {
    return HTTP_1_1.send(
        HttpRequest.newBuilder(server.uri().resolve(path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET {@code uri} with {@code client}. */
  static HttpResponse<String> get(HttpClient client, URI uri)
      throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Writes {@code text} as UTF-8 to the response body of {@code env}. */
  static void write(Map<String, Object> env, String text) {
    try {
      ((OutputStream) env.get(OwinKeys.RESPONSE_BODY)).write(text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The response headers of {@code env}. */
  @SuppressWarnings("unchecked")
  static Map<String, String[]> responseHeaders(Map<String, Object> env) {
    return (Map<String, String[]>) env.get(OwinKeys.RESPONSE_HEADERS);
  }

  /** The request headers of {@code env}. */
  @SuppressWarnings("unchecked")
  static Map<String, String[]> requestHeaders(Map<String, Object> env) {
    return (Map<String, String[]>) env.get(OwinKeys.REQUEST_HEADERS);
  }

  /** The typed features under {@code env}, as this host's environment exposes them. */
  static FeatureCollection features(Map<String, Object> env) {
    return ((OwinEnvironment) env).features();
  }

  /** An application that accepts every request's WebSocket and runs {@code session} on it. */
  static AppFunc onWebSocket(Function<WebSocket, CompletionStage<Void>> session) {
    return env ->
        features(env)
            .require(WebSocketFeature.class)
            .accept(WebSocketAcceptContext.of(null))
            .thenCompose(session);
  }

  /** A stage that is already done. */
  static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
