package io.owin4j.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.api.AppFunc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link OwinServer.Builder#environment} and the URI a server reports. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerEnvironmentTest {
  private static final AppFunc OK = env -> CompletableFuture.completedFuture(null);

  @Test
  void portAndHostComeFromTheEnvironment() throws Exception {
    try (OwinServer server =
        OwinServer.builder()
            .environment(Map.of("PORT", "0", "HOST", "127.0.0.1"))
            .app(OK)
            .build()
            .start()) {
      assertEquals(200, Servers.get(server, "/").statusCode());
      assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/"), server.uri());
    }
  }

  @Test
  void owin4jVariablesWinOverThePlatformOnes() throws Exception {
    try (OwinServer server =
        OwinServer.builder()
            .environment(Map.of("PORT", "1", "OWIN4J_PORT", "0", "OWIN4J_HOST", "127.0.0.1"))
            .app(OK)
            .build()
            .start()) {
      assertEquals(200, Servers.get(server, "/").statusCode());
    }
  }

  @Test
  void badPortNamesTheVariableAndTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OwinServer.builder().environment(Map.of("PORT", "eighty")));
    assertEquals("PORT must be an integer in [0, 65535], got \"eighty\"", e.getMessage());
  }

  @Test
  void badSwitchNamesTheVariableAndTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OwinServer.builder().environment(Map.of("OWIN4J_SHUTDOWN_HOOK", "yes")));
    assertEquals("OWIN4J_SHUTDOWN_HOOK must be true or false, got \"yes\"", e.getMessage());
  }

  @Test
  void badStopTimeoutNamesTheVariableAndTheValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OwinServer.builder().environment(Map.of("OWIN4J_STOP_TIMEOUT", "soon")));
    assertEquals(
        "OWIN4J_STOP_TIMEOUT must be whole seconds or an ISO-8601 duration such as PT30S, got"
            + " \"soon\"",
        e.getMessage());
  }

  @Test
  void tlsKeyWithoutItsCertificateSaysWhichIsMissing() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OwinServer.builder().environment(Map.of("OWIN4J_TLS_KEY", "/tmp/key.pem")));
    assertEquals(
        "OWIN4J_TLS_CERT must be set when OWIN4J_TLS_KEY is, got none", e.getMessage());
  }

  @Test
  void emptyEnvironmentKeepsTheDefaults() throws Exception {
    try (OwinServer server = OwinServer.builder().environment(Map.of()).app(OK).build().start()) {
      assertEquals("127.0.0.1", server.uri().getHost());
    }
  }

  @Test
  void wildcardIpv4ListenerGivesALoopbackUri() throws Exception {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 8080);
    assertEquals(URI.create("http://127.0.0.1:8080/"), OwinServer.uri("http", any));
  }

  @Test
  void wildcardIpv6ListenerGivesALoopbackUri() throws Exception {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("::"), 8443);
    assertEquals(URI.create("https://[::1]:8443/"), OwinServer.uri("https", any));
  }

  @Test
  void ipv6ListenerIsBracketed() throws Exception {
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("::1"), 80);
    assertEquals("[0:0:0:0:0:0:0:1]", OwinServer.uri("http", loopback).getHost());
  }
}
