package io.owin4j.middleware.websocket;

import io.owin4j.api.AppFunc;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.core.OwinFeatureCollection;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestWebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The endpoints the WebSocket tests talk to, one route per behaviour; each request names its
 * test's {@link Events} log in the query's {@code t}.
 */
abstract class EndpointApp {
  static final int MAX_MESSAGE = 1000;
  static final int BURST_THREADS = 8;
  static final int BURST_MESSAGES = 250;
  static final int FLOOD_QUEUE = 4;
  static final int FLOOD_MESSAGE = 8 * 1024;

  private static final Map<String, WebSocketGroup> ROOMS = new ConcurrentHashMap<>();

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app ->
        app.map("/echo", branch -> branch.run(perTest(EndpointApp::echo)))
            .map("/burst", branch -> branch.run(perTest(EndpointApp::burst)))
            .map("/flood", branch -> branch.run(perTest(EndpointApp::flood)))
            .map("/room", branch -> branch.run(perTest(EndpointApp::room)))
            .map("/idle", branch -> branch.run(perTest(EndpointApp::idle)))
            .map("/pinging", branch -> branch.run(perTest(EndpointApp::pinging)));
  }

  /**
   * Builds the endpoint for the test named by the query's {@code t}, behind the host's WebSocket
   * feature with the faults of {@link FaultyWebSockets} put in.
   */
  static AppFunc perTest(Function<String, WebSocketEndpoint.Builder> endpoint) {
    return env -> {
      String token = Objects.requireNonNull(OwinContext.of(env).query("t"), "t");
      FeatureCollection features = OwinFeatureCollection.of(env);
      WebSocketFeature host = features.get(WebSocketFeature.class);
      if (host != null) {
        features.set(WebSocketFeature.class, new FaultyWebSockets(host));
      }
      return endpoint.apply(token).build().invoke(env);
    };
  }

  /** An endpoint that records its errors and its close. */
  private static WebSocketEndpoint.Builder recording(String token) {
    return WebSocketEndpoint.builder()
        .onError(
            (session, failure) ->
                Events.record(
                    token,
                    "error:" + failure.getClass().getSimpleName() + ":" + failure.getMessage()))
        .onClose(
            (session, status) ->
                Events.record(token, "close:" + status.code() + " " + status.reason()));
  }

  private static WebSocketEndpoint.Builder echo(String token) {
    return recording(token)
        .maxMessageSize(MAX_MESSAGE)
        .subProtocol("chat.v1")
        .onText(
            (session, text) -> {
              switch (text) {
                case "throw" -> throw new IllegalStateException("handler boom");
                case "close-me" -> session.close(4001, "done");
                case "query" -> session.sendText("t=" + session.query("t"));
                case "poison", "poison-io" -> session.sendText(text);
                default -> session.sendText("text:" + text);
              }
            })
        .onBinary((session, data) -> session.sendBinary(data));
  }

  private static WebSocketEndpoint.Builder burst(String token) {
    return recording(token)
        .maxQueuedMessages(BURST_THREADS * BURST_MESSAGES)
        .onText(
            (session, text) -> {
              for (int t = 0; t < BURST_THREADS; t++) {
                int thread = t;
                new Thread(
                        () -> {
                          for (int n = 0; n < BURST_MESSAGES; n++) {
                            session.sendText(thread + ":" + n);
                          }
                        },
                        "burst-" + t)
                    .start();
              }
            });
  }

  static WebSocketEndpoint.Builder flood(String token) {
    byte[] payload = new byte[FLOOD_MESSAGE];
    return recording(token)
        .maxQueuedMessages(FLOOD_QUEUE)
        .onText(
            (session, text) -> {
              // Sends until a send is refused; the peer does not read, so the queue fills.
              for (int sent = 0; sent < 10_000; sent++) {
                CompletableFuture<Void> stage =
                    session.sendBinary(ByteBuffer.wrap(payload)).toCompletableFuture();
                if (stage.isCompletedExceptionally()) {
                  stage.whenComplete(
                      (done, failure) ->
                          Events.record(
                              token, "send-failed:" + failure.getClass().getSimpleName()));
                  return;
                }
              }
              Events.record(token, "the queue never filled");
            });
  }

  private static WebSocketEndpoint.Builder room(String token) {
    WebSocketGroup room = ROOMS.computeIfAbsent(token, key -> new WebSocketGroup());
    return recording(token)
        .onOpen(
            session -> {
              room.join(session);
              // Tells the client it joined: a broadcast after this reaches it.
              session.sendText("welcome");
            })
        .onText(
            (session, text) -> {
              if (text.equals("size")) {
                session.sendText("size:" + room.size());
              } else {
                Events.record(token, "broadcast to " + room.broadcastText(text));
              }
            });
  }

  private static WebSocketEndpoint.Builder pinging(String token) {
    return recording(token)
        .pingInterval(Duration.ofMillis(10))
        .onText((session, text) -> session.sendText("got:" + text));
  }

  private static WebSocketEndpoint.Builder idle(String token) {
    return recording(token).idleTimeout(Duration.ofMillis(300));
  }

  static TestWebSocket connect(TestClient client, String path, Events events) {
    return client.webSocket(path + "?t=" + events.token()).connect();
  }
}
