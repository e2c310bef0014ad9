package io.owin4j.middleware.staticfiles;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.MidFunc;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.core.AppBuilder;
import io.owin4j.core.OwinContext;
import io.owin4j.testkit.HostMode;
import io.owin4j.testkit.OnlyOn;
import io.owin4j.testkit.OwinHostTest;
import io.owin4j.testkit.TestApplication;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@OwinHostTest
@Timeout(30)
class StaticFilesTest {
  private static final String CONTENT = "0123456789"; // ten bytes: ranges are easy to read
  private static final Instant MODIFIED = Instant.parse("2024-05-06T07:08:09.500Z");
  private static final String LAST_MODIFIED = "Mon, 06 May 2024 07:08:09 GMT";
  private static final String SECRET = "outside the root";

  private static final Path TEMP;
  private static final Path ROOT;
  private static final List<Call> SENT = new CopyOnWriteArrayList<>();

  static {
    try {
      TEMP = Files.createTempDirectory("static-files-test").toRealPath();
      ROOT = Files.createDirectory(TEMP.resolve("root"));
      Path file = Files.writeString(ROOT.resolve("digits.txt"), CONTENT);
      Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
      Files.createDirectory(ROOT.resolve("sub"));
      Files.writeString(ROOT.resolve("sub").resolve("data.json"), "{}");
      Files.write(ROOT.resolve("image.PNG"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
      Files.write(ROOT.resolve("blob"), new byte[] {1});
      Files.createDirectory(ROOT.resolve("withindex"));
      Files.writeString(ROOT.resolve("withindex").resolve("index.html"), "<p>index</p>");
      Files.writeString(ROOT.resolve("<b>&\"x'.txt"), "odd name");
      Files.createDirectory(ROOT.resolve("%2e%2e"));
      Files.writeString(TEMP.resolve("secret.txt"), SECRET);
      Files.createSymbolicLink(ROOT.resolve("escape.txt"), TEMP.resolve("secret.txt"));
      Files.createSymbolicLink(ROOT.resolve("alias.txt"), ROOT.resolve("digits.txt"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records every sendfile call, then lets the host's sendfile do it. */
  private static final MidFunc RECORD_SENDFILE =
      next ->
          env -> {
            SendFileAsync host = (SendFileAsync) env.get(SendFileKeys.SEND_ASYNC);
            if (host != null) {
              SendFileAsync recording =
                  (path, offset, count, cancel) -> {
                    SENT.add(new Call(path, offset, count));
                    return host.sendFileAsync(path, offset, count, cancel);
                  };
              env.put(SendFileKeys.SEND_ASYNC, recording);
            }
            return next.invoke(env);
          };

  private static final MidFunc WITHOUT_SENDFILE =
      next ->
          env -> {
            env.remove(SendFileKeys.SEND_ASYNC);
            return next.invoke(env);
          };

  @TestApplication
  static Consumer<AppBuilder> app() {
    StaticFiles files = StaticFiles.fromDirectory(ROOT).build();
    StaticFiles listing = StaticFiles.fromDirectory(ROOT).directoryListing(true).build();
    StaticFiles classpath =
        StaticFiles.fromClasspath(
                StaticFilesTest.class.getClassLoader(), "io/owin4j/middleware/staticfiles/web")
            .build();
    return app ->
        app.use(RECORD_SENDFILE)
            .map("/copy", branch -> branch.use(WITHOUT_SENDFILE).run(files))
            .map("/list", branch -> branch.run(listing))
            .map("/cp", branch -> branch.run(classpath))
            .map(
                "/mw",
                branch ->
                    branch
                        .use(files)
                        .run(env -> OwinContext.of(env).setStatusCode(418).writeTextAsync("next")))
            .run(files);
  }

  @AfterAll
  static void deleteTemp() throws IOException {
    try (Stream<Path> paths = Files.walk(TEMP)) {
      for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(path);
      }
    }
  }

  @BeforeEach
  void forgetSends() {
    SENT.clear();
  }

  @Test
  void getSendsTheWholeFileThroughSendfileWithItsHeaders(TestClient client) {
    TestResponse response = client.get("/digits.txt").send();

    assertEquals(200, response.status());
    assertEquals(CONTENT, response.bodyAsText());
    assertEquals("text/plain; charset=utf-8", response.header("Content-Type"));
    assertEquals("10", response.header("Content-Length"));
    assertEquals("bytes", response.header("Accept-Ranges"));
    assertEquals(LAST_MODIFIED, response.header("Last-Modified"));
    assertEquals("\"a-" + Long.toHexString(MODIFIED.toEpochMilli()) + "\"", etag(response));
    assertEquals(List.of(new Call(file("digits.txt"), 0, 10L)), SENT);
  }

  @Test
  void headSendsTheHeadersOnly(TestClient client) {
    TestResponse response = client.method("HEAD", "/digits.txt").send();

    assertEquals(200, response.status());
    assertEquals("10", response.header("Content-Length"));
    assertEquals(0, response.bodyAsBytes().length);
    assertTrue(SENT.isEmpty());
  }

  @Test
  void withoutSendfileTheFileIsCopiedThroughTheBody(TestClient client) {
    TestResponse response = client.get("/copy/digits.txt").send();

    assertEquals(200, response.status());
    assertEquals(CONTENT, response.bodyAsText());
    assertTrue(SENT.isEmpty());
  }

  @Test
  void contentTypeComesFromTheExtensionIgnoringCase(TestClient client) {
    assertEquals("image/png", client.get("/image.PNG").send().header("Content-Type"));
    assertEquals("application/json", client.get("/sub/data.json").send().header("Content-Type"));
  }

  @Test
  void unknownExtensionIsOctetStream(TestClient client) {
    assertEquals("application/octet-stream", client.get("/blob").send().header("Content-Type"));
  }

  @Test
  void ifNoneMatchWithTheEtagGets304WithoutBody(TestClient client) {
    String etag = etag(client.get("/digits.txt").send());
    SENT.clear();

    TestResponse response =
        client.get("/digits.txt").header("If-None-Match", "\"other\", " + etag).send();

    assertEquals(304, response.status());
    assertEquals(etag, response.header("ETag"));
    assertEquals(0, response.bodyAsBytes().length);
    assertTrue(SENT.isEmpty());
  }

  @Test
  void ifNoneMatchComparesWeakly(TestClient client) {
    String etag = etag(client.get("/digits.txt").send());

    assertEquals(
        304, client.get("/digits.txt").header("If-None-Match", "W/" + etag).send().status());
  }

  @Test
  void ifNoneMatchStarGets304(TestClient client) {
    assertEquals(304, client.get("/digits.txt").header("If-None-Match", "*").send().status());
  }

  @Test
  void ifNoneMatchWithAnotherEtagGets200EvenIfNotModifiedSince(TestClient client) {
    TestResponse response =
        client
            .get("/digits.txt")
            .header("If-None-Match", "\"other\"")
            .header("If-Modified-Since", LAST_MODIFIED)
            .send();

    assertEquals(200, response.status());
  }

  @Test
  void ifModifiedSinceTheLastModificationGets304(TestClient client) {
    assertEquals(
        304, client.get("/digits.txt").header("If-Modified-Since", LAST_MODIFIED).send().status());
  }

  @Test
  void ifModifiedSinceAnEarlierDateGets200(TestClient client) {
    TestResponse response =
        client
            .get("/digits.txt")
            .header("If-Modified-Since", "Mon, 06 May 2024 07:08:08 GMT")
            .send();

    assertEquals(200, response.status());
  }

  @Test
  void invalidIfModifiedSinceIsIgnored(TestClient client) {
    assertEquals(
        200, client.get("/digits.txt").header("If-Modified-Since", "yesterday").send().status());
  }

  @Test
  void ifMatchWithAnotherEtagGets412(TestClient client) {
    TestResponse response = client.get("/digits.txt").header("If-Match", "\"other\"").send();

    assertEquals(412, response.status());
    assertTrue(SENT.isEmpty());
  }

  @Test
  void ifMatchWithTheEtagOrStarGets200(TestClient client) {
    String etag = etag(client.get("/digits.txt").send());

    assertEquals(200, client.get("/digits.txt").header("If-Match", etag).send().status());
    assertEquals(200, client.get("/digits.txt").header("If-Match", "*").send().status());
  }

  @Test
  void ifMatchComparesStrongly(TestClient client) {
    String etag = etag(client.get("/digits.txt").send());

    assertEquals(412, client.get("/digits.txt").header("If-Match", "W/" + etag).send().status());
  }

  @Test
  void ifUnmodifiedSinceAnEarlierDateGets412(TestClient client) {
    TestResponse response =
        client
            .get("/digits.txt")
            .header("If-Unmodified-Since", "Mon, 06 May 2024 07:08:08 GMT")
            .send();

    assertEquals(412, response.status());
  }

  @Test
  void ifUnmodifiedSinceTheLastModificationGets200(TestClient client) {
    assertEquals(
        200,
        client.get("/digits.txt").header("If-Unmodified-Since", LAST_MODIFIED).send().status());
  }

  @Test
  void closedRangeGets206WithContentRange(TestClient client) {
    TestResponse response = client.get("/digits.txt").header("Range", "bytes=2-5").send();

    assertEquals(206, response.status());
    assertEquals("bytes 2-5/10", response.header("Content-Range"));
    assertEquals("4", response.header("Content-Length"));
    assertEquals("2345", response.bodyAsText());
    assertEquals(List.of(new Call(file("digits.txt"), 2, 4L)), SENT);
  }

  @Test
  void openRangeRunsToTheEnd(TestClient client) {
    TestResponse response = client.get("/digits.txt").header("Range", "bytes=7-").send();

    assertEquals(206, response.status());
    assertEquals("bytes 7-9/10", response.header("Content-Range"));
    assertEquals("789", response.bodyAsText());
  }

  @Test
  void suffixRangeTakesTheLastBytes(TestClient client) {
    TestResponse response = client.get("/digits.txt").header("Range", "bytes=-3").send();

    assertEquals("bytes 7-9/10", response.header("Content-Range"));
    assertEquals(List.of(new Call(file("digits.txt"), 7, 3L)), SENT);
  }

  @Test
  void suffixLongerThanTheFileTakesAllOfIt(TestClient client) {
    assertEquals(
        "bytes 0-9/10",
        client.get("/digits.txt").header("Range", "bytes=-50").send().header("Content-Range"));
  }

  @Test
  void rangeEndPastTheFileIsClamped(TestClient client) {
    assertEquals(
        "bytes 5-9/10",
        client.get("/digits.txt").header("Range", "bytes=5-500").send().header("Content-Range"));
  }

  @Test
  void rangeWithoutSendfileStreamsTheSlice(TestClient client) {
    TestResponse response = client.get("/copy/digits.txt").header("Range", "bytes=3-4").send();

    assertEquals(206, response.status());
    assertEquals("34", response.bodyAsText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=10-", "bytes=20-30", "bytes=-0"})
  void unsatisfiableRangeGets416WithTheSize(String range, TestClient client) {
    TestResponse response = client.get("/digits.txt").header("Range", range).send();

    assertEquals(416, response.status());
    assertEquals("bytes */10", response.header("Content-Range"));
    assertTrue(SENT.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"bytes=0-1,4-5", "bytes=5-2", "bytes=x-", "items=0-1", "bytes=1", "bytes=-"})
  void multipleOrMalformedRangesGetTheWholeFile(String range, TestClient client) {
    TestResponse response = client.get("/digits.txt").header("Range", range).send();

    assertEquals(200, response.status());
    assertNull(response.header("Content-Range"));
    assertEquals("10", response.header("Content-Length"));
    assertEquals(CONTENT, response.bodyAsText());
  }

  @Test
  void ifRangeWithTheCurrentEtagHonoursTheRange(TestClient client) {
    String etag = etag(client.get("/digits.txt").send());

    TestResponse response =
        client.get("/digits.txt").header("Range", "bytes=0-0").header("If-Range", etag).send();

    assertEquals(206, response.status());
    assertEquals("0", response.bodyAsText());
  }

  @Test
  void ifRangeWithTheLastModifiedDateHonoursTheRange(TestClient client) {
    TestResponse response =
        client
            .get("/digits.txt")
            .header("Range", "bytes=0-0")
            .header("If-Range", LAST_MODIFIED)
            .send();

    assertEquals(206, response.status());
  }

  @Test
  void ifRangeWithAStaleValidatorGetsTheWholeFile(TestClient client) {
    TestResponse response =
        client
            .get("/digits.txt")
            .header("Range", "bytes=0-0")
            .header("If-Range", "\"stale\"")
            .send();

    assertEquals(200, response.status());
    assertEquals(CONTENT, response.bodyAsText());
  }

  @Test
  void headIgnoresRange(TestClient client) {
    TestResponse response = client.method("HEAD", "/digits.txt").header("Range", "bytes=0-0").send();

    assertEquals(200, response.status());
    assertEquals("10", response.header("Content-Length"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/missing.txt", "/sub", "/sub/", "/", "/digits.txt/x", "/digits.txt/"})
  void missingFilesAndFoldersWithoutIndexGet404(String path, TestClient client) {
    TestResponse response = client.get(path).send();

    assertEquals(404, response.status());
    assertTrue(SENT.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/%2e%2e/secret.txt",
        "/sub/%2e%2e/%2e%2e/secret.txt",
        "/%2E%2E",
        "/%2e/digits.txt",
        "/sub/%2e%2e",
        "/sub//data.json",
        "/digits.txt%00.png"
      })
  void pathsThatTryToLeaveTheRootGet400(String path, TestClient client) {
    TestResponse response = client.get(path).send();

    assertEquals(400, response.status());
    assertFalse(response.bodyAsText().contains(SECRET));
    assertTrue(SENT.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/%2e%2e%5Csecret.txt", "/sub%5C..%5C..%5Csecret.txt", "/sub%5Cdata.json"})
  void encodedBackslashesNeverReachAFile(String path, TestClient client) {
    // The in-memory host decodes %5C to a backslash (400); Undertow keeps it as a literal name that
    // no file has (404). Either way no file is served.
    TestResponse response = client.get(path).send();

    assertTrue(response.status() == 400 || response.status() == 404, "got " + response.status());
    assertFalse(response.bodyAsText().contains(SECRET));
    assertTrue(SENT.isEmpty());
  }

  @Test
  void doubleEncodedDotsNameALiteralFolderNotTheParent(TestClient client) {
    TestResponse response = client.get("/%252e%252e/secret.txt").send();

    assertEquals(404, response.status());
    assertFalse(response.bodyAsText().contains(SECRET));
  }

  @Test
  @OnlyOn(
      value = HostMode.UNDERTOW,
      reason = "a raw request line with a plain .. reaches the host only over a socket")
  void plainDotDotOnTheWireNeverServesAFileOutsideTheRoot(TestClient client) throws IOException {
    for (String target :
        List.of(
            "/../secret.txt",
            "/sub/../../secret.txt",
            "/..\\secret.txt",
            "//etc/passwd",
            "/%2e%2e/secret.txt",
            "/%252e%252e/secret.txt",
            "/digits.txt%00",
            "/../root/../secret.txt")) {
      String answer = rawGet(client, target);
      String status = answer.substring(0, answer.indexOf("\r\n"));

      assertTrue(status.matches("HTTP/1\\.1 40[04] .*"), target + " got " + status);
      assertFalse(answer.contains(SECRET), target + " leaked the file");
    }
  }

  @Test
  void symbolicLinkOutOfTheRootGets404(TestClient client) {
    TestResponse response = client.get("/escape.txt").send();

    assertEquals(404, response.status());
    assertFalse(response.bodyAsText().contains(SECRET));
    assertTrue(SENT.isEmpty());
  }

  @Test
  void symbolicLinkInsideTheRootIsServedAsItsTarget(TestClient client) {
    TestResponse response = client.get("/alias.txt").send();

    assertEquals(200, response.status());
    assertEquals(List.of(new Call(file("digits.txt"), 0, 10L)), SENT);
  }

  @Test
  void postIsNotAllowedAtTheEndpoint(TestClient client) {
    TestResponse response = client.post("/digits.txt").body("x", "text/plain").send();

    assertEquals(405, response.status());
    assertEquals("GET, HEAD", response.header("Allow"));
  }

  @Test
  void asMiddlewareAMissingFileGoesToTheNextApplication(TestClient client) {
    assertEquals(418, client.get("/mw/missing.txt").send().status());
    assertEquals(418, client.post("/mw/digits.txt").body("x", "text/plain").send().status());
    assertEquals(CONTENT, client.get("/mw/digits.txt").send().bodyAsText());
  }

  @Test
  void folderIsServedByItsIndexFile(TestClient client) {
    TestResponse response = client.get("/withindex/").send();

    assertEquals(200, response.status());
    assertEquals("<p>index</p>", response.bodyAsText());
    assertEquals("text/html; charset=utf-8", response.header("Content-Type"));
  }

  @Test
  void folderWithoutItsSlashIsRedirectedBelowThePathBase(TestClient client) {
    TestResponse response = client.get("/mw/withindex?x=1").send();

    assertEquals(301, response.status());
    assertEquals("/mw/withindex/?x=1", response.header("Location"));
  }

  @Test
  void listingIsOffByDefault(TestClient client) {
    assertEquals(404, client.get("/sub/").send().status());
  }

  @Test
  void listingShowsTheEntriesHtmlEscapedWithEncodedLinks(TestClient client) {
    TestResponse response = client.get("/list/").send();

    assertEquals(200, response.status());
    assertEquals("text/html; charset=utf-8", response.header("Content-Type"));
    String html = response.bodyAsText();
    assertTrue(html.contains("<title>Index of /list/</title>"), html);
    assertTrue(html.contains("<a href=\"digits.txt\">digits.txt</a>"), html);
    assertTrue(html.contains("<a href=\"sub/\">sub/</a>"), html);
    assertTrue(
        html.contains(
            "<a href=\"%3Cb%3E%26%22x%27.txt\">&lt;b&gt;&amp;&quot;x&#39;.txt</a>"),
        html);
    assertFalse(html.contains("<b>"), html);
    assertFalse(html.contains("escape.txt"), "a link out of the root is not listed");
  }

  @Test
  void listingOfASubfolderLinksToItsParent(TestClient client) {
    String html = client.get("/list/sub/").send().bodyAsText();

    assertTrue(html.contains("<a href=\"../\">../</a>"), html);
    assertTrue(html.contains("<a href=\"data.json\">data.json</a>"), html);
  }

  @Test
  void classpathFilesAreServedWithValidatorsAndRanges(TestClient client) {
    TestResponse whole = client.get("/cp/hello.txt").send();
    TestResponse range = client.get("/cp/hello.txt").header("Range", "bytes=0-4").send();

    assertEquals(200, whole.status());
    assertEquals("hello from the class path\n", whole.bodyAsText());
    assertEquals("text/plain; charset=utf-8", whole.header("Content-Type"));
    assertNotNull(whole.header("ETag"));
    assertNotNull(whole.header("Last-Modified"));
    assertEquals(206, range.status());
    assertEquals("hello", range.bodyAsText());
    assertTrue(SENT.isEmpty(), "class path bytes are copied, not sent with sendfile");
  }

  @Test
  void classpathFolderIsServedByItsIndexAndNeverListed(TestClient client) {
    assertEquals(
        "<!DOCTYPE html><title>docs</title>docs index\n",
        client.get("/cp/docs/").send().bodyAsText());
    assertEquals(404, client.get("/cp/").send().status());
    assertEquals(404, client.get("/cp/missing.txt").send().status());
  }

  @Test
  void classpathTraversalIsRejected(TestClient client) {
    assertEquals(400, client.get("/cp/%2e%2e/StaticFilesTest.class").send().status());
  }

  private static String rawGet(TestClient client, String target) throws IOException {
    try (Socket socket = new Socket(client.baseUri().getHost(), client.baseUri().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), UTF_8);
    }
  }

  private static String file(String name) {
    return ROOT.resolve(name).toString();
  }

  private static String etag(TestResponse response) {
    String etag = response.header("ETag");
    assertNotNull(etag);
    return etag;
  }

  record Call(String path, long offset, @Nullable Long count) {}
}
