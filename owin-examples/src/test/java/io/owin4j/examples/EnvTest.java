package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.api.OwinKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvTest {
  @Test
  void missingRequiredKeyFailsNamingIt() {
    TestExchange exchange = TestExchange.request("GET", "/");
    exchange.env.remove(OwinKeys.REQUEST_PATH);

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Env.path(exchange.env));

    assertEquals(
        "owin.RequestPath must be present in the environment, but is missing", e.getMessage());
  }

  @Test
  void wronglyTypedKeyFailsNamingTheTypes() {
    TestExchange exchange = TestExchange.request("GET", "/").with(OwinKeys.REQUEST_PATH, 5);

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Env.path(exchange.env));

    assertEquals("owin.RequestPath must be a String, got Integer 5", e.getMessage());
  }

  @Test
  void headerTokensSplitEveryValueOnCommas() {
    TestExchange exchange =
        TestExchange.request("GET", "/").header("Connection", "keep-alive, Upgrade", " ,x");

    assertEquals(
        List.of("keep-alive", "Upgrade", "x"), Env.requestHeaderTokens(exchange.env, "connection"));
  }

  @Test
  void headerTokenMatchIgnoresCase() {
    TestExchange exchange = TestExchange.request("GET", "/").header("Connection", "UPGRADE");

    assertEquals(true, Env.requestHeaderHasToken(exchange.env, "Connection", "upgrade"));
  }

  @Test
  void copyStopsAtTheLimit() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    long copied = Env.copy(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}), out, 3);

    assertEquals(3, copied);
    assertArrayEquals(new byte[] {1, 2, 3}, out.toByteArray());
  }

  @Test
  void copyReportsAShorterInput() throws Exception {
    long copied =
        Env.copy(new ByteArrayInputStream(new byte[] {1, 2}), new ByteArrayOutputStream(), 10);

    assertEquals(2, copied);
  }

  @Test
  void upgradeRequiredOnHttp2IsA400WithoutUpgradeHeader() throws Exception {
    TestExchange exchange =
        TestExchange.request("GET", "/").with(OwinKeys.REQUEST_PROTOCOL, "HTTP/2.0");

    Env.upgradeRequired(exchange.env, "websocket");

    assertEquals(400, exchange.status());
    assertEquals(null, exchange.responseHeader("Upgrade"));
  }
}
