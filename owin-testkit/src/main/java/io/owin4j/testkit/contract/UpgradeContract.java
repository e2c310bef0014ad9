package io.owin4j.testkit.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.ext.OpaqueUpgrade;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.api.features.OpaqueUpgradeFeature;
import io.owin4j.core.OwinContext;
import io.owin4j.core.OwinFeatureCollection;
import io.owin4j.testkit.OpaqueConnection;
import io.owin4j.testkit.TestResponse;
import io.owin4j.testkit.TestServer;
import io.owin4j.testkit.UpgradeDeniedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every host owes an application beyond plain responses: {@code sendfile.SendAsync} (a whole
 * file, a range, after the headers the application set, failing before anything is sent when the
 * file or range is wrong) and {@code opaque.Upgrade} (raw bytes both ways after a 101).
 *
 * <p>Subclass it with {@link #host()}; see the package comment.
 */
@Timeout(30)
public abstract class UpgradeContract {
  private final KitServers servers = new KitServers(this::host);

  @TempDir @Nullable Path directory;

  /**
   * A builder for the host under test, such as {@code TestServer.builder().launcher(...)}; the kit
   * sets the application and the options a test needs.
   */
  protected abstract TestServer.Builder host();

  @AfterEach
  final void closeServers() {
    servers.closeAll();
  }

  private TestServer start(AppFunc app) {
    return servers.start(UnaryOperator.identity(), builder -> builder.run(app));
  }

  private Path file(String content) throws IOException {
    Path dir = java.util.Objects.requireNonNull(directory, "directory");
    return Files.writeString(Files.createTempFile(dir, "kit", ".txt"), content);
  }

  /** Sends a range of {@code path}, answering a failed stage with a status and the failure. */
  private static AppFunc sending(String path, long offset, @Nullable Long count) {
    return sending(path, offset, count, failure -> failure.getClass().getSimpleName());
  }

  /**
   * Sends a range of {@code path}, answering a failed stage with a status and what {@code
   * described} makes of the failure.
   */
  private static AppFunc sending(
      String path, long offset, @Nullable Long count, Function<Throwable, String> described) {
    return env -> {
      OwinContext.of(env).setResponseHeader("X-File", "sent");
      return ((SendFileAsync) env.get(SendFileKeys.SEND_ASYNC))
          .sendFileAsync(path, offset, count, CancellationToken.NONE)
          .exceptionally(
              failure -> {
                env.put(
                    OwinKeys.RESPONSE_STATUS_CODE,
                    failure instanceof NoSuchFileException ? 404 : 416);
                try {
                  OwinContext.of(env).writeText(described.apply(failure));
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                return null;
              });
    };
  }

  @Test
  void sendFileSendsTheWholeFileAfterTheHeadersTheApplicationSet() throws Exception {
    String content = "0123456789".repeat(10_000);
    TestServer server = start(sending(file(content).toString(), 0, null));

    TestResponse response = server.get("/").send();

    assertEquals(200, response.status());
    assertEquals("sent", response.header("X-File"));
    assertEquals(content, response.bodyAsText());
  }

  @Test
  void sendFileSendsARange() throws Exception {
    TestServer server = start(sending(file("0123456789").toString(), 2, 5L));

    assertEquals("23456", server.get("/").send().bodyAsText());
  }

  @Test
  void sendFileSendsToTheEndWhenTheCountIsNull() throws Exception {
    TestServer server = start(sending(file("0123456789").toString(), 7, null));

    assertEquals("789", server.get("/").send().bodyAsText());
  }

  @Test
  void sendFileOfAMissingFileFailsItsStageBeforeAnythingIsSent() throws Exception {
    Path dir = java.util.Objects.requireNonNull(directory, "directory");
    TestServer server = start(sending(dir.resolve("missing.txt").toString(), 0, null));

    TestResponse response = server.get("/").send();

    assertEquals(404, response.status());
    assertEquals("NoSuchFileException", response.bodyAsText());
  }

  @Test
  void sendFileOfARangeOutsideTheFileFailsItsStageBeforeAnythingIsSent() throws Exception {
    TestServer server = start(sending(file("0123").toString(), 2, 3L));

    TestResponse response = server.get("/").send();

    assertEquals(416, response.status());
    assertEquals("IllegalArgumentException", response.bodyAsText());
  }

  /** The answer to a sendfile call whose arguments break a rule: the failure and its message. */
  private TestResponse refused(String path, long offset, @Nullable Long count) {
    TestServer server =
        servers.start(
            UnaryOperator.identity(),
            builder ->
                builder.run(
                    sending(
                        path,
                        offset,
                        count,
                        failure ->
                            failure.getClass().getSimpleName() + ": " + failure.getMessage())));
    return server.get("/").send();
  }

  @Test
  void sendFileOfADirectoryFailsWithIllegalArgumentExceptionNamingThePath() {
    Path dir = java.util.Objects.requireNonNull(directory, "directory");

    TestResponse response = refused(dir.toString(), 0, null);

    assertEquals(416, response.status());
    assertEquals(
        "IllegalArgumentException: sendfile path must name a regular file, got \"" + dir + "\"",
        response.bodyAsText());
  }

  @Test
  void sendFileWithANegativeOffsetFailsNamingTheOffset() throws Exception {
    TestResponse response = refused(file("0123").toString(), -1, null);

    assertEquals(416, response.status());
    assertEquals(
        "IllegalArgumentException: sendfile offset must be >= 0, got -1", response.bodyAsText());
  }

  @Test
  void sendFileWithANegativeCountFailsNamingTheCount() throws Exception {
    TestResponse response = refused(file("0123").toString(), 0, -1L);

    assertEquals(416, response.status());
    assertEquals(
        "IllegalArgumentException: sendfile count must be >= 0 or null, got -1",
        response.bodyAsText());
  }

  @Test
  void sendFileWithAnOffsetPastTheEndFailsNamingTheOffset() throws Exception {
    TestResponse response = refused(file("0123").toString(), 5, null);

    assertEquals(416, response.status());
    assertEquals(
        "IllegalArgumentException: sendfile offset must be within the file of 4 bytes, got 5",
        response.bodyAsText());
  }

  @Test
  void sendFileWithACountPastTheEndFailsNamingTheRange() throws Exception {
    TestResponse response = refused(file("0123").toString(), 2, 3L);

    assertEquals(416, response.status());
    assertEquals(
        "IllegalArgumentException: sendfile range must lie within the file of 4 bytes, got offset"
            + " 2 and count 3",
        response.bodyAsText());
  }

  @Test
  void sendFileFromTheEndOfTheFileSendsNothing() throws Exception {
    TestServer server = start(sending(file("0123").toString(), 4, null));

    TestResponse response = server.get("/").send();

    assertEquals(200, response.status());
    assertEquals("", response.bodyAsText());
  }

  @Test
  void anOpaqueUpgradeCarriesRawBytesBothWays() throws IOException {
    TestServer server =
        start(
            env -> {
              ((OpaqueUpgrade) env.get(OpaqueKeys.UPGRADE))
                  .upgrade(
                      null,
                      opaque -> {
                        OpaqueStream stream = (OpaqueStream) opaque.get(OpaqueKeys.STREAM);
                        return CompletableFuture.runAsync(
                            () -> {
                              try {
                                stream.input().transferTo(stream.output());
                                stream.output().flush();
                              } catch (IOException e) {
                                throw new UncheckedIOException(e);
                              }
                            });
                      });
              return CompletableFuture.completedFuture(null);
            });

    try (OpaqueConnection connection = server.upgrade("/raw", "echo")) {
      assertEquals(101, connection.handshakeResponse().status());
      connection.output().write("raw bytes".getBytes(UTF_8));
      connection.output().close();
      assertEquals("raw bytes", new String(connection.input().readAllBytes(), UTF_8));
    }
  }

  @Test
  void anOpaqueUpgradeAfterTheResponseStartedIsRefusedWithTheSameAnswerOnEveryHost() {
    TestServer server =
        start(
            env -> {
              OpaqueUpgradeFeature feature =
                  OwinFeatureCollection.of(env).get(OpaqueUpgradeFeature.class);
              OwinContext context = OwinContext.of(env);
              try {
                context.writeText("started;");
                context.responseBody().flush();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              try {
                java.util.Objects.requireNonNull(feature, "feature").upgrade(null);
                return context.writeTextAsync("upgraded");
              } catch (IllegalStateException refused) {
                return context.writeTextAsync(String.valueOf(refused.getMessage()));
              }
            });

    UpgradeDeniedException denied =
        assertThrows(UpgradeDeniedException.class, () -> server.upgrade("/raw", "echo"));

    assertEquals(200, denied.response().status());
    assertEquals(
        "started;OpaqueUpgradeFeature.upgrade must be called before the response starts, and it"
            + " has started",
        denied.response().bodyAsText());
  }

  @Test
  void anUpgradeTheApplicationDeclinesIsAnOrdinaryResponse() {
    TestServer server =
        start(
            env -> {
              env.put(OwinKeys.RESPONSE_STATUS_CODE, 400);
              return OwinContext.of(env).writeTextAsync("no upgrade here");
            });

    UpgradeDeniedException denied =
        assertThrows(UpgradeDeniedException.class, () -> server.upgrade("/raw", "echo"));

    assertEquals(400, denied.response().status());
  }
}
