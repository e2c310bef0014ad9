package io.owin4j.api.features;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerCapabilitiesTest {
  @Test
  void holdsTheMapAsGiven() {
    Map<String, Object> values = Map.of("sendfile.Version", "1.0");

    assertSame(values, new ServerCapabilities(values).values());
  }

  @Test
  @SuppressWarnings("NullAway")
  void refusesNull() {
    Map<String, Object> missing = null;
    assertThrows(NullPointerException.class, () -> new ServerCapabilities(missing));
  }
}
