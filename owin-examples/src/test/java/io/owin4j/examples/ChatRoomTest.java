package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.HostKeys;
import io.owin4j.core.AppBuilder;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestWebSocket;
import io.owin4j.testkit.WebSocketMessage;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The demo's chat room through its route, on both hosts. */
@OwinHostTest
@Timeout(30)
class ChatRoomTest {
  @TestApplication
  static Consumer<AppBuilder> app() {
    return builder -> {
      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
      ((CancellationToken) builder.properties().get(HostKeys.ON_APP_DISPOSING))
          .register(scheduler::shutdownNow);
      builder.run(DemoApp.create(Path.of("."), scheduler));
    };
  }

  @Test
  void membersSeeEachOthersMessagesWithTheSender(TestClient client) {
    try (TestWebSocket ada = client.webSocket("/ws/chat?name=Ada").connect()) {
      assertEquals(text("{\"type\":\"welcome\",\"from\":\"Ada\"}"), ada.receive());
      assertEquals(text("{\"type\":\"joined\",\"from\":\"Ada\"}"), ada.receive());
      try (TestWebSocket bob = client.webSocket("/ws/chat?name=Bob").connect()) {
        assertEquals(text("{\"type\":\"welcome\",\"from\":\"Bob\"}"), bob.receive());
        assertEquals(text("{\"type\":\"joined\",\"from\":\"Bob\"}"), bob.receive());
        assertEquals(text("{\"type\":\"joined\",\"from\":\"Bob\"}"), ada.receive());

        bob.sendText("hi \"Ada\"");
        WebSocketMessage expected =
            text("{\"type\":\"message\",\"from\":\"Bob\",\"text\":\"hi \\\"Ada\\\"\"}");
        assertEquals(expected, ada.receive());
        assertEquals(expected, bob.receive());

        bob.close(1000, "bye");
        assertEquals(WebSocketMessage.close(1000, "bye"), bob.receive());
      }
      assertEquals(text("{\"type\":\"left\",\"from\":\"Bob\"}"), ada.receive());
    }
  }

  @Test
  void memberWithoutANameIsAGuest(TestClient client) {
    try (TestWebSocket socket = client.webSocket("/ws/chat?name=%20%01").connect()) {
      assertEquals(text("{\"type\":\"welcome\",\"from\":\"guest\"}"), socket.receive());
    }
  }

  @Test
  void messageOverTheLimitClosesTheSendersSessionWith1009(TestClient client) {
    try (TestWebSocket socket = client.webSocket("/ws/chat").connect()) {
      socket.receive();
      socket.receive();
      socket.sendText("x".repeat(ChatRoom.MAX_MESSAGE_BYTES + 1));

      assertEquals(WebSocketMessage.close(1009, "message too big"), socket.receive());
    }
  }

  @Test
  void longNameIsCut() {
    assertEquals("a".repeat(ChatRoom.MAX_NAME_LENGTH), ChatRoom.cleanName("a".repeat(100)));
  }

  private static WebSocketMessage text(String json) {
    return WebSocketMessage.text(json);
  }
}
