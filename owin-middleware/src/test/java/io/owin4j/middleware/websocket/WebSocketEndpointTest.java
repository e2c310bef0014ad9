package io.owin4j.middleware.websocket;

import static io.owin4j.middleware.websocket.EndpointApp.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.testkit.HostMode;
import io.owin4j.testkit.OnlyOn;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import io.owin4j.testkit.TestWebSocket;
import io.owin4j.testkit.WebSocketMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The message-level WebSocket endpoint on both hosts: whole messages, the size limit, sends from
 * many threads, the full send queue, groups, the idle timeout, and the close status the close
 * handler sees.
 */
@OwinHostTest
@Timeout(60)
class WebSocketEndpointTest extends EndpointApp {
  @Test
  void fragmentsReachTheHandlerAsOneTextMessage(TestClient client) {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/echo", events)) {
      socket.sendFragment("hel", false);
      socket.sendFragment("lo, ", false);
      socket.sendFragment("world", true);

      assertEquals(WebSocketMessage.text("text:hello, world"), socket.receive());
    }
  }

  @Test
  void binaryFragmentsReachTheHandlerAsOneMessage(TestClient client) {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/echo", events)) {
      socket.sendFragment(ByteBuffer.wrap(new byte[] {1, 2, 3}), false);
      socket.sendFragment(ByteBuffer.wrap(new byte[] {4, 5}), true);

      assertEquals(WebSocketMessage.binary(new byte[] {1, 2, 3, 4, 5}), socket.receive());
    }
  }

  @Test
  void messageOfExactlyTheMaximumSizeArrives(TestClient client) {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/echo", events)) {
      byte[] largest = new byte[MAX_MESSAGE];
      largest[MAX_MESSAGE - 1] = 7;
      socket.sendBinary(largest);

      assertEquals(WebSocketMessage.binary(largest), socket.receive());
    }
  }

  @Test
  void messageOverTheMaximumSizeClosesWith1009AndReachesTheErrorHandler(TestClient client)
      throws Exception {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/echo", events)) {
      socket.sendFragment("x".repeat(600), false);
      socket.sendFragment("y".repeat(600), true);

      assertEquals(WebSocketMessage.close(1009, "message too big"), socket.receive());
      // How much had arrived when the limit was crossed depends on how the host split the
      // fragments into reads: anything past the limit, up to the whole 1200 bytes.
      events.awaitMatching(
          "error:MessageTooBigException:message too big: the maximum message size is 1000 bytes,"
              + " got at least (100[1-9]|10[1-9][0-9]|1[1-9][0-9]{2}) bytes; closing with 1009");
      events.await("close:1009 message too big");
    }
  }

  @Test
  void sendsFromManyThreadsArriveWholeAndInEachThreadsOrder(TestClient client) {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/burst", events)) {
      socket.sendText("go");

      Map<Integer, List<Integer>> byThread = new HashMap<>();
      for (int i = 0; i < EndpointApp.BURST_THREADS * BURST_MESSAGES; i++) {
        String[] parts = socket.receive().text().split(":");
        byThread.computeIfAbsent(Integer.parseInt(parts[0]), t -> new ArrayList<>())
            .add(Integer.parseInt(parts[1]));
      }

      List<Integer> inOrder = new ArrayList<>();
      for (int n = 0; n < BURST_MESSAGES; n++) {
        inOrder.add(n);
      }
      assertEquals(EndpointApp.BURST_THREADS, byThread.size());
      byThread.forEach((thread, numbers) -> assertEquals(inOrder, numbers, "thread " + thread));
    }
  }

  @Test
  @OnlyOn(
      value = HostMode.IN_MEMORY,
      reason =
          "the testkit's Undertow client reads eagerly, so the peer is never slow;"
              + " WebSocketEndpointUndertowTest covers Undertow with a client that stops reading")
  void fullSendQueueFailsTheSendReachesTheErrorHandlerAndClosesWith1008(TestClient client)
      throws Exception {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/flood", events)) {
      socket.sendText("flood");

      events.await("send-failed:SendQueueFullException");
      events.await(
          "error:SendQueueFullException:send queue full: 4 messages were waiting for a peer that"
              + " reads too slowly; closing with 1008");
      WebSocketMessage message = socket.receive();
      int delivered = 0;
      while (message.type() == WebSocketMessage.Type.BINARY) {
        assertEquals(FLOOD_MESSAGE, message.bytes().length);
        delivered++;
        message = socket.receive();
      }
      assertEquals(WebSocketMessage.close(1008, "send queue full"), message);
      assertTrue(delivered > 0, "the messages written before the queue filled arrive");
      events.await("close:1008 send queue full");
    }
  }

  @Test
  void broadcastReachesEveryMemberAndSkipsOneThatLeft(TestClient client) throws Exception {
    Events events = Events.create();
    try (TestWebSocket ada = connect(client, "/room", events);
        TestWebSocket bob = connect(client, "/room", events)) {
      assertEquals(WebSocketMessage.text("welcome"), ada.receive());
      assertEquals(WebSocketMessage.text("welcome"), bob.receive());
      ada.sendText("size");
      assertEquals(WebSocketMessage.text("size:2"), ada.receive());

      bob.sendText("hello from bob");
      assertEquals(WebSocketMessage.text("hello from bob"), ada.receive());
      assertEquals(WebSocketMessage.text("hello from bob"), bob.receive());
      events.await("broadcast to 2");

      bob.close(1000, "bye");
      assertEquals(WebSocketMessage.close(1000, "bye"), bob.receive());
      events.await("close:1000 bye");
      ada.sendText("size");
      assertEquals(WebSocketMessage.text("size:1"), ada.receive());
      ada.sendText("anyone?");
      assertEquals(WebSocketMessage.text("anyone?"), ada.receive());
      events.await("broadcast to 1");
    }
  }

  @Test
  void idleSessionIsClosedWith1001(TestClient client) throws Exception {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/idle", events)) {
      assertEquals(WebSocketMessage.close(1001, "idle timeout"), socket.receive());
      events.await("close:1001 idle timeout");
    }
  }

  @Test
  void pingingSessionKeepsWorkingOnEveryHost(TestClient client) throws Exception {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/pinging", events)) {
      for (int i = 0; i < 20; i++) {
        // Gives the 10 ms ping timer time to fire between messages.
        Thread.sleep(10);
        socket.sendText("m" + i);
        assertEquals(WebSocketMessage.text("got:m" + i), socket.receive());
      }
      // The session closes; a client's close crossing a ping has a test of its own on Undertow.
      socket.sendText("close-me");
      assertEquals(WebSocketMessage.close(1000, "done"), socket.receive());
      events.await("close:1000 done");
      assertTrue(
          events.all().stream().noneMatch(event -> event.startsWith("error:")),
          "no error: " + events.all());
    }
  }

  @Test
  void closeFromTheClientReachesTheCloseHandlerWithItsStatusAndReason(TestClient client)
      throws Exception {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/echo", events)) {
      socket.close(4000, "see you");

      assertEquals(WebSocketMessage.close(4000, "see you"), socket.receive());
      events.await("close:4000 see you");
    }
  }

  @Test
  void closeFromTheSessionReachesTheClientAndTheCloseHandler(TestClient client) throws Exception {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/echo", events)) {
      socket.sendText("close-me");

      assertEquals(WebSocketMessage.close(4001, "done"), socket.receive());
      events.await("close:4001 done");
    }
  }

  @Test
  void subprotocolIsChosenWhenOffered(TestClient client) {
    Events events = Events.create();
    try (TestWebSocket socket =
        client.webSocket("/echo?t=" + events.token()).subprotocols("x.v2", "chat.v1").connect()) {
      assertEquals("chat.v1", socket.subProtocol());
    }
  }

  @Test
  void queryOfTheHandshakeIsReadableFromTheSession(TestClient client) {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/echo", events)) {
      socket.sendText("query");

      assertEquals(WebSocketMessage.text("t=" + events.token()), socket.receive());
    }
  }

  @Test
  void plainRequestGets426WithUpgrade(TestClient client) {
    TestResponse response = client.get("/echo").query("t", "plain").send();

    assertEquals(426, response.status());
    assertEquals("websocket", response.header("Upgrade"));
  }
}
