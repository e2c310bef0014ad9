package io.owin4j.undertow;

import static io.owin4j.undertow.RawHttp2.CONTINUATION;
import static io.owin4j.undertow.RawHttp2.END_HEADERS;
import static io.owin4j.undertow.RawHttp2.END_STREAM;
import static io.owin4j.undertow.RawHttp2.GOAWAY;
import static io.owin4j.undertow.RawHttp2.HEADERS;
import static io.owin4j.undertow.RawHttp2.PADDED;
import static io.owin4j.undertow.RawHttp2.PING;
import static io.owin4j.undertow.RawHttp2.PRIORITY;
import static io.owin4j.undertow.RawHttp2.PROTOCOL_ERROR;
import static io.owin4j.undertow.RawHttp2.field;
import static io.owin4j.undertow.RawHttp2.frame;
import static io.owin4j.undertow.RawHttp2.request;
import static io.owin4j.undertow.Servers.requestHeaders;
import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.undertow.RawHttp2.Frame;
import io.owin4j.undertow.RawHttp2.Transport;
import io.owin4j.api.OwinKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A request's header block (a HEADERS frame and its CONTINUATION frames) reaches the application
 * whole and only once it ended, and a block that does not end within the limits ends the
 * connection with GOAWAY: on HTTP/2 by prior knowledge, by upgrade and over TLS alike.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestCertificates.Made.class)
class Http2HeaderBlockTest {
  private final AtomicInteger calls = new AtomicInteger();

  /** Answers with the request headers named by {@code x-show} (comma-separated), each as name=value. */
  private final AppFunc showHeaders =
      env -> {
        Map<String, String[]> headers = requestHeaders(env);
        if (!"/upgrade".equals(env.get(OwinKeys.REQUEST_PATH))) {
          calls.incrementAndGet();
        }
        StringBuilder body = new StringBuilder();
        String[] shown = headers.getOrDefault("x-show", new String[] {""});
        for (String name : shown[0].split(",")) {
          if (!name.isEmpty()) {
            String[] values = headers.get(name);
            body.append(name).append('=').append(values == null ? "(none)" : values[0]).append(';');
          }
        }
        write(env, body.toString());
        return Servers.done();
      };

  private OwinServer start(Transport transport, Consumer<OwinServer.Builder> settings) {
    return Servers.start(
        showHeaders,
        builder -> {
          if (transport == Transport.TLS) {
            builder.tls(TestCertificates.get().serverContext);
          }
          settings.accept(builder);
        });
  }

  private static RawHttp2 open(OwinServer server, Transport transport) throws Exception {
    return RawHttp2.open(server, transport, TestCertificates.get().clientWithoutCertificate);
  }

