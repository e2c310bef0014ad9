// README:begin testing-streaming
package io.owin4j.testkit.readme;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.api.AppFunc;
import io.owin4j.core.OwinContext;
import io.owin4j.testkit.TestResponse;
import io.owin4j.testkit.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// In memory, by hand: the response streams through a bounded buffer.
@Timeout(30)
class StreamingTest {
  static final AppFunc COUNTER =
      env -> {
        OutputStream body = OwinContext.of(env).responseBody();
        for (int i = 1; i <= 3; i++) {
          body.write((i + "\n").getBytes(UTF_8));
          body.flush();
        }
        return CompletableFuture.completedFuture(null);
      };

  @Test
  void readsTheResponseLineByLine() throws Exception {
    try (TestServer server = TestServer.create(COUNTER);
        TestResponse response = server.get("/count").send();
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(response.bodyStream(), UTF_8))) {
      assertEquals(200, response.status());
      assertEquals("1", lines.readLine());
      assertEquals("2", lines.readLine());
      assertEquals("3", lines.readLine());
    }
  }
}
// README:end
