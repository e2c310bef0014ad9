package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo under load, recorded with JFR: every exchange and WebSocket session is an event. */
@Timeout(60)
class DemoRecordingTest {
  private static final int REQUESTS = 200;
  private static final int CONCURRENCY = 8;

  @Test
  void recordingOfTheDemoUnderLoadHasAnEventPerExchangeAndWebSocketSession() throws Exception {
    List<RecordedEvent> exchanges = new CopyOnWriteArrayList<>();
    List<RecordedEvent> sessions = new CopyOnWriteArrayList<>();
    CountDownLatch allExchanges = new CountDownLatch(REQUESTS);
    CountDownLatch oneSession = new CountDownLatch(1);
    try (RecordingStream recording = new RecordingStream();
        DemoServer demo = DemoServer.start("127.0.0.1", 0, null)) {
      // The events are kept past their action: without this, the stream may reuse an event object
      // for a later event (another exchange, the WebSocket's 101) before the assertions read it.
      recording.setReuse(false);
      recording.enable("io.owin4j.Exchange");
      recording.enable("io.owin4j.WebSocketSession");
      recording.onEvent(
          "io.owin4j.Exchange",
          event -> {
            if ("/hello".equals(event.getString("path"))) {
              exchanges.add(event);
              allExchanges.countDown();
            }
          });
      recording.onEvent(
          "io.owin4j.WebSocketSession",
          event -> {
            sessions.add(event);
            oneSession.countDown();
          });
      recording.startAsync();

      load(demo.uri().resolve("/hello"));
      echoOnce(demo.uri().resolve("/ws/echo"));

      assertTrue(allExchanges.await(30, TimeUnit.SECONDS), "exchange events: " + exchanges.size());
      assertTrue(oneSession.await(30, TimeUnit.SECONDS), "no WebSocket session event");
    }

    RecordedEvent exchange = exchanges.get(0);
    assertEquals("GET", exchange.getString("method"));
    assertEquals(200, exchange.getInt("status"));
    assertTrue(exchange.getLong("bytesSent") > 0, "bytes " + exchange.getLong("bytesSent"));
    assertEquals("COMPLETED", exchange.getString("outcome"));
    assertTrue(!exchange.getDuration().isNegative());

    RecordedEvent session = sessions.get(0);
    assertEquals("/ws/echo", session.getString("path"));
    assertEquals("websocket", session.getString("protocol"));
    assertEquals(false, session.getBoolean("failed"));
  }

  /** {@link #REQUESTS} GETs, {@link #CONCURRENCY} at a time. */
  private static void load(URI uri) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int sent = 0; sent < REQUESTS; sent += CONCURRENCY) {
      List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
      for (int i = 0; i < CONCURRENCY; i++) {
        batch.add(
            client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> response : batch) {
        assertEquals(200, response.get(30, TimeUnit.SECONDS).statusCode());
      }
    }
  }

  /** One WebSocket session: a message, its echo, and a close. */
  private static void echoOnce(URI http) throws Exception {
    URI ws = URI.create("ws" + http.toString().substring("http".length()));
    CompletableFuture<String> echoed = new CompletableFuture<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                ws,
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    echoed.complete(data.toString());
                    webSocket.request(1);
                    return null;
                  }

                  @Override
                  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                    closed.complete(statusCode);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    socket.sendText("hello", true).get(10, TimeUnit.SECONDS);
    assertEquals("hello", echoed.get(10, TimeUnit.SECONDS));
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
    assertEquals(WebSocket.NORMAL_CLOSURE, closed.get(10, TimeUnit.SECONDS));
  }
}
