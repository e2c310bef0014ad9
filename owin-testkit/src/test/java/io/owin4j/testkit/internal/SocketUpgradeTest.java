package io.owin4j.testkit.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.testkit.OpaqueConnection;
import io.owin4j.testkit.TestEnvironment;
import io.owin4j.testkit.UpgradeDeniedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The raw-socket opaque upgrade against a hand-written server. */
@Timeout(30)
class SocketUpgradeTest {
  private final ServerSocket listener =
      new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
  private final CompletableFuture<String> requestHead = new CompletableFuture<>();

  SocketUpgradeTest() throws IOException {}

  @AfterEach
  void close() throws IOException {
    listener.close();
  }

  private InetSocketAddress address() {
    return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
  }

  private static OutgoingRequest request() {
    return new OutgoingRequest(
        "GET",
        "/raw",
        List.of(java.util.Map.entry("X-Test", "yes")),
        null,
        null,
        Duration.ofSeconds(10));
  }

  /** Serves one connection: reads the head, writes {@code response}, then echoes until the end. */
  private void serve(String response) {
    CompletableFuture.runAsync(
        () -> {
          try (Socket socket = listener.accept()) {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
              head.write(in.read());
            }
            requestHead.complete(head.toString(ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            out.write(response.getBytes(ISO_8859_1));
            out.flush();
            in.transferTo(out);
          } catch (IOException e) {
            requestHead.completeExceptionally(e);
          }
        });
  }

  @Test
  void upgradeRequestCarriesTheHeadersAndTheMark() throws Exception {
    serve("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
    try (OpaqueConnection connection =
        SocketUpgrade.open(address(), request(), "echo", "mark-1", null)) {
      String head = requestHead.get();
      assertTrue(head.startsWith("GET /raw HTTP/1.1\r\n"), head);
      assertTrue(head.contains("\r\nUpgrade: echo\r\n"), head);
      assertTrue(head.contains("\r\nConnection: Upgrade\r\n"), head);
      assertTrue(head.contains("\r\nX-Test: yes\r\n"), head);
      assertTrue(head.contains("\r\n" + RemoteProbe.HEADER + ": mark-1\r\n"), head);
      assertEquals(101, connection.handshakeResponse().status());
    }
  }

  @Test
  void upgradedConnectionCarriesRawBytesBothWays() throws Exception {
    serve("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
    try (OpaqueConnection connection =
        SocketUpgrade.open(address(), request(), "echo", "mark-2", null)) {
      connection.output().write("ping".getBytes(UTF_8));
      connection.output().close();
      assertEquals("ping", new String(connection.input().readAllBytes(), UTF_8));
    }
  }

  @Test
  void refusalWithALengthIsReadWhole() {
    serve("HTTP/1.1 403 Forbidden\r\nContent-Length: 4\r\n\r\nnope");
    UpgradeDeniedException denied =
        assertThrows(
            UpgradeDeniedException.class,
            () -> SocketUpgrade.open(address(), request(), "echo", "mark-3", null));
    assertEquals(403, denied.response().status());
    assertEquals("Forbidden", denied.response().reason());
    assertEquals("nope", denied.response().bodyAsText());
  }

  @Test
  void chunkedRefusalIsReadWhole() {
    serve(
        "HTTP/1.1 400 Bad Request\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n"
            + "3\r\n"
            + "abc\r\n"
            + "2\r\n"
            + "de\r\n"
            + "0\r\n\r\n");
    UpgradeDeniedException denied =
        assertThrows(
            UpgradeDeniedException.class,
            () -> SocketUpgrade.open(address(), request(), "echo", "mark-4", null));
    assertEquals("abcde", denied.response().bodyAsText());
  }

  @Test
  void serverErrorCausedByTheApplicationThrowsItsFailure() {
    IllegalStateException boom = new IllegalStateException("boom");
    RemoteProbe probe = new RemoteProbe(new ExchangeRegistry(), true);
    TestEnvironment marked = TestEnvironment.get("/").header(RemoteProbe.HEADER, "mark-5").build();
    assertThrows(
        IllegalStateException.class,
        () ->
            marked.run(
                probe
                    .middleware()
                    .apply(
                        env -> {
                          throw boom;
                        })));
    serve("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n");
    assertSame(
        boom,
        assertThrows(
            IllegalStateException.class,
            () -> SocketUpgrade.open(address(), request(), "echo", "mark-5", probe)));
  }
}
