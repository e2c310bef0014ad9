package io.owin4j.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The compression settings as a value: defaults, the builder's rules, equality. */
class WebSocketCompressionSettingsTest {
  @Test
  void theDefaultsAreOnWithAThresholdOf1KiBAtLevel1WithoutContextTakeover() {
    assertEquals(
        "permessage-deflate{threshold=1024, level=1, contextTakeover=false}",
        WebSocketCompression.defaults().toString());
  }

  @Test
  void disabledIsOff() {
    assertFalse(WebSocketCompression.disabled().enabled());
    assertEquals("off", WebSocketCompression.disabled().toString());
  }

  @Test
  void rejectsALevelOutsideOneToNine() {
    WebSocketCompression.Builder builder = WebSocketCompression.builder();

    assertEquals(
        "webSocketCompression level must be in [1, 9], got 0",
        assertThrows(IllegalArgumentException.class, () -> builder.level(0)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> builder.level(10));
  }

  @Test
  void rejectsANegativeThreshold() {
    assertEquals(
        "webSocketCompression threshold must not be negative, got -1",
        assertThrows(
                IllegalArgumentException.class, () -> WebSocketCompression.builder().threshold(-1))
            .getMessage());
  }

  @Test
  void toBuilderStartsFromTheSettingsAndEqualsComparesThem() {
    WebSocketCompression custom =
        WebSocketCompression.builder().threshold(0).level(9).contextTakeover(true).build();

    assertEquals(custom, custom.toBuilder().build());
    assertEquals(custom.hashCode(), custom.toBuilder().build().hashCode());
    assertEquals(
        WebSocketCompression.defaults(),
        custom.toBuilder().threshold(1024).level(1).contextTakeover(false).build());
  }
}
