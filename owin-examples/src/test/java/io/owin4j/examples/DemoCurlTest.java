package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a user checks with curl against the running demo: compression, CORS, traversal. */
@Timeout(60)
class DemoCurlTest {
  private static final String SECRET = "this file lies outside the served folder";
  private static final String TEXT = "A line of text that compresses well.\n".repeat(30);

  @TempDir static Path temp;
  private static @Nullable String curl;
  private static @Nullable DemoServer demo;

  @BeforeAll
  static void start() throws IOException {
    curl = onPath("curl");
    Logger.getLogger("io.owin4j.access").setUseParentHandlers(false);
    Path root = Files.createDirectory(temp.resolve("root"));
    Files.writeString(root.resolve("notes.txt"), TEXT);
    Files.writeString(temp.resolve("secret.txt"), SECRET);
    demo = DemoServer.start("127.0.0.1", 0, root);
  }

  @AfterAll
  static void stop() {
    if (demo != null) {
      demo.close();
    }
    Logger.getLogger("io.owin4j.access").setUseParentHandlers(true);
  }

  @Test
  void compressedTextFileGetsGzipWithVary() throws Exception {
    Response response = curl("--compressed", url("/files/notes.txt"));

    assertEquals(200, response.status);
    assertEquals("gzip", response.header("Content-Encoding"));
    assertTrue(response.header("Vary").contains("Accept-Encoding"), response.header("Vary"));
    assertEquals(TEXT, response.body, "curl decodes the gzip body back to the file");
  }

  @Test
  void withoutCompressedTheFileComesAsItIs() throws Exception {
    Response response = curl(url("/files/notes.txt"));

    assertNull(response.header("Content-Encoding"));
    assertEquals(Integer.toString(TEXT.length()), response.header("Content-Length"));
    assertEquals(TEXT, response.body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://localhost:3000", "http://127.0.0.1:5173", "SELF"})
  void preflightFromAnAllowedOriginGets204WithTheCorsHeaders(String origin) throws Exception {
    String sent = origin.equals("SELF") ? url("").replaceAll("/$", "") : origin;

    Response response =
        curl(
            "-X", "OPTIONS",
            "-H", "Origin: " + sent,
            "-H", "Access-Control-Request-Method: POST",
            "-H", "Access-Control-Request-Headers: content-type",
            url("/echo"));

    assertEquals(204, response.status);
    assertEquals(sent, response.header("Access-Control-Allow-Origin"));
    assertEquals("GET, HEAD, POST", response.header("Access-Control-Allow-Methods"));
    assertEquals("content-type", response.header("Access-Control-Allow-Headers"));
    assertEquals("600", response.header("Access-Control-Max-Age"));
    assertTrue(response.header("Vary").contains("Origin"), response.header("Vary"));
  }

  @Test
  void preflightFromAnotherOriginGetsNoCorsHeaders() throws Exception {
    Response response =
        curl(
            "-X", "OPTIONS",
            "-H", "Origin: https://evil.example",
            "-H", "Access-Control-Request-Method: POST",
            url("/echo"));

    assertNull(response.header("Access-Control-Allow-Origin"));
    assertNull(response.header("Access-Control-Allow-Methods"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/files/../secret.txt",
        "/files/../../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/%2E%2E/%2e%2e/secret.txt",
        "/files/%252e%252e/secret.txt",
        "/files/..%5csecret.txt",
        "/files/..%5Csecret.txt",
        "/files/..\\secret.txt",
        "/files/notes.txt%00",
        "/files/%00/../secret.txt",
        "/files//secret.txt",
        "/files/./../secret.txt"
      })
  void traversalAttemptsGet400Or404(String path) throws Exception {
    Response response = curl("--path-as-is", url(path));

    assertTrue(
        response.status == 400 || response.status == 404, path + " got " + response.status);
    assertFalse(response.body.contains(SECRET), path + " served the file outside the root");
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + demo.uri().getPort() + path;
  }

  /** Runs curl with {@code -s -i} (status line and headers, then the body) and parses that. */
  private static Response curl(String... args) throws Exception {
    assumeTrue(curl != null, "curl is not installed");
    List<String> command = new ArrayList<>(List.of(curl, "-s", "-i", "--max-time", "20"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
    int end = output.indexOf("\r\n\r\n");
    assertTrue(end > 0, "no response from curl: " + output);
    String[] head = output.substring(0, end).split("\r\n");
    Response response = new Response();
    response.status = Integer.parseInt(head[0].split(" ")[1]);
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      response.headers.add(
          new String[] {head[i].substring(0, colon).trim(), head[i].substring(colon + 1).trim()});
    }
    response.body = output.substring(end + 4);
    return response;
  }

  private static @Nullable String onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  private static final class Response {
    int status;
    final List<String[]> headers = new ArrayList<>();
    String body = "";

    @Nullable String header(String name) {
      for (String[] header : headers) {
        if (header[0].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
          return header[1];
        }
      }
      return null;
    }
  }
}
