package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.ext.OpaqueUpgrade;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class OpaqueEchoTest {
  private final OpaqueEcho app = new OpaqueEcho();
  private final RecordingUpgrade upgrade = new RecordingUpgrade();

  private TestExchange upgradeRequest() {
    return TestExchange.request("GET", "/opaque/echo")
        .header("Connection", "keep-alive, Upgrade")
        .header("Upgrade", "echo")
        .with(OpaqueKeys.UPGRADE, upgrade);
  }

  @Test
  void upgradeRequestIsUpgradedNamingTheProtocol() throws Exception {
    TestExchange exchange = upgradeRequest();

    app.invoke(exchange.env).toCompletableFuture().get();

    assertNotNull(upgrade.callback);
    assertEquals("echo", exchange.responseHeader("Upgrade"));
    assertEquals("Upgrade", exchange.responseHeader("Connection"));
  }

  @Test
  void everyByteIsEchoedUntilEndOfStream() throws Exception {
    app.invoke(upgradeRequest().env);
    byte[] sent = new byte[50_000];
    new Random(3).nextBytes(sent);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    Map<String, Object> opaque = new HashMap<>();
    opaque.put(OpaqueKeys.STREAM, stream(new ByteArrayInputStream(sent), received));
    opaque.put(OpaqueKeys.VERSION, OpaqueKeys.VERSION_VALUE);
    opaque.put(OpaqueKeys.CALL_CANCELLED, CancellationToken.NONE);

    AppFunc callback = upgrade.callback;
    assertNotNull(callback);
    callback.invoke(opaque).toCompletableFuture().get();

    assertArrayEquals(sent, received.toByteArray());
  }

  @Test
  void requestWithoutUpgradeGets426() throws Exception {
    TestExchange exchange = TestExchange.request("GET", "/opaque/echo");

    app.invoke(exchange.env);

    assertEquals(426, exchange.status());
    assertEquals("echo", exchange.responseHeader("Upgrade"));
  }

  @Test
  void upgradeToAnotherProtocolGets426() throws Exception {
    TestExchange exchange = upgradeRequest().header("Upgrade", "chat");

    app.invoke(exchange.env);

    assertEquals(426, exchange.status());
    assertNull(upgrade.callback);
  }

  @Test
  void upgradeWithoutConnectionUpgradeGets426() throws Exception {
    TestExchange exchange = upgradeRequest().header("Connection", "keep-alive");

    app.invoke(exchange.env);

    assertEquals(426, exchange.status());
    assertNull(upgrade.callback);
  }

  private static OpaqueStream stream(InputStream in, OutputStream out) {
    return new OpaqueStream() {
      @Override
      public InputStream input() {
        return in;
      }

      @Override
      public OutputStream output() {
        return out;
      }
    };
  }

  private static final class RecordingUpgrade implements OpaqueUpgrade {
    @Nullable AppFunc callback;

    @Override
    public void upgrade(@Nullable Map<String, Object> parameters, AppFunc callback) {
      this.callback = callback;
    }
  }
}
