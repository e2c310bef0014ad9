package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BoomTest {
  @Test
  void throwsBeforeWritingAnything() {
    TestExchange exchange = TestExchange.request("GET", "/boom");

    assertThrows(IllegalStateException.class, () -> new Boom().invoke(exchange.env));

    assertEquals("", exchange.bodyText());
    assertEquals(false, exchange.started());
  }
}
