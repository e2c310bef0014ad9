package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.responseHeaders;
import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ext.SendFileAsync;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keep-alive connection goes on after file responses: the host's watch for a client that leaves
 * while the request runs must never take the next request's bytes from Undertow after the exchange
 * completed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KeepAliveFileTest {
  private static final String CONTENT = "0123456789abcdefghijklmnopqrstuvwxyz\n".repeat(5);
  private static final int ROUNDS = 3_000;

  @TempDir Path dir;

  @Test
  void everyRequestAfterAFileResponseIsAnsweredOnTheSameConnection() throws Exception {
    Path file = Files.writeString(dir.resolve("file.txt"), CONTENT);
    AppFunc app =
        env -> {
          String path = (String) env.get(OwinKeys.REQUEST_PATH);
          if (path.equals("/hello")) {
            write(env, "hello");
            return CompletableFuture.completedFuture(null);
          }
          // Asking for the token arms the watch for a client that leaves during the request.
          CancellationToken cancel = (CancellationToken) env.get(OwinKeys.CALL_CANCELLED);
          SendFileAsync send = (SendFileAsync) env.get(SendFileKeys.SEND_ASYNC);
          boolean range = path.equals("/range");
          long offset = range ? 5 : 0;
          long count = range ? 16 : CONTENT.length();
          if (range) {
            env.put(OwinKeys.RESPONSE_STATUS_CODE, 206);
          }
          responseHeaders(env).put("Content-Length", new String[] {Long.toString(count)});
          return send.sendFileAsync(file.toString(), offset, count, cancel);
        };
    String[] paths = {"/file", "/range", "/hello"};
    try (OwinServer server = Servers.start(app);
        RawClient client = new RawClient(server.port())) {
      for (int i = 0; i < ROUNDS * paths.length; i++) {
        String path = paths[i % paths.length];
        RawClient.Response response;
        try {
          response = client.send("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").read();
        } catch (IOException e) {
          throw new AssertionError("request " + i + " (" + path + ") got no response", e);
        }
        String expected =
            switch (path) {
              case "/file" -> CONTENT;
              case "/range" -> CONTENT.substring(5, 21);
              default -> "hello";
            };
        assertEquals(
            expected,
            new String(response.body(), StandardCharsets.UTF_8),
            "request " + i + " (" + path + ")");
      }
    }
  }
}
