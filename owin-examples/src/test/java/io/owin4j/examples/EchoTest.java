package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EchoTest {
  private final Echo app = new Echo();

  @Test
  void postAnswersTheBodyWithTheSameContentType() throws Exception {
    TestExchange exchange =
        TestExchange.request("POST", "/echo")
            .header("Content-Type", "application/x-demo; charset=utf-8")
            .requestBody("ping pong".getBytes(StandardCharsets.UTF_8));

    app.invoke(exchange.env);

    assertEquals(200, exchange.status());
    assertEquals("application/x-demo; charset=utf-8", exchange.responseHeader("Content-Type"));
    assertEquals("ping pong", exchange.bodyText());
  }

  @Test
  void largeBodyIsCopiedWholeThroughTheFixedBufferWithoutContentLength() throws Exception {
    byte[] payload = new byte[200_000];
    new Random(7).nextBytes(payload);
    TestExchange exchange = TestExchange.request("POST", "/echo").requestBody(payload);

    app.invoke(exchange.env);

    assertArrayEquals(payload, exchange.body.toByteArray());
    assertTrue(exchange.body.largestWrite() <= Env.COPY_BUFFER_SIZE, "largest write too big");
    assertNull(exchange.responseHeader("Content-Length"));
  }

  @Test
  void requestWithoutContentTypeGetsNone() throws Exception {
    TestExchange exchange = TestExchange.request("POST", "/echo").requestBody(new byte[] {1, 2, 3});

    app.invoke(exchange.env);

    assertNull(exchange.responseHeader("Content-Type"));
    assertArrayEquals(new byte[] {1, 2, 3}, exchange.body.toByteArray());
  }

  @Test
  void emptyBodyAnswersEmpty() throws Exception {
    TestExchange exchange = TestExchange.request("POST", "/echo");

    app.invoke(exchange.env);

    assertEquals(200, exchange.status());
    assertEquals("", exchange.bodyText());
  }

  @Test
  void getIsNotAllowed() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/echo");

    app.invoke(exchange.env);

    assertEquals(405, exchange.status());
    assertEquals("POST", exchange.responseHeader("Allow"));
  }
}
