package io.owin4j.middleware.websocket;

import static io.owin4j.middleware.websocket.EndpointApp.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestWebSocket;
import io.owin4j.testkit.WebSocketMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failures never end a session silently, on both hosts: a handler's exception and a send the host
 * fails reach the error handler, and the peer gets a close frame (1011) where the connection
 * allows one.
 */
@OwinHostTest
@Timeout(60)
class WebSocketEndpointErrorTest extends EndpointApp {
  @Test
  void handlerExceptionReachesTheErrorHandlerAndClosesWith1011(TestClient client)
      throws Exception {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/echo", events)) {
      socket.sendText("throw");

      assertEquals(WebSocketMessage.close(1011, "internal error"), socket.receive());
      events.await("error:IllegalStateException:handler boom");
      events.await("close:1011 internal error");
    }
  }

  @Test
  void sendTheHostRefusesReachesTheErrorHandlerAndClosesWith1011(TestClient client)
      throws Exception {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/echo", events)) {
      socket.sendText("poison");

      assertEquals(WebSocketMessage.close(1011, "send failed"), socket.receive());
      events.await("error:IllegalStateException:the host refused the frame \"poison\"");
      events.await("close:1011 send failed");
    }
  }

  @Test
  void sendFailingOnALostConnectionReachesTheErrorHandler(TestClient client) throws Exception {
    Events events = Events.create();
    try (TestWebSocket socket = connect(client, "/echo", events)) {
      socket.sendText("poison-io");

      assertEquals(WebSocketMessage.ABNORMAL_CLOSURE, socket.receive().closeStatus());
      events.await("error:IOException:the connection broke");
      events.await("close:1006 ");
    }
  }
}