  /**
   * Fault 5c: a request in a HEADERS frame without END_HEADERS was answered as soon as that frame
   * arrived, without the headers of the CONTINUATION frame that ends the block.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aRequestIsServedOnlyOnceItsHeaderBlockEnded(Transport transport) throws Exception {
    try (OwinServer server = start(transport, b -> {});
        RawHttp2 h2 = open(server, transport)) {
      int stream = h2.firstStream;
      h2.send(HEADERS, END_STREAM, stream, request("/a", "x-show", "x-late"));
      // The rest of the block comes in a later read of the server's.
      Thread.sleep(300);
      h2.send(CONTINUATION, END_HEADERS, stream, field("x-late", "yes"));

      Frame answer = h2.readForStream(stream);
      assertEquals(HEADERS, answer.type());
      assertEquals(0x88, answer.payload()[0] & 0xFF, "200 from the HPACK static table");
      assertEquals("x-late=yes;", h2.readBody(stream));
      assertEquals(1, calls.get());
    }
  }

  /**
   * Fault 5b: empty CONTINUATION frames add nothing to a header block's length, and nothing
   * counted them: millions were taken in with no GOAWAY. Past {@code http2MaxContinuationFrames}
   * the connection ends with GOAWAY (PROTOCOL_ERROR), and the request never reaches the
   * application.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void emptyContinuationFramesPastTheLimitEndTheConnection(Transport transport) throws Exception {
    try (OwinServer server = start(transport, b -> {});
        RawHttp2 h2 = open(server, transport)) {
      int stream = h2.firstStream;
      ByteArrayOutputStream flood = new ByteArrayOutputStream();
      flood.writeBytes(frame(HEADERS, END_STREAM, stream, request("/a")));
      for (int i = 0; i < 1_000; i++) {
        flood.writeBytes(frame(CONTINUATION, 0, stream, new byte[0]));
      }
      h2.write(flood.toByteArray());

      Frame goAway = h2.readGoAway();
      assertEquals(PROTOCOL_ERROR, goAway.errorCode());
      assertTrue(h2.closedByServer());
      assertEquals(0, calls.get(), "the application was called");
    }
  }

  @Test
  void theContinuationLimitCountsTheFramesOfOneBlock() throws Exception {
    try (OwinServer server = start(Transport.PRIOR_KNOWLEDGE, b -> b.http2MaxContinuationFrames(3));
        RawHttp2 h2 = open(server, Transport.PRIOR_KNOWLEDGE)) {
      for (int stream : new int[] {1, 3}) {
        h2.send(HEADERS, END_STREAM, stream, request("/a", "x-show", "x-1,x-3"));
        h2.send(CONTINUATION, 0, stream, field("x-1", "one"));
        h2.send(CONTINUATION, 0, stream, new byte[0]);
        h2.send(CONTINUATION, END_HEADERS, stream, field("x-3", "three"));
        assertEquals(HEADERS, h2.readForStream(stream).type());
        assertEquals("x-1=one;x-3=three;", h2.readBody(stream));
      }

      h2.send(HEADERS, END_STREAM, 5, request("/a"));
      for (int i = 0; i < 3; i++) {
        h2.send(CONTINUATION, 0, 5, new byte[0]);
      }
      h2.send(CONTINUATION, END_HEADERS, 5, new byte[0]);
      assertEquals(PROTOCOL_ERROR, h2.readGoAway().errorCode());
      assertEquals(2, calls.get());
    }
  }

  /**
   * A block longer than one frame, sent a few hundred bytes at a time so that the server reads it
   * in many pieces, reaches the application whole.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void aHeaderBlockLongerThanAFrameArrivesWhole(Transport transport) throws Exception {
    try (OwinServer server = start(transport, b -> {});
        RawHttp2 h2 = open(server, transport)) {
      int stream = h2.firstStream;
      // 18 KB of headers: more than a frame, less than Undertow's 20,000-byte HTTP/2 header list.
      String big = "v".repeat(6_000);
      byte[] block = request("/a", "x-show", "x-a,x-b,x-c", "x-a", big, "x-b", big, "x-c", big);
      int first = 16_384;
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      frames.writeBytes(frame(HEADERS, END_STREAM, stream, Arrays.copyOf(block, first)));
      frames.writeBytes(
          frame(CONTINUATION, 0, stream, Arrays.copyOfRange(block, first, first + 100)));
      frames.writeBytes(
          frame(CONTINUATION, END_HEADERS, stream, Arrays.copyOfRange(block, first + 100, block.length)));
      byte[] bytes = frames.toByteArray();
      for (int i = 0; i < bytes.length; i += 700) {
        h2.out.write(bytes, i, Math.min(700, bytes.length - i));
        h2.out.flush();
      }

      assertEquals(HEADERS, h2.readForStream(stream).type());
      assertEquals(
          "x-a=" + big + ";x-b=" + big + ";x-c=" + big + ";", h2.readBody(stream));
    }
  }

  /** A padded HEADERS frame with a priority, continued: the padding is not read as headers. */
  @Test
  void paddingAndPriorityOfAContinuedHeadersFrameAreHonoured() throws Exception {
    try (OwinServer server = start(Transport.PRIOR_KNOWLEDGE, b -> {});
        RawHttp2 h2 = open(server, Transport.PRIOR_KNOWLEDGE)) {
      byte[] fragment = request("/a", "x-show", "x-late");
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      payload.write(7); // pad length
      payload.writeBytes(new byte[] {0, 0, 0, 0, 15}); // depends on stream 0, weight 16
      payload.writeBytes(fragment);
      payload.writeBytes(new byte[7]);
      h2.send(HEADERS, END_STREAM | PADDED | PRIORITY, 1, payload.toByteArray());
      h2.send(CONTINUATION, END_HEADERS, 1, field("x-late", "yes"));

      assertEquals(HEADERS, h2.readForStream(1).type());
      assertEquals("x-late=yes;", h2.readBody(1));
    }
  }

