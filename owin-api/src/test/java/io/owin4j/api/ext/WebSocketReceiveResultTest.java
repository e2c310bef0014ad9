package io.owin4j.api.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WebSocketReceiveResultTest {
  @Test
  void acceptsTextBinaryAndClose() {
    assertFalse(new WebSocketReceiveResult(WebSocketMessageTypes.TEXT, true, 3).isClose());
    assertFalse(new WebSocketReceiveResult(WebSocketMessageTypes.BINARY, false, 0).isClose());
    assertTrue(new WebSocketReceiveResult(WebSocketMessageTypes.CLOSE, true, 0).isClose());
  }

  @Test
  void rejectsPingWithTheOpcodeInTheMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new WebSocketReceiveResult(WebSocketMessageTypes.PING, true, 0));
    assertEquals(
        "messageType must be TEXT (0x1), BINARY (0x2) or CLOSE (0x8), got 0x9", e.getMessage());
  }

  @Test
  void rejectsANegativeCount() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new WebSocketReceiveResult(WebSocketMessageTypes.TEXT, true, -1));
  }

  @Test
  void describesOpcodesByName() {
    assertEquals("TEXT (0x1)", WebSocketMessageTypes.describe(WebSocketMessageTypes.TEXT));
    assertEquals("UNKNOWN (0x3)", WebSocketMessageTypes.describe(3));
  }
}
