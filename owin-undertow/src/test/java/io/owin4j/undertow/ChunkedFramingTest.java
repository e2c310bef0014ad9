package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.io.AsyncReadable;
import io.owin4j.api.io.AsyncWritable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A chunked request body is framed exactly as RFC 9112, section 7.1 says: a chunk size line of hex
 * digits (with extensions) ended by CRLF, exactly that many bytes of data, CRLF, and after the last
 * chunk the trailer section and CRLF. Anything else is refused, since a proxy in front may have
 * read the body's end elsewhere and taken the rest for another request. Bare LF is refused too:
 * section 7.1's grammar spells CRLF, and the leniency of section 2.2 covers the start line and
 * header fields only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChunkedFramingTest {
  private static final String HEAD =
      "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  private static final String PIPELINED = "GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n";

  private final List<String> served = new CopyOnWriteArrayList<>();
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final CompletableFuture<IOException> readFailure = new CompletableFuture<>();
  private final CountDownLatch firstBytesRead = new CountDownLatch(1);

  /** Reads the body in small steps, records it when it ended, and echoes it. */
  private final AppFunc app =
      env -> {
        served.add((String) env.get(OwinKeys.REQUEST_PATH));
        InputStream in = (InputStream) env.get(OwinKeys.REQUEST_BODY);
        StringBuilder body = new StringBuilder();
        byte[] step = new byte[3];
        try {
          int n;
          while ((n = in.read(step)) != -1) {
            body.append(new String(step, 0, n, StandardCharsets.ISO_8859_1));
            firstBytesRead.countDown();
          }
        } catch (IOException e) {
          readFailure.complete(e);
          throw e;
        }
        bodies.add(body.toString());
        write(env, body.toString());
        return Servers.done();
      };

  @Test
  void aChunkLongerThanItsSizeGets400AndNothingPipelinedIsServed() throws Exception {
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      client.send(HEAD + "3\r\nabcdef\r\n0\r\n\r\n" + PIPELINED);

      assertEquals(400, client.read().status());
      assertTrue(client.closedByServer());
      assertEquals(List.of(), bodies);
      assertFalse(served.contains("/smuggled"), "served " + served);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "zz\\r\\nabc\\r\\n0\\r\\n\\r\\n", // invalid hex
        "0x3\\r\\nabc\\r\\n0\\r\\n\\r\\n", // a prefix hex digits do not have
        "-3\\r\\nabc\\r\\n0\\r\\n\\r\\n", // a sign
        "\\r\\nabc\\r\\n0\\r\\n\\r\\n", // no size at all
        "FFFFFFFFFFFFFFFFF\\r\\nabc\\r\\n0\\r\\n\\r\\n", // 17 hex digits: past a long
        "8000000000000000\\r\\nabc\\r\\n0\\r\\n\\r\\n", // 2^63: past a long
        "3\\r\\nabc0\\r\\n\\r\\n", // no CRLF after the data
        "3\\r\\nabcd\\r\\n0\\r\\n\\r\\n", // one byte more than the size
        "3\\nabc\\r\\n0\\r\\n\\r\\n", // bare LF after the size
        "3\\r\\nabc\\n0\\r\\n\\r\\n", // bare LF after the data
        "3\\r\\nabc\\r\\n0\\n\\r\\n", // bare LF after the last chunk
        "3\\r\\nabc\\r\\n0\\r\\nX-T: 1\\n\\r\\n", // bare LF after a trailer field
        "3\\r\\nabc\\r\\n0\\r\\n\\n", // bare LF ending the body
        "3\\rabc\\r\\n0\\r\\n\\r\\n", // CR without LF
      })
  void malformedChunkFramingGets400AndNothingPipelinedIsServed(String escaped) throws Exception {
    String body = escaped.replace("\\r", "\r").replace("\\n", "\n");
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      client.send(HEAD + body + PIPELINED);

      assertEquals(400, client.read().status());
      assertTrue(client.closedByServer());
      assertEquals(List.of(), bodies);
      assertFalse(served.contains("/smuggled"), "served " + served);
    }
  }

  @Test
  void aViolationAfterTheApplicationStartedReadingFailsItsReadAndClosesTheConnection()
      throws Exception {
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      client.send(HEAD + "3\r\nabc\r\n");
      assertTrue(firstBytesRead.await(10, TimeUnit.SECONDS), "the application read nothing");

      client.send("3\r\nabcdef\r\n0\r\n\r\n" + PIPELINED);

      while (!client.closedByServer()) {
        // whatever answer the failed application got, the connection must end
      }
      IOException failure = readFailure.get(10, TimeUnit.SECONDS);
      assertTrue(
          failure.getMessage().contains("malformed chunked request body"),
          "the failure names no framing violation: " + failure);
      assertEquals(List.of(), bodies);
      assertFalse(served.contains("/smuggled"), "served " + served);
    }
  }

  @Test
  void chunkExtensionsAreIgnoredAndTrailersAccepted() throws Exception {
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      client.send(
          HEAD
              + "3;name=value\r\nabc\r\n"
              + "4 ; a=\"quoted;\" ;b\r\ndefg\r\n"
              + "0;last\r\nX-Checksum: 1\r\nX-Other: two\r\n\r\n"
              + "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");

      RawClient.Response response = client.read();
      assertEquals(200, response.status());
      assertEquals("abcdefg", response.bodyText());
      RawClient.Response next = client.read();
      assertEquals(200, next.status());
      assertEquals(List.of("/a", "/next"), served);
    }
  }

  @Test
  void aBodyOfManyChunksArrivesIntactAndTheConnectionServesTheNextRequest() throws Exception {
    try (OwinServer server = Servers.start(app)) {
      assertManyChunksEchoed(server);
      assertEquals(List.of("/a", "/next"), served);
    }
  }

  @Test
  void aBodyOfManyChunksArrivesIntactThroughNonBlockingReadsOnTheIoThread() throws Exception {
    AppFunc echo =
        env -> {
          AsyncReadable in = (AsyncReadable) env.get(OwinKeys.REQUEST_BODY);
          AsyncWritable out = (AsyncWritable) env.get(OwinKeys.RESPONSE_BODY);
          return pump(in, out, ByteBuffer.allocate(100));
        };
    try (OwinServer server = Servers.start(echo, builder -> builder.dispatch(Dispatch.IO_THREAD))) {
      assertManyChunksEchoed(server);
    }
  }

  private static CompletionStage<Void> pump(AsyncReadable in, AsyncWritable out, ByteBuffer buf) {
    buf.clear();
    return in.readAsync(buf)
        .thenCompose(
            n -> {
              if (n < 0) {
                return out.flushAsync();
              }
              buf.flip();
              return out.writeAsync(buf).thenCompose(v -> pump(in, out, buf));
            });
  }

  /** 400 chunks of 1 to 301 bytes, sent in pieces that split every part of the framing. */
  private static void assertManyChunksEchoed(OwinServer server) throws Exception {
    StringBuilder expected = new StringBuilder();
    StringBuilder framed = new StringBuilder();
    for (int i = 1; i <= 400; i++) {
      StringBuilder chunk = new StringBuilder();
      for (int j = 0; j < i * 7 % 301 + 1; j++) {
        chunk.append((char) ('a' + (i + j) % 26));
      }
      expected.append(chunk);
      framed.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
    }
    framed.append("0\r\n\r\n");
    try (RawClient client = new RawClient(server.port())) {
      client.send(HEAD);
      String rest = framed.toString();
      for (int at = 0; at < rest.length(); at += 997) {
        client.send(rest.substring(at, Math.min(rest.length(), at + 997)));
      }
      client.send("GET /next HTTP/1.1\r\nHost: t\r\n\r\n");

      RawClient.Response response = client.read();
      assertEquals(200, response.status());
      assertEquals(expected.toString(), response.bodyText());
      assertEquals(200, client.read().status());
    }
  }
}