  /** Inside a header block only CONTINUATION frames of the same stream may come (RFC 9113, 6.10). */
  @Test
  void anyOtherFrameInsideAHeaderBlockEndsTheConnection() throws Exception {
    try (OwinServer server = start(Transport.PRIOR_KNOWLEDGE, b -> {});
        RawHttp2 h2 = open(server, Transport.PRIOR_KNOWLEDGE)) {
      h2.send(HEADERS, END_STREAM, 1, request("/a"));
      Thread.sleep(200);
      h2.send(PING, 0, 0, new byte[8]);

      assertEquals(PROTOCOL_ERROR, h2.readGoAway().errorCode());
      assertEquals(0, calls.get(), "the application was called");
    }
    try (OwinServer server = start(Transport.PRIOR_KNOWLEDGE, b -> {});
        RawHttp2 h2 = open(server, Transport.PRIOR_KNOWLEDGE)) {
      h2.send(HEADERS, END_STREAM, 1, request("/a"));
      Thread.sleep(200);
      h2.send(CONTINUATION, END_HEADERS, 3, field("x-late", "yes"));

      assertEquals(PROTOCOL_ERROR, h2.readGoAway().errorCode());
      assertEquals(0, calls.get(), "the application was called");
    }
  }

  @Test
  void theContinuationLimitMustBePositive() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OwinServer.builder().http2MaxContinuationFrames(0));
    assertEquals("http2MaxContinuationFrames must be in [1, 1024], got 0", e.getMessage());
  }

  /**
   * HTTP/2 by prior knowledge begins with the connection (RFC 9113, 3.3): a preface after an
   * HTTP/1.1 request is not taken as the start of HTTP/2, where it would bypass the header block
   * guard, but refused as a bad request.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"PRIOR_KNOWLEDGE", "TLS"})
  void aPrefaceAfterAnHttp11RequestIsRefused(Transport transport) throws Exception {
    try (OwinServer server = start(transport, b -> {});
        Socket socket = http11Socket(server, transport)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /a HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String first = readHead(in);
      assertTrue(first.startsWith("HTTP/1.1 200 "), first);
      in.readNBytes(contentLength(first));

      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.write(frame(RawHttp2.SETTINGS, 0, 0, new byte[0]));
      out.flush();
      String second = readHead(in);
      assertTrue(second.startsWith("HTTP/1.1 400 "), "the answer to the preface: " + second);
    }
  }

  private static Socket http11Socket(OwinServer server, Transport transport) throws Exception {
    if (transport == Transport.TLS) {
      SSLSocket tls =
          (SSLSocket)
              TestCertificates.get()
                  .clientWithoutCertificate
                  .getSocketFactory()
                  .createSocket("127.0.0.1", server.port());
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      tls.setSSLParameters(parameters);
      tls.startHandshake();
      return tls;
    }
    return new Socket("127.0.0.1", server.port());
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return head.length() == 0 ? "(closed)" : head.toString();
      }
      head.append((char) b);
    }
    return head.toString();
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    throw new AssertionError("no Content-Length in " + head);
  }

  /** HTTP/1.1 on the same listener is never read as frames, even a body that looks like them. */
  @Test
  void http11BytesThatLookLikeFramesAreJustBytes() throws Exception {
    ByteArrayOutputStream looksLikeFrames = new ByteArrayOutputStream();
    looksLikeFrames.writeBytes(
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    looksLikeFrames.writeBytes(frame(HEADERS, 0, 1, request("/a")));
    looksLikeFrames.writeBytes(frame(CONTINUATION, 0, 1, new byte[0]));
    byte[] body = looksLikeFrames.toByteArray();
    AppFunc length =
        env -> {
          try {
            write(env, Integer.toString(((InputStream) env.get(OwinKeys.REQUEST_BODY)).readAllBytes().length));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return Servers.done();
        };
    try (OwinServer server = Servers.start(length)) {
      HttpResponse<String> response =
          Servers.HTTP_1_1.send(
              HttpRequest.newBuilder(server.uri().resolve("/length"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertEquals(Integer.toString(body.length), response.body());
    }
  }
}
