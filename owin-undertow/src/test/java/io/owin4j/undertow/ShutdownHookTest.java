package io.owin4j.undertow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link OwinServer.Builder#shutdownHook}: a SIGTERM stops the server gracefully, when asked. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownHookTest {
  /** Runs {@link ShutdownHookMain} with {@code environment}, terminates it, and returns its lines. */
  private static List<String> runAndTerminate(Map<String, String> environment) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ShutdownHookMain.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(environment);
    Process process = builder.start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
      String first = out.readLine();
      assertTrue(first != null && first.startsWith("listening on "), "first line: " + first);
      URI uri = URI.create(first.substring("listening on ".length()));
      assertEquals(200, Servers.get(Servers.HTTP_1_1, uri).statusCode());

      // SIGTERM; through the handle, because Process.destroy() also closes our end of its output.
      process.toHandle().destroy();

      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the process ended");
      return out.lines().collect(Collectors.toList());
    } catch (IOException | RuntimeException | Error e) {
      process.destroyForcibly();
      throw e;
    }
  }

  @Test
  void terminatedProcessStopsTheServerGracefully() throws Exception {
    List<String> rest =
        runAndTerminate(Map.of("PORT", "0", "HOST", "127.0.0.1", "OWIN4J_SHUTDOWN_HOOK", "true"));

    assertTrue(rest.contains("disposed"), "output after SIGTERM: " + rest);
  }

  @Test
  void withoutTheHookNothingStopsTheServer() throws Exception {
    List<String> rest = runAndTerminate(Map.of("PORT", "0", "HOST", "127.0.0.1"));

    assertTrue(!rest.contains("disposed"), "output after SIGTERM: " + rest);
  }
}
