package io.owin4j.middleware.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;

/** What a group accepts, and the checks of the endpoint's builder. */
class WebSocketGroupTest {
  @Test
  void sessionOfAnotherKindCannotJoin() {
    IllegalArgumentException thrown =
        assertThrows(IllegalArgumentException.class, () -> new WebSocketGroup().join(new Other()));

    assertTrue(thrown.getMessage().startsWith("session must come from a WebSocketEndpoint, got "));
  }

  @Test
  void emptyGroupBroadcastsToNobody() {
    WebSocketGroup group = new WebSocketGroup();

    assertEquals(0, group.broadcastText("anyone?"));
    assertEquals(0, group.broadcastBinary(ByteBuffer.wrap(new byte[] {1})));
    assertEquals(List.of(), group.members());
    assertFalse(group.leave(new Other()));
  }

  @Test
  void builderRefusesLimitsThatCannotWork() {
    WebSocketEndpoint.Builder builder = WebSocketEndpoint.builder();

    assertEquals(
        "maxMessageSize must be positive, got 0",
        assertThrows(IllegalArgumentException.class, () -> builder.maxMessageSize(0))
            .getMessage());
    assertEquals(
        "maxQueuedMessages must be positive, got -1",
        assertThrows(IllegalArgumentException.class, () -> builder.maxQueuedMessages(-1))
            .getMessage());
    assertEquals(
        "pingInterval must not be negative, got PT-1S",
        assertThrows(
                IllegalArgumentException.class,
                () -> builder.pingInterval(java.time.Duration.ofSeconds(-1)))
            .getMessage());
    assertEquals(
        "closeTimeout must be positive, got PT0S",
        assertThrows(
                IllegalArgumentException.class,
                () -> builder.closeTimeout(java.time.Duration.ZERO))
            .getMessage());
  }

  /** A session not made by an endpoint. */
  private static final class Other implements WebSocketSession {
    private final ConcurrentMap<String, Object> attributes = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Void> sendText(String text) {
      throw new UnsupportedOperationException("not sent in this test");
    }

    @Override
    public CompletionStage<Void> sendBinary(ByteBuffer data) {
      throw new UnsupportedOperationException("not sent in this test");
    }

    @Override
    public CompletionStage<Void> close(int code, String reason) {
      throw new UnsupportedOperationException("not closed in this test");
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public String query(String name) {
      return null;
    }

    @Override
    public String subProtocol() {
      return null;
    }

    @Override
    public ConcurrentMap<String, Object> attributes() {
      return attributes;
    }
  }
}
