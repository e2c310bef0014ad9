package io.owin4j.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.core.OwinContext;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sendfile.SendAsync} on the in-memory host: a copy of the file region. */
@Timeout(20)
class SendFileTest {
  @TempDir Path directory;

  private static AppFunc sending(Path file, long offset, @Nullable Long count) {
    return env -> {
      OwinContext.of(env).setResponseHeader("X-Sent", "file");
      return ((SendFileAsync) env.get(SendFileKeys.SEND_ASYNC))
          .sendFileAsync(file.toString(), offset, count, CancellationToken.NONE);
    };
  }

  private Path file(String content) throws Exception {
    return Files.writeString(directory.resolve("data.txt"), content, UTF_8);
  }

  @Test
  void sendsTheWholeFile() throws Exception {
    try (TestServer server = TestServer.create(sending(file("0123456789"), 0, null))) {
      TestResponse response = server.get("/").send();
      assertEquals("file", response.header("X-Sent"));
      assertEquals("0123456789", response.bodyAsText());
    }
  }

  @Test
  void sendsARangeOfTheFile() throws Exception {
    try (TestServer server = TestServer.create(sending(file("0123456789"), 2, 5L))) {
      assertEquals("23456", server.get("/").send().bodyAsText());
    }
  }

  @Test
  void sendsAFileLargerThanTheBuffer() throws Exception {
    String content = "x".repeat(200_000);
    try (TestServer server =
        TestServer.builder().app(sending(file(content), 0, null)).bufferSize(1024).start()) {
      assertEquals(content, server.get("/").send().bodyAsText());
    }
  }

  @Test
  void missingFileFailsBeforeAnythingIsSent() {
    Path missing = directory.resolve("missing.txt");
    try (TestServer server = TestServer.create(sending(missing, 0, null))) {
      CompletionException thrown =
          assertThrows(CompletionException.class, () -> server.get("/").send());
      assertInstanceOf(NoSuchFileException.class, thrown.getCause());
    }
  }

  @Test
  void rangeOutsideTheFileFailsBeforeAnythingIsSent() throws Exception {
    try (TestServer server = TestServer.create(sending(file("0123"), 2, 3L))) {
      assertThrows(IllegalArgumentException.class, () -> server.get("/").send());
    }
  }
}
