package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * The limits that keep misbehaving clients from taking the server from everyone else: each cuts
 * the misbehaving connection or refuses the excess request, while well-behaved requests go on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitsTest {

  /** An application that reads the whole request body and reports how the read ended. */
  private static AppFunc bodyReader(CompletableFuture<Throwable> readEnded) {
    return env -> {
      try {
        ((InputStream) env.get(OwinKeys.REQUEST_BODY)).readAllBytes();
        readEnded.complete(null);
      } catch (IOException e) {
        readEnded.complete(e);
        throw e;
      }
      return Servers.done();
    };
  }

  /** Opens a raw connection whose reads wait up to 30 seconds. */
  private static Socket connect(OwinServer server) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
    socket.setSoTimeout(30_000);
    return socket;
  }

  /** True when the server ended the connection; false when it still held it after 30 seconds. */
  private static boolean endedByServer(Socket socket) throws IOException {
    try {
      InputStream in = socket.getInputStream();
      while (in.read() != -1) {
        // a response may come first
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /**
   * A connection that sends nothing, or only the start of an HTTP/2 preface, is closed by the read
   * timeout before its protocol is known, with HTTP/2 on and off.
   */
  @ParameterizedTest
  @ValueSource(strings = {"", "PRI * HTTP/2", "GET / HT"})
  void aConnectionThatSendsTooLittleIsClosedByTheReadTimeout(String first) throws Exception {
    for (boolean http2 : new boolean[] {true, false}) {
      try (OwinServer server =
              Servers.start(
                  env -> Servers.done(),
                  b -> b.readTimeout(Duration.ofSeconds(1)).http2(http2));
          Socket socket = connect(server)) {
        socket.getOutputStream().write(first.getBytes(StandardCharsets.ISO_8859_1));

        assertTrue(endedByServer(socket), "the server held the connection (HTTP/2 " + http2 + ")");
      }
    }
  }

  @Test
  void aRequestBodyThatStallsIsCutByTheReadTimeout() throws Exception {
    CompletableFuture<Throwable> readEnded = new CompletableFuture<>();
    try (OwinServer server =
            Servers.start(bodyReader(readEnded), b -> b.readTimeout(Duration.ofSeconds(2)));
        Socket socket = connect(server)) {
      socket
          .getOutputStream()
          .write(
              "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\nx"
                  .getBytes(StandardCharsets.ISO_8859_1));

      assertTrue(endedByServer(socket), "the server held the stalled upload");
      assertInstanceOf(IOException.class, readEnded.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aLongRequestWithoutABodyOutlivesTheReadTimeoutWhileItWatchesForCancellation()
      throws Exception {
    // The read timeout is for a body the application waits for. A request without one that runs
    // longer (a long poll, a stream of events) and watches its connection for the client leaving
    // is no stalled read, and must not be cut by it.
    try (OwinServer server =
            Servers.start(
                env -> {
                  CancellationToken cancelled = (CancellationToken) env.get(OwinKeys.CALL_CANCELLED);
                  Thread.sleep(1_500);
                  if (cancelled.isCancellationRequested()) {
                    throw new IllegalStateException("the request was cancelled while it ran");
                  }
                  write(env, "outlived");
                  return Servers.done();
                },
                b -> b.readTimeout(Duration.ofMillis(300)));
        Socket socket = connect(server)) {
      socket
          .getOutputStream()
          .write("GET /poll HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

      String response = readResponse(socket.getInputStream());
      assertTrue(response.startsWith("HTTP/1.1 200"), response);
      assertTrue(response.endsWith("outlived"), response);
    }
  }

  /** Reads one response with a Content-Length: its head and body as text. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b == -1) {
        throw new IOException("the connection ended after " + head);
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
    return head + new String(in.readNBytes(bodyLength), StandardCharsets.ISO_8859_1);
  }

  @Test
  void aRequestBodyThatTricklesBelowTheMinimumRateIsCut() throws Exception {
    CompletableFuture<Throwable> readEnded = new CompletableFuture<>();
    try (OwinServer server =
            Servers.start(
                bodyReader(readEnded),
                b -> b.minUploadRate(10_000, Duration.ofMillis(300)));
        Socket socket = connect(server)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n"
              .getBytes(StandardCharsets.ISO_8859_1));
      try {
        for (int i = 0; i < 100 && !readEnded.isDone(); i++) {
          out.write('x');
          out.flush();
          Thread.sleep(100);
        }
      } catch (IOException e) {
        // the server closed the connection: what this test expects
      }

      Throwable failure = readEnded.get(10, TimeUnit.SECONDS);
      assertInstanceOf(IOException.class, failure);
      assertTrue(failure.getMessage().contains("below the minimum"), failure.getMessage());
      assertTrue(endedByServer(socket));
    }
  }

  @Test
  void aClientThatNeverReadsIsCutByTheWriteTimeout() throws Exception {
    CompletableFuture<Throwable> writeEnded = new CompletableFuture<>();
    AppFunc writer =
        env -> {
          OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
          byte[] chunk = new byte[64 * 1024];
          try {
            for (int i = 0; i < 16 * 1024; i++) { // 1 GiB: far more than socket buffers hold
              body.write(chunk);
            }
            writeEnded.complete(null);
          } catch (IOException e) {
            writeEnded.complete(e);
            throw e;
          }
          return Servers.done();
        };
    try (OwinServer server = Servers.start(writer, b -> b.writeTimeout(Duration.ofMillis(500)));
        Socket socket = connect(server)) {
      socket.setReceiveBufferSize(4096);
      socket
          .getOutputStream()
          .write("GET /big HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

      assertInstanceOf(IOException.class, writeEnded.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void aRequestOverTheConcurrencyLimitGets503AtOnce() throws Exception {
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AppFunc app =
        env -> {
          if (env.get(OwinKeys.REQUEST_PATH).equals("/slow")) {
            running.countDown();
            release.await(30, TimeUnit.SECONDS);
          }
          write(env, "done");
          return Servers.done();
        };
    try (OwinServer server = Servers.start(app, b -> b.maxConcurrentRequests(2));
        RawClient first = new RawClient(server.port());
        RawClient second = new RawClient(server.port());
        RawClient third = new RawClient(server.port())) {
      first.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
      second.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
      assertTrue(running.await(10, TimeUnit.SECONDS));

      RawClient.Response refused = third.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
      assertEquals(503, refused.status());
      assertEquals("1", refused.header("retry-after"));

      release.countDown();
      assertEquals(200, first.read().status());
      assertEquals(200, second.read().status());
      assertEquals(200, Servers.get(server, "/hello").statusCode());
    }
  }

  /** Accepts a WebSocket and keeps it open, receiving, until the peer closes. */
  private static final AppFunc HOLD_WEB_SOCKET =
      Servers.onWebSocket(
          socket ->
              socket
                  .receive(ByteBuffer.allocate(1024), CancellationToken.NONE)
                  .handle((result, failure) -> null));

  @Test
  void aWebSocketHandshakeOverTheSessionLimitGets503() throws Exception {
    try (OwinServer server = Servers.start(HOLD_WEB_SOCKET, b -> b.maxWebSocketSessions(1))) {
      RawWebSocket first = RawWebSocket.connect(server.port(), "/ws");
      assertEquals(101, first.status());

      RawWebSocket second = RawWebSocket.connect(server.port(), "/ws");
      assertEquals(503, second.status());
      first.sendClose(1000, "");
      first.close();
    }
  }

  @Test
  void aSilentWebSocketIsClosedByTheIdleTimeout() throws Exception {
    try (OwinServer server =
        Servers.start(HOLD_WEB_SOCKET, b -> b.webSocketIdleTimeout(Duration.ofMillis(500)))) {
      RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws");
      assertEquals(101, raw.status());

      boolean closed = false;
      // A close frame may come before the end of the connection.
      for (int i = 0; i < 100 && !closed; i++) {
        closed = raw.closedByServer();
      }
      assertTrue(closed, "the server kept the silent WebSocket open");
    }
  }
}
