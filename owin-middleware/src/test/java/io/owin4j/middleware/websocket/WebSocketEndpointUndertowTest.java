package io.owin4j.middleware.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.undertow.OwinServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The endpoint on a real Undertow server, driven by the JDK WebSocket client where the testkit's
 * client cannot go: pings it observes, a client that stops reading so the send queue fills, and
 * fragments as a real client sends them.
 */
@Timeout(60)
class WebSocketEndpointUndertowTest {
  private static final int FLOOD_QUEUE = EndpointApp.FLOOD_QUEUE;
  private static final int FLOOD_MESSAGE = EndpointApp.FLOOD_MESSAGE;

  private final HttpClient http = HttpClient.newHttpClient();
  private OwinServer server;

  @BeforeEach
  void start() {
    server =
        OwinServer.builder()
            .host("127.0.0.1")
            .port(0)
            .configure(
                app ->
                    app.map(
                            "/ping",
                            branch ->
                                branch.run(
                                    env ->
                                        WebSocketEndpoint.builder()
                                            .pingInterval(Duration.ofMillis(50))
                                            .idleTimeout(Duration.ofMillis(600))
                                            .build()
                                            .invoke(env)))
                        .map(
                            "/flood",
                            branch -> branch.run(EndpointApp.perTest(EndpointApp::flood)))
                        .map(
                            "/echo",
                            branch ->
                                branch.run(
                                    WebSocketEndpoint.builder()
                                        .onText((session, text) -> session.sendText("got:" + text))
                                        .build())))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void pingsGoOutOnTheIntervalAndPongsDoNotKeepAnIdleSessionOpen() throws Exception {
    Client client = Client.connect(http, uri("/ping"), true);

    assertEquals("ping", client.next());
    String event;
    do {
      event = client.next();
    } while (event.equals("ping"));
    assertEquals("close:1001 idle timeout", event);
  }

  @Test
  void fullSendQueueOfAClientThatStopsReadingFailsTheSendAndClosesWith1008() throws Exception {
    Events events = Events.create();
    Client client = Client.connect(http, uri("/flood?t=" + events.token()), false);
    client.socket.sendText("flood", true).join();

    events.await("send-failed:SendQueueFullException");
    events.await(
        "error:SendQueueFullException:send queue full: "
            + FLOOD_QUEUE
            + " messages were waiting for a peer that reads too slowly; closing with 1008");
    client.socket.request(Long.MAX_VALUE);
    String event = client.next();
    int delivered = 0;
    while (event.equals("binary:" + FLOOD_MESSAGE)) {
      delivered++;
      event = client.next();
    }
    assertEquals("close:1008 send queue full", event);
    assertTrue(delivered > 0, "the messages written before the queue filled arrive");
    events.await("close:1008 send queue full");
  }

  @Test
  void fragmentsOfARealClientReachTheHandlerAsOneMessage() throws Exception {
    Client client = Client.connect(http, uri("/echo"), true);
    client.socket.sendText("frag", false).join();
    client.socket.sendText("ments", true).join();

    assertEquals("text:got:fragments", client.next());
    client.socket.sendClose(1000, "").join();
    assertEquals("close:1000 ", client.next());
  }

  private URI uri(String path) {
    return URI.create("ws://127.0.0.1:" + server.port() + path);
  }

  /** The JDK client, turning what arrives into events: text, binary size, ping, close. */
  private static final class Client implements WebSocket.Listener {
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final boolean reading;
    private final StringBuilder text = new StringBuilder();
    private int binary;
    private WebSocket socket;

    private Client(boolean reading) {
      this.reading = reading;
    }

    static Client connect(HttpClient http, URI uri, boolean reading) {
      Client client = new Client(reading);
      client.socket = http.newWebSocketBuilder().buildAsync(uri, client).join();
      return client;
    }

    String next() throws InterruptedException {
      String event = events.poll(20, TimeUnit.SECONDS);
      assertTrue(event != null, "nothing arrived");
      return event;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      if (reading) {
        webSocket.request(Long.MAX_VALUE);
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        events.add("text:" + text);
        text.setLength(0);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      binary += data.remaining();
      if (last) {
        events.add("binary:" + binary);
        binary = 0;
      }
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      events.add("ping");
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      events.add("close:" + statusCode + " " + reason);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      events.add("error:" + error);
    }
  }
}
