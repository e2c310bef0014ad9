package io.owin4j.middleware.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.core.AppBuilder;
import io.owin4j.middleware.websocket.WebSocketEndpoint;
import io.owin4j.middleware.websocket.WebSocketGroup;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestWebSocket;
import io.owin4j.testkit.WebSocketMessage;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's chat room, on both hosts: members see each other's messages and the server's. */
@OwinHostTest
@Timeout(30)
class ChatRoomTest {
  // README:begin websocket-chat
  static final WebSocketGroup ROOM = new WebSocketGroup();

  static final WebSocketEndpoint CHAT =
      WebSocketEndpoint.builder()
          .maxMessageSize(4096)
          .pingInterval(Duration.ofSeconds(30))
          .idleTimeout(Duration.ofMinutes(10))
          .onOpen(
              session -> {
                String name = Objects.requireNonNullElse(session.query("name"), "guest");
                session.attributes().put("name", name);
                ROOM.join(session); // and leaves the room by itself when it closes
                ROOM.broadcastText(name + " joined");
              })
          .onText(
              (session, text) ->
                  ROOM.broadcastText(session.attributes().get("name") + ": " + text))
          .build();

  /** Any thread may send at any time: every session queues its own messages. */
  static void announce(String news) {
    ROOM.broadcastText("server: " + news);
  }
  // README:end

  @TestApplication
  static Consumer<AppBuilder> app() {
    return app -> app.map("/chat", branch -> branch.run(CHAT));
  }

  @Test
  void membersSeeEachOthersMessagesAndTheServers(TestClient client) throws Exception {
    try (TestWebSocket ada = client.webSocket("/chat?name=Ada").connect()) {
      assertEquals(WebSocketMessage.text("Ada joined"), ada.receive());
      try (TestWebSocket bob = client.webSocket("/chat?name=Bob").connect()) {
        assertEquals(WebSocketMessage.text("Bob joined"), bob.receive());
        assertEquals(WebSocketMessage.text("Bob joined"), ada.receive());

        ada.sendText("hi Bob");
        assertEquals(WebSocketMessage.text("Ada: hi Bob"), bob.receive());
        assertEquals(WebSocketMessage.text("Ada: hi Bob"), ada.receive());

        Thread announcer = new Thread(() -> announce("tea is ready"));
        announcer.start();
        announcer.join();
        assertEquals(WebSocketMessage.text("server: tea is ready"), ada.receive());
        assertEquals(WebSocketMessage.text("server: tea is ready"), bob.receive());
      }
    }
  }
}
