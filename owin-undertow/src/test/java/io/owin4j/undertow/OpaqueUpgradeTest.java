package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static io.owin4j.undertow.Servers.features;
import static io.owin4j.undertow.Servers.responseHeaders;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.ext.OpaqueUpgrade;
import io.owin4j.api.features.OpaqueUpgradeFeature;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code opaque.Upgrade} on a raw socket: the 101, the duplex stream, the early bytes, the end. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpaqueUpgradeTest {
  private static final String UPGRADE_REQUEST =
      "GET /tunnel HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo/1, other\r\n\r\n";

  /** Echoes what arrives, line by line, until a line "bye"; blocks, as the streams do. */
  private static CompletionStage<Void> echoLines(OpaqueStream stream) {
    try {
      InputStream in = stream.input();
      OutputStream out = stream.output();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int b;
      while ((b = in.read()) != -1) {
        line.write(b);
        if (b == '\n') {
          out.write(line.toByteArray());
          out.flush();
          if (line.toString(ISO_8859_1).equals("bye\n")) {
            break;
          }
          line.reset();
        }
      }
      return done();
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static final AppFunc TYPED_ECHO =
      env ->
          features(env)
              .require(OpaqueUpgradeFeature.class)
              .upgrade(null)
              .thenCompose(OpaqueUpgradeTest::echoLines);

  private static final AppFunc DELEGATE_ECHO =
      env -> {
        ((OpaqueUpgrade) env.get(OpaqueKeys.UPGRADE))
            .upgrade(null, opaque -> echoLines((OpaqueStream) opaque.get(OpaqueKeys.STREAM)));
        return done();
      };

  /** A raw HTTP/1.1 connection that reads a response head, then bytes. */
  private static final class Connection implements AutoCloseable {
    final Socket socket = new Socket();
    final InputStream in;
    final String head;

    Connection(OwinServer server, String request) throws IOException {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(ISO_8859_1));
      in = new BufferedInputStream(socket.getInputStream());
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b == -1) {
          throw new IOException("the response ended in its head: " + head);
        }
        head.write(b);
      }
      this.head = head.toString(ISO_8859_1);
    }

    void send(String text) throws IOException {
      socket.getOutputStream().write(text.getBytes(ISO_8859_1));
    }

    String read(int length) throws IOException {
      return new String(in.readNBytes(length), ISO_8859_1);
    }

    /** Everything until the server closes the connection. */
    String rest() throws IOException {
      return new String(in.readAllBytes(), ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static Stream<AppFunc> echoes() {
    return Stream.of(TYPED_ECHO, DELEGATE_ECHO);
  }

  @ParameterizedTest
  @MethodSource("echoes")
  void echoesOverTheConnectionStartingWithBytesSentRightAfterTheRequest(AppFunc echo)
      throws Exception {
    try (OwinServer server = Servers.start(echo);
        Connection connection = new Connection(server, UPGRADE_REQUEST + "sent early\n")) {
      String early = connection.read("sent early\n".length());
      connection.send("later\n");
      String later = connection.read("later\n".length());
      connection.send("bye\n");

      assertEquals("sent early\n|later\n|bye\n", early + "|" + later + "|" + connection.rest());
    }
  }

  @Test
  void bytesSentRightAfterTheRequestSurviveWatchingForCancellation() throws Exception {
    AppFunc app =
        env -> {
          // Asking for the token makes the host watch the connection for a client that leaves.
          ((CancellationToken) env.get(OwinKeys.CALL_CANCELLED)).isCancellationRequested();
          return TYPED_ECHO.invoke(env);
        };
    try (OwinServer server = Servers.start(app);
        Connection connection = new Connection(server, UPGRADE_REQUEST + "early\nbye\n")) {
      assertEquals("early\nbye\n", connection.rest());
    }
  }

  @Test
  void answers101NamingTheFirstProtocolTheClientAskedFor() throws Exception {
    try (OwinServer server = Servers.start(TYPED_ECHO);
        Connection connection = new Connection(server, UPGRADE_REQUEST)) {
      connection.send("bye\n");

      assertEquals(
          "HTTP/1.1 101 Switching Protocols|upgrade: echo/1|connection: Upgrade",
          connection.head.lines().findFirst().orElseThrow()
              + "|"
              + headerLine(connection.head, "upgrade")
              + "|"
              + headerLine(connection.head, "connection"));
    }
  }

  @Test
  void keepsTheUpgradeHeaderTheApplicationSet() throws Exception {
    AppFunc app =
        env -> {
          responseHeaders(env).put("Upgrade", new String[] {"other"});
          return TYPED_ECHO.invoke(env);
        };
    try (OwinServer server = Servers.start(app);
        Connection connection = new Connection(server, UPGRADE_REQUEST)) {
      connection.send("bye\n");

      assertEquals("upgrade: other", headerLine(connection.head, "upgrade"));
    }
  }

  @Test
  void sendsWhatTheApplicationWroteBeforeClosing() throws Exception {
    AppFunc app =
        env ->
            features(env)
                .require(OpaqueUpgradeFeature.class)
                .upgrade(null)
                .thenAccept(
                    stream -> {
                      try {
                        stream.output().write("goodbye".getBytes(ISO_8859_1));
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    });
    try (OwinServer server = Servers.start(app);
        Connection connection = new Connection(server, UPGRADE_REQUEST)) {
      assertEquals("goodbye", connection.rest());
    }
  }

  static Stream<String> requestsThatOfferNoOpaqueUpgrade() {
    return Stream.of(
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        UPGRADE_REQUEST.replace("Connection: Upgrade", "Connection: keep-alive"),
        UPGRADE_REQUEST.replace("HTTP/1.1", "HTTP/1.0"),
        UPGRADE_REQUEST.replace("echo/1, other", "websocket"));
  }

  @ParameterizedTest
  @MethodSource("requestsThatOfferNoOpaqueUpgrade")
  void offersNoOpaqueUpgradeOn(String request) throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    AppFunc app =
        env -> {
          seen.complete(
              env.containsKey(OpaqueKeys.UPGRADE)
                  + " "
                  + (features(env).get(OpaqueUpgradeFeature.class) != null));
          return done();
        };
    try (OwinServer server = Servers.start(app);
        Connection connection = new Connection(server, request)) {
      assertEquals("false false", seen.get(10, TimeUnit.SECONDS));
    }
  }

  private static String headerLine(String head, String name) {
    return head.lines()
        .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(name + ":"))
        .map(line -> name + ": " + line.substring(name.length() + 1).trim())
        .findFirst()
        .orElse("none");
  }
}
