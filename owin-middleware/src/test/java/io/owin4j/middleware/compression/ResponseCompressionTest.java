package io.owin4j.middleware.compression;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.owin4j.api.AppFunc;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.middleware.internal.Http;
import io.owin4j.middleware.staticfiles.StaticFiles;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@OwinHostTest
@Timeout(30)
class ResponseCompressionTest {
  private static final String TEXT = "All work and no play makes Jack a dull boy.\n".repeat(40);
  private static final Path FILES;
  private static volatile CountDownLatch firstLineRead = new CountDownLatch(1);

  static {
    try {
      FILES = Files.createTempDirectory("compression-test");
      Files.writeString(FILES.resolve("big.txt"), TEXT);
      FILES.toFile().deleteOnExit();
      FILES.resolve("big.txt").toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AppFunc text(int status, String contentType, boolean withLength) {
    return env -> {
      OwinContext context = OwinContext.of(env);
      byte[] body = TEXT.getBytes(UTF_8);
      context.setStatusCode(status).setContentType(contentType);
      if (withLength) {
        context.setResponseHeader("Content-Length", Integer.toString(body.length));
      }
      context.write(body);
      return Http.done();
    };
  }

  @TestApplication
  static Consumer<AppBuilder> app() {
    StaticFiles files = StaticFiles.fromDirectory(FILES).build();
    return app ->
        app.use(ResponseCompression.builder().minimumSize(100).build())
            .map("/text", b -> b.run(text(200, "text/plain; charset=utf-8", true)))
            .map("/unknown-length", b -> b.run(text(200, "application/json", false)))
            .map("/png", b -> b.run(text(200, "image/png", true)))
            .map("/error", b -> b.run(text(500, "text/plain", true)))
            .map(
                "/small",
                b ->
                    b.run(
                        env -> {
                          OwinContext context = OwinContext.of(env);
                          context.setContentType("text/plain");
                          context.setResponseHeader("Content-Length", "5");
                          context.write("small".getBytes(UTF_8));
                          return Http.done();
                        }))
            .map(
                "/encoded",
                b ->
                    b.run(
                        env -> {
                          OwinContext.of(env).setResponseHeader("Content-Encoding", "br");
                          return text(200, "text/plain", true).invoke(env);
                        }))
            .map(
                "/empty",
                b -> b.run(env -> {
                  OwinContext.of(env).setStatusCode(204).setContentType("text/plain");
                  return Http.done();
                }))
            .map(
                "/stream",
                b ->
                    b.run(
                        env -> {
                          OwinContext context = OwinContext.of(env);
                          context.setContentType("text/plain; charset=utf-8");
                          context.write("first\n".getBytes(UTF_8));
                          context.responseBody().flush();
                          if (!firstLineRead.await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the client never read the first line");
                          }
                          context.write("second\n".getBytes(UTF_8));
                          return Http.done();
                        }))
            .map("/files", b -> b.run(files));
  }

  @Test
  void gzipWhenAccepted(TestClient client) throws IOException {
    TestResponse response = client.get("/text").header("Accept-Encoding", "gzip").send();

    assertEquals(200, response.status());
    assertEquals("gzip", response.header("Content-Encoding"));
    assertEquals("Accept-Encoding", response.header("Vary"));
    assertNull(response.header("Content-Length"), "the host frames the compressed body");
    assertEquals(TEXT, gunzip(response.bodyAsBytes()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "identity", "gzip;q=0", "gzip;q=0, *;q=1", "*;q=0", "br", "gzip;q=x"})
  void identityWhenGzipIsNotAccepted(String acceptEncoding, TestClient client) {
    TestResponse response =
        (acceptEncoding.isEmpty()
                ? client.get("/text")
                : client.get("/text").header("Accept-Encoding", acceptEncoding))
            .send();

    assertNull(response.header("Content-Encoding"));
    assertEquals("Accept-Encoding", response.header("Vary"));
    assertEquals(TEXT, response.bodyAsText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"br;q=1.0, gzip;q=0.5", "*", "deflate, *;q=0.1", "GZIP", "x-gzip"})
  void gzipByQualityOrWildcard(String acceptEncoding, TestClient client) throws IOException {
    TestResponse response = client.get("/text").header("Accept-Encoding", acceptEncoding).send();

    assertEquals("gzip", response.header("Content-Encoding"));
    assertEquals(TEXT, gunzip(response.bodyAsBytes()));
  }

  @Test
  void bodyOfUnknownLengthIsCompressed(TestClient client) throws IOException {
    TestResponse response = client.get("/unknown-length").header("Accept-Encoding", "gzip").send();

    assertEquals("gzip", response.header("Content-Encoding"));
    assertEquals(TEXT, gunzip(response.bodyAsBytes()));
  }

  @Test
  void typeOffTheAllowListIsNotCompressedNorVaried(TestClient client) {
    TestResponse response = client.get("/png").header("Accept-Encoding", "gzip").send();

    assertNull(response.header("Content-Encoding"));
    assertNull(response.header("Vary"));
    assertEquals(TEXT, response.bodyAsText());
  }

  @Test
  void bodyBelowTheMinimumStaysIdentity(TestClient client) {
    TestResponse response = client.get("/small").header("Accept-Encoding", "gzip").send();

    assertNull(response.header("Content-Encoding"));
    assertEquals("5", response.header("Content-Length"));
    assertEquals("small", response.bodyAsText());
  }

  @Test
  void alreadyEncodedBodyIsLeftAlone(TestClient client) {
    TestResponse response = client.get("/encoded").header("Accept-Encoding", "gzip, br").send();

    assertEquals("br", response.header("Content-Encoding"));
    assertEquals(TEXT, response.bodyAsText());
  }

  @Test
  void errorStatusIsNotCompressed(TestClient client) {
    TestResponse response = client.get("/error").header("Accept-Encoding", "gzip").send();

    assertEquals(500, response.status());
    assertNull(response.header("Content-Encoding"));
  }

  @Test
  void noContentIsNotCompressed(TestClient client) {
    TestResponse response = client.get("/empty").header("Accept-Encoding", "gzip").send();

    assertEquals(204, response.status());
    assertNull(response.header("Content-Encoding"));
    assertEquals(0, response.bodyAsBytes().length);
  }

  @Test
  void staticFileIsCompressedThroughSendfileWithAWeakEtag(TestClient client) throws IOException {
    TestResponse plain = client.get("/files/big.txt").send();
    TestResponse response = client.get("/files/big.txt").header("Accept-Encoding", "gzip").send();

    assertEquals("gzip", response.header("Content-Encoding"));
    assertEquals("Accept-Encoding", response.header("Vary"));
    assertEquals("W/" + plain.header("ETag"), response.header("ETag"));
    assertEquals(TEXT, gunzip(response.bodyAsBytes()));
  }

  @Test
  void rangesAreNeverCompressed(TestClient client) {
    TestResponse response =
        client
            .get("/files/big.txt")
            .header("Accept-Encoding", "gzip")
            .header("Range", "bytes=0-2")
            .send();

    assertEquals(206, response.status());
    assertNull(response.header("Content-Encoding"));
    assertEquals("All", response.bodyAsText());
  }

  @Test
  void notModifiedIsNotCompressed(TestClient client) {
    String etag = client.get("/files/big.txt").send().header("ETag");

    TestResponse response =
        client
            .get("/files/big.txt")
            .header("Accept-Encoding", "gzip")
            .header("If-None-Match", etag)
            .send();

    assertEquals(304, response.status());
    assertNull(response.header("Content-Encoding"));
    assertEquals(0, response.bodyAsBytes().length);
  }

  @Test
  void headIsNotCompressed(TestClient client) {
    TestResponse response =
        client.method("HEAD", "/files/big.txt").header("Accept-Encoding", "gzip").send();

    assertNull(response.header("Content-Encoding"));
    assertEquals(Integer.toString(TEXT.length()), response.header("Content-Length"));
    assertArrayEquals(new byte[0], response.bodyAsBytes());
  }

  @Test
  void compressedBodyStreamsEachFlushedPart(TestClient client) throws Exception {
    firstLineRead = new CountDownLatch(1);
    try (TestResponse response =
            client.get("/stream").header("Accept-Encoding", "gzip").send();
        GZIPInputStream body = new GZIPInputStream(response.bodyStream())) {
      assertEquals("gzip", response.header("Content-Encoding"));
      // Bytes, not a Reader: a decoder trusts GZIPInputStream.available(), which is 1 until the
      // end, and would block for more than the flushed part.
      assertEquals("first\n", readUntilNewline(body));
      firstLineRead.countDown();
      assertEquals("second\n", new String(body.readAllBytes(), UTF_8));
    }
  }

  private static String readUntilNewline(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      line.write(b);
      if (b == '\n') {
        break;
      }
    }
    return line.toString(UTF_8);
  }

  private static String gunzip(byte[] bytes) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return new String(in.readAllBytes(), UTF_8);
    }
  }
}
