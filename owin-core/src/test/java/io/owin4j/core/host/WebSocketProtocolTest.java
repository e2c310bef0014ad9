package io.owin4j.core.host;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.ext.WebSocketMessageTypes;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class WebSocketProtocolTest {
  @Test
  void sendableCloseStatusesAreTheOnesOfRfc6455Section74() {
    for (int status = 0; status < 70_000; status++) {
      boolean expected =
          (status >= 1000 && status <= 1003)
              || (status >= 1007 && status <= 1014)
              || (status >= 3000 && status <= 4999);
      assertEquals(expected, WebSocketProtocol.isSendableCloseStatus(status), "status " + status);
    }
  }

  @Test
  void afterThePeersCloseOnlyTheCloseAnsweringItIsSent() {
    assertEquals(null, WebSocketProtocol.refusalAfterPeerClose(WebSocketMessageTypes.CLOSE));
    for (int type :
        new int[] {
          WebSocketMessageTypes.TEXT,
          WebSocketMessageTypes.BINARY,
          WebSocketMessageTypes.PING,
          WebSocketMessageTypes.PONG
        }) {
      IOException refusal = WebSocketProtocol.refusalAfterPeerClose(type);
      assertTrue(
          refusal != null
              && refusal.getMessage().startsWith("cannot send " + WebSocketMessageTypes.describe(type)),
          () -> WebSocketMessageTypes.describe(type) + " gave " + refusal);
    }
  }

  @Test
  void aCloseWithoutStatusHasAnEmptyPayloadAndNoDescription() {
    assertEquals(0, WebSocketProtocol.close(1005, "").payload().remaining());
    assertThrows(IllegalArgumentException.class, () -> WebSocketProtocol.close(1005, "why"));
  }

  @Test
  void aCloseCarriesItsStatusThenItsReason() {
    ByteBuffer payload = WebSocketProtocol.close(4000, "bye").payload();

    assertEquals(4000, payload.getShort() & 0xFFFF);
    assertEquals("bye", UTF_8.decode(payload).toString());
  }

  @Test
  void aReasonLongerThan123BytesIsRefused() {
    assertDoesNotThrow(() -> WebSocketProtocol.close(1000, "r".repeat(123)));
    assertThrows(IllegalArgumentException.class, () -> WebSocketProtocol.close(1000, "r".repeat(124)));
  }

  @Test
  void anEmptyClosePayloadIsReportedAs1005BothWays() {
    assertEquals(new WebSocketProtocol.Close(1005, ""), WebSocketProtocol.peerClose(ByteBuffer.allocate(0)));
    assertEquals(
        new WebSocketProtocol.Close(1005, ""),
        WebSocketProtocol.closeOf(ByteBuffer.allocate(0), true));
  }

  @Test
  void anApplicationsClosePayloadIsCheckedAndConsumed() {
    ByteBuffer payload = ByteBuffer.allocate(4).putShort((short) 1000).put("ok".getBytes(UTF_8)).flip();

    assertEquals(new WebSocketProtocol.Close(1000, "ok"), WebSocketProtocol.closeOf(payload, true));
    assertFalse(payload.hasRemaining());
    assertThrows(
        IllegalArgumentException.class,
        () -> WebSocketProtocol.closeOf(ByteBuffer.allocate(1), true));
    assertThrows(
        IllegalArgumentException.class,
        () -> WebSocketProtocol.closeOf(ByteBuffer.allocate(2).putShort((short) 1004).flip(), true));
    assertThrows(
        IllegalArgumentException.class,
        () -> WebSocketProtocol.closeOf(ByteBuffer.allocate(0), false));
  }

  @Test
  void controlFramesGoWholeAndSmall() {
    assertDoesNotThrow(
        () -> WebSocketProtocol.checkSend(WebSocketMessageTypes.PING, ByteBuffer.allocate(125), true));
    assertThrows(
        IllegalArgumentException.class,
        () -> WebSocketProtocol.checkSend(WebSocketMessageTypes.PONG, ByteBuffer.allocate(126), true));
    assertThrows(
        IllegalArgumentException.class,
        () -> WebSocketProtocol.checkSend(WebSocketMessageTypes.PING, ByteBuffer.allocate(1), false));
    assertThrows(
        IllegalArgumentException.class,
        () -> WebSocketProtocol.checkSend(0x3, ByteBuffer.allocate(1), true));
  }

  @Test
  void aFragmentedMessageContinuesWithItsOwnTypeUntilItEnds() {
    MessageSequence sequence = new MessageSequence();

    sequence.sent(WebSocketMessageTypes.TEXT, false);
    assertTrue(sequence.messageOpen());
    sequence.check(WebSocketMessageTypes.PING);
    sequence.check(WebSocketMessageTypes.TEXT);
    assertThrows(IllegalArgumentException.class, () -> sequence.check(WebSocketMessageTypes.BINARY));
    sequence.sent(WebSocketMessageTypes.TEXT, true);
    assertFalse(sequence.messageOpen());
    sequence.check(WebSocketMessageTypes.BINARY);
  }

  @Test
  void aCloseEndsTheOpenMessage() {
    MessageSequence sequence = new MessageSequence();
    sequence.sent(WebSocketMessageTypes.BINARY, false);

    sequence.sent(WebSocketMessageTypes.CLOSE, true);

    assertFalse(sequence.messageOpen());
  }
}
