package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DemoServerTest {
  private final HttpClient client = HttpClient.newHttpClient();

  private HttpResponse<String> get(URI uri) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void startedServerServesTheGivenRoot(@TempDir Path root) throws Exception {
    Files.writeString(root.resolve("a.txt"), "file a");
    try (DemoServer demo = DemoServer.start("127.0.0.1", 0, root)) {
      HttpResponse<String> file = get(demo.uri().resolve("/files/a.txt"));

      assertEquals("file a", file.body());
      assertEquals(root, demo.filesRoot());
    }
  }

  @Test
  void http2CleartextUpgradeIsOn() throws Exception {
    try (DemoServer demo = DemoServer.start("127.0.0.1", 0, null)) {
      // The JDK client asks for HTTP/2 on http:// URIs with Upgrade: h2c.
      HttpResponse<String> hello = get(demo.uri().resolve("/hello"));

      assertEquals("Hello World via OWIN", hello.body());
      assertEquals(HttpClient.Version.HTTP_2, hello.version());
    }
  }

  @Test
  void withoutRootTheSampleFolderIsServedAndDeletedOnClose() throws Exception {
    Path served;
    try (DemoServer demo = DemoServer.start("127.0.0.1", 0, null)) {
      HttpResponse<String> response = get(demo.uri().resolve("/files/hello.txt"));
      assertEquals(200, response.statusCode());
      assertTrue(response.body().startsWith("Hello from the Owin4J demo"));
      served = demo.filesRoot();
    }
    assertFalse(Files.exists(served));
  }

  @Test
  void missingRootIsRejected(@TempDir Path temp) {
    assertThrows(
        IllegalArgumentException.class,
        () -> DemoServer.start("127.0.0.1", 0, temp.resolve("missing")));
  }

  @Test
  void helpPrintsTheUsageAndExitsWithZero() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = DemoServer.launch(new String[] {"--help"}, print(out), print(err));

    assertEquals(0, status);
    assertEquals(DemoOptions.USAGE, out.toString(StandardCharsets.UTF_8));
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badOptionPrintsTheProblemAndUsageOnStderrAndExitsWithTwo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status = DemoServer.launch(new String[] {"--port", "x"}, print(out), print(err));

    assertEquals(2, status);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
    assertEquals(
        "owin-examples: --port must be an integer in [0, 65535], got \"x\"\n" + DemoOptions.USAGE,
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void portInUsePrintsTheProblemAndExitsWithOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();

      int status =
          DemoServer.launch(
              new String[] {"--port", Integer.toString(taken.getLocalPort())},
              print(new ByteArrayOutputStream()),
              print(err));

      assertEquals(1, status);
      assertTrue(
          err.toString(StandardCharsets.UTF_8)
              .startsWith("owin-examples: the server could not start"));
    }
  }

  @Test
  void commandLinePrintsTheListeningLineFirstAndServes() throws Exception {
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    DemoServer.class.getName(),
                    "--port",
                    "0"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (BufferedReader stdout =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String first = stdout.readLine();

      assertTrue(first.matches("Listening on http://127\\.0\\.0\\.1:\\d+/"), first);
      URI uri = URI.create(first.substring("Listening on ".length()));
      assertEquals("Hello World via OWIN", get(uri.resolve("/hello")).body());
    } finally {
      process.destroy(); // SIGTERM: the shutdown hook stops the server
      assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    }
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }
}
