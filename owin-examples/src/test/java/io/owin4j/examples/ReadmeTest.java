package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.undertow.OwinServer;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the README's code true: every block marked {@code README:begin} in a test source of this
 * repository must appear verbatim in README.md, so the build compiles what the README shows.
 */
@Timeout(30)
class ReadmeTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern BLOCK =
      Pattern.compile("// README:begin (\\S+)\\n(.*?)\\n\\s*// README:end", Pattern.DOTALL);

  @TestFactory
  Stream<DynamicTest> everyMarkedBlockAppearsInTheReadme() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> sources = Files.walk(ROOT)) {
      for (Path source : (Iterable<Path>) sources.filter(ReadmeTest::isTestSource)::iterator) {
        Matcher matcher = BLOCK.matcher(Files.readString(source));
        while (matcher.find()) {
          String name = matcher.group(1);
          String code = dedent(matcher.group(2));
          tests.add(
              DynamicTest.dynamicTest(
                  name + " (" + ROOT.relativize(source) + ")",
                  () ->
                      assertTrue(
                          readme.contains(code),
                          "README.md must contain the block '" + name + "' verbatim:\n" + code)));
        }
      }
    }
    assertFalse(tests.isEmpty(), "no README blocks found under " + ROOT);
    return tests.stream();
  }

  @Test
  void thePortableExampleAnswersOverRealUndertow() throws Exception {
    try (OwinServer server =
        OwinServer.builder()
            .port(0)
            .configure(app -> app.use(ReadmeExample.SERVER_TIMING).run(ReadmeExample.HELLO))
            .build()
            .start()) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(server.uri().resolve("/")).build(),
                  HttpResponse.BodyHandlers.ofString());

      assertEquals(200, response.statusCode());
      assertEquals("Hello World via OWIN", response.body());
      assertTrue(response.headers().firstValue("Server-Timing").orElseThrow().startsWith("app;dur="));
    }
  }

  private static boolean isTestSource(Path path) {
    String text = path.toString();
    return text.endsWith(".java") && text.contains("/src/test/java/") && !text.contains("/target/");
  }

  private static String dedent(String block) {
    String[] lines = block.split("\n", -1);
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString().stripTrailing();
  }
}
