package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ext.SendFileAsync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaticFilesTest {
  private static final String CONTENT = "0123456789"; // ten bytes: ranges are easy to read
  private static final Instant MODIFIED = Instant.parse("2024-05-06T07:08:09.500Z");
  private static final String LAST_MODIFIED = "Mon, 06 May 2024 07:08:09 GMT";

  @TempDir Path temp;
  private Path root;
  private StaticFiles app;
  private final RecordingSendFile sendFile = new RecordingSendFile();

  @BeforeEach
  void createRoot() throws Exception {
    root = Files.createDirectory(temp.resolve("root"));
    Path file = Files.writeString(root.resolve("digits.txt"), CONTENT);
    Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
    Files.createDirectory(root.resolve("sub"));
    Files.writeString(root.resolve("sub").resolve("data.json"), "{}");
    Files.write(root.resolve("image.PNG"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Files.write(root.resolve("blob"), new byte[] {1});
    Files.writeString(temp.resolve("secret.txt"), "outside the root");
    app = new StaticFiles(root);
  }

  private TestExchange get(String path) {
    return TestExchange.request("GET", path).with(SendFileKeys.SEND_ASYNC, sendFile);
  }

  private TestExchange run(TestExchange exchange) throws Exception {
    app.invoke(exchange.env).toCompletableFuture().get();
    return exchange;
  }

  @Test
  void getSendsTheWholeFileThroughSendfileWithItsHeaders() throws Exception {
    TestExchange exchange = run(get("/digits.txt"));

    assertEquals(200, exchange.status());
    assertEquals("text/plain; charset=utf-8", exchange.responseHeader("Content-Type"));
    assertEquals("10", exchange.responseHeader("Content-Length"));
    assertEquals("bytes", exchange.responseHeader("Accept-Ranges"));
    assertEquals(LAST_MODIFIED, exchange.responseHeader("Last-Modified"));
    assertEquals("\"a-" + Long.toHexString(MODIFIED.toEpochMilli()) + "\"", etag(exchange));
    assertEquals(
        List.of(new Call(root.toRealPath().resolve("digits.txt").toString(), 0, 10L)),
        sendFile.calls);
  }

  @Test
  void headSendsTheHeadersOnly() throws Exception {
    TestExchange exchange =
        run(TestExchange.request("HEAD", "/digits.txt").with(SendFileKeys.SEND_ASYNC, sendFile));

    assertEquals(200, exchange.status());
    assertEquals("10", exchange.responseHeader("Content-Length"));
    assertTrue(sendFile.calls.isEmpty());
    assertEquals("", exchange.bodyText());
  }

  @Test
  void withoutSendfileTheFileIsStreamedThroughTheBody() throws Exception {
    TestExchange exchange = run(TestExchange.request("GET", "/digits.txt"));

    assertEquals(200, exchange.status());
    assertEquals(CONTENT, exchange.bodyText());
  }

  @Test
  void contentTypeComesFromTheExtensionIgnoringCase() throws Exception {
    assertEquals("image/png", run(get("/image.PNG")).responseHeader("Content-Type"));
    assertEquals("application/json", run(get("/sub/data.json")).responseHeader("Content-Type"));
  }

  @Test
  void unknownExtensionIsOctetStream() throws Exception {
    assertEquals("application/octet-stream", run(get("/blob")).responseHeader("Content-Type"));
  }

  @Test
  void ifNoneMatchWithTheEtagGets304WithoutBody() throws Exception {
    String etag = etag(run(get("/digits.txt")));
    sendFile.calls.clear();

    TestExchange exchange = run(get("/digits.txt").header("If-None-Match", "\"other\", " + etag));

    assertEquals(304, exchange.status());
    assertEquals(etag, exchange.responseHeader("ETag"));
    assertTrue(sendFile.calls.isEmpty());
  }

  @Test
  void ifNoneMatchComparesWeakly() throws Exception {
    String etag = etag(run(get("/digits.txt")));

    assertEquals(304, run(get("/digits.txt").header("If-None-Match", "W/" + etag)).status());
  }

  @Test
  void ifNoneMatchStarGets304() throws Exception {
    assertEquals(304, run(get("/digits.txt").header("If-None-Match", "*")).status());
  }

  @Test
  void ifNoneMatchWithAnotherEtagGets200EvenIfNotModifiedSince() throws Exception {
    TestExchange exchange =
        run(
            get("/digits.txt")
                .header("If-None-Match", "\"other\"")
                .header("If-Modified-Since", LAST_MODIFIED));

    assertEquals(200, exchange.status());
  }

  @Test
  void ifModifiedSinceTheLastModificationGets304() throws Exception {
    assertEquals(304, run(get("/digits.txt").header("If-Modified-Since", LAST_MODIFIED)).status());
  }

  @Test
  void ifModifiedSinceAnEarlierDateGets200() throws Exception {
    TestExchange exchange =
        run(get("/digits.txt").header("If-Modified-Since", "Mon, 06 May 2024 07:08:08 GMT"));

    assertEquals(200, exchange.status());
  }

  @Test
  void invalidIfModifiedSinceIsIgnored() throws Exception {
    assertEquals(200, run(get("/digits.txt").header("If-Modified-Since", "yesterday")).status());
  }

  @Test
  void closedRangeGets206WithContentRange() throws Exception {
    TestExchange exchange = run(get("/digits.txt").header("Range", "bytes=2-5"));

    assertEquals(206, exchange.status());
    assertEquals("bytes 2-5/10", exchange.responseHeader("Content-Range"));
    assertEquals("4", exchange.responseHeader("Content-Length"));
    assertEquals(List.of(new Call(realFile("digits.txt"), 2, 4L)), sendFile.calls);
  }

  @Test
  void openRangeRunsToTheEnd() throws Exception {
    TestExchange exchange = run(get("/digits.txt").header("Range", "bytes=7-"));

    assertEquals(206, exchange.status());
    assertEquals("bytes 7-9/10", exchange.responseHeader("Content-Range"));
  }

  @Test
  void suffixRangeTakesTheLastBytes() throws Exception {
    TestExchange exchange = run(get("/digits.txt").header("Range", "bytes=-3"));

    assertEquals("bytes 7-9/10", exchange.responseHeader("Content-Range"));
    assertEquals(List.of(new Call(realFile("digits.txt"), 7, 3L)), sendFile.calls);
  }

  @Test
  void suffixLongerThanTheFileTakesAllOfIt() throws Exception {
    assertEquals(
        "bytes 0-9/10",
        run(get("/digits.txt").header("Range", "bytes=-50")).responseHeader("Content-Range"));
  }

  @Test
  void rangeEndPastTheFileIsClamped() throws Exception {
    assertEquals(
        "bytes 5-9/10",
        run(get("/digits.txt").header("Range", "bytes=5-500")).responseHeader("Content-Range"));
  }

  @Test
  void rangeWithoutSendfileStreamsTheSlice() throws Exception {
    TestExchange exchange =
        run(TestExchange.request("GET", "/digits.txt").header("Range", "bytes=3-4"));

    assertEquals(206, exchange.status());
    assertEquals("34", exchange.bodyText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=10-", "bytes=20-30", "bytes=-0"})
  void unsatisfiableRangeGets416WithTheSize(String range) throws Exception {
    TestExchange exchange = run(get("/digits.txt").header("Range", range));

    assertEquals(416, exchange.status());
    assertEquals("bytes */10", exchange.responseHeader("Content-Range"));
    assertTrue(sendFile.calls.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"bytes=0-1,4-5", "bytes=5-2", "bytes=x-", "items=0-1", "bytes=1", "bytes=-"})
  void multipleOrMalformedRangesGetTheWholeFile(String range) throws Exception {
    TestExchange exchange = run(get("/digits.txt").header("Range", range));

    assertEquals(200, exchange.status());
    assertNull(exchange.responseHeader("Content-Range"));
    assertEquals("10", exchange.responseHeader("Content-Length"));
  }

  @Test
  void ifRangeWithTheCurrentEtagHonoursTheRange() throws Exception {
    String etag = etag(run(get("/digits.txt")));

    TestExchange exchange =
        run(get("/digits.txt").header("Range", "bytes=0-0").header("If-Range", etag));

    assertEquals(206, exchange.status());
  }

  @Test
  void ifRangeWithAStaleValidatorGetsTheWholeFile() throws Exception {
    TestExchange exchange =
        run(get("/digits.txt").header("Range", "bytes=0-0").header("If-Range", "\"stale\""));

    assertEquals(200, exchange.status());
  }

  @Test
  void headIgnoresRange() throws Exception {
    TestExchange exchange =
        run(TestExchange.request("HEAD", "/digits.txt").header("Range", "bytes=0-0"));

    assertEquals(200, exchange.status());
    assertEquals("10", exchange.responseHeader("Content-Length"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/missing.txt", "/sub", "/sub/", "/", "", "/digits.txt/x"})
  void missingFilesAndDirectoriesGet404(String path) throws Exception {
    TestExchange exchange = run(get(path));

    assertEquals(404, exchange.status());
    assertTrue(sendFile.calls.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/../secret.txt",
        "/sub/../../secret.txt",
        "/..",
        "/./digits.txt",
        "/sub/..",
        "//etc/passwd",
        "/sub//data.json",
        "/..\\secret.txt",
        "/sub\\..\\..\\secret.txt",
        "/digits.txt\0.png",
        "relative.txt"
      })
  void pathsThatTryToLeaveTheRootGet400(String path) throws Exception {
    TestExchange exchange = run(get(path));

    assertEquals(400, exchange.status());
    assertTrue(sendFile.calls.isEmpty());
  }

  @Test
  void symbolicLinkOutOfTheRootGets404() throws Exception {
    Files.createSymbolicLink(root.resolve("escape.txt"), temp.resolve("secret.txt"));

    TestExchange exchange = run(get("/escape.txt"));

    assertEquals(404, exchange.status());
    assertTrue(sendFile.calls.isEmpty());
  }

  @Test
  void symbolicLinkInsideTheRootIsServedAsItsTarget() throws Exception {
    Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("digits.txt"));

    TestExchange exchange = run(get("/alias.txt"));

    assertEquals(200, exchange.status());
    assertEquals(List.of(new Call(realFile("digits.txt"), 0, 10L)), sendFile.calls);
  }

  @Test
  void postIsNotAllowed() throws Exception {
    TestExchange exchange = run(TestExchange.request("POST", "/digits.txt"));

    assertEquals(405, exchange.status());
    assertEquals("GET, HEAD", exchange.responseHeader("Allow"));
  }

  @Test
  void missingRootIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new StaticFiles(temp.resolve("none")));

    assertTrue(e.getMessage().startsWith("root must be an existing directory, got "));
  }

  @Test
  void fileAsRootIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new StaticFiles(temp.resolve("secret.txt")));
  }

  private String realFile(String name) throws Exception {
    return root.toRealPath().resolve(name).toString();
  }

  private static String etag(TestExchange exchange) {
    String etag = exchange.responseHeader("ETag");
    assertNotNull(etag);
    return etag;
  }

  record Call(String path, long offset, @Nullable Long count) {}

  /** A sendfile delegate that records what it was asked to send and completes at once. */
  private static final class RecordingSendFile implements SendFileAsync {
    final List<Call> calls = new ArrayList<>();

    @Override
    public CompletableFuture<Void> sendFileAsync(
        String path, long offset, @Nullable Long count, io.owin4j.api.CancellationToken cancel) {
      calls.add(new Call(path, offset, count));
      return CompletableFuture.completedFuture(null);
    }
  }
}
