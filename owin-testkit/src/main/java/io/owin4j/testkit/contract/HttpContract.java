package io.owin4j.testkit.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.core.OwinContext;
import io.owin4j.core.host.RequestBodyTooLargeException;
import io.owin4j.testkit.TestResponse;
import io.owin4j.testkit.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every host owes an HTTP application: the request keys, the response rules, the
 * on-sending-headers callbacks, streaming, failures before and after the response started, body
 * limits and cancellation.
 *
 * <p>Subclass it with {@link #host()} returning a builder for the host under test; see the package
 * comment. Each test starts its own server with the linter on, and ends with no request running.
 */
@Timeout(30)
public abstract class HttpContract {
  private final KitServers servers = new KitServers(this::host);

  /**
   * A builder for the host under test, such as {@code TestServer.builder().launcher(...)}; the kit
   * sets the application and the options a test needs.
   */
  protected abstract TestServer.Builder host();

  @AfterEach
  final void closeServers() {
    servers.closeAll();
  }

  private TestServer start(io.owin4j.api.AppFunc app) {
    return servers.start(UnaryOperator.identity(), builder -> builder.run(app));
  }

  private TestServer start(UnaryOperator<TestServer.Builder> options, io.owin4j.api.AppFunc app) {
    return servers.start(options, builder -> builder.run(app));
  }

  private static CompletableFuture<Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  @Test
  void requestKeysArriveWithThePathDecodedAndTheQueryStillEncoded() {
    TestServer server =
        servers.start(
            UnaryOperator.identity(),
            app ->
                app.map(
                    "/keys",
                    branch ->
                        branch.run(
                            env -> {
                              OwinContext context = OwinContext.of(env);
                              return context.writeTextAsync(
                                  String.join(
                                      "|",
                                      context.method(),
                                      context.pathBase(),
                                      context.path(),
                                      context.queryString(),
                                      context.scheme(),
                                      context.protocol(),
                                      String.valueOf(context.requestHeader("Host") != null)));
                            })));

    String[] parts =
        server.get("/keys/a%20b").query("q", "x y").send().bodyAsText().split("\\|", -1);

    assertEquals("GET", parts[0]);
    assertEquals("/keys", parts[1]);
    assertEquals("/a b", parts[2]);
    assertEquals("q=x+y", parts[3].replace("%20", "+"));
    assertEquals("http", parts[4]);
    assertEquals("HTTP/1.1", parts[5]);
    assertEquals("true", parts[6]);
  }

  @Test
  void everyRequestHasItsOwnId() {
    TestServer server = start(env -> OwinContext.of(env).writeTextAsync(
        String.valueOf(env.get(OwinKeys.REQUEST_ID))));

    String first = server.get("/").send().bodyAsText();
    String second = server.get("/").send().bodyAsText();

    assertFalse(first.isEmpty());
    assertNotEquals(first, second);
  }

  @Test
  void aBodyOfKnownLengthArrivesWhole() {
    TestServer server = start(env -> OwinContext.of(env).writeTextAsync(
        OwinContext.of(env).readBodyAsText()));

    assertEquals("é and more", server.post("/").body("é and more", "text/plain").send().bodyAsText());
  }

  @Test
  void aStreamedBodyArrivesWhole() {
    TestServer server = start(env -> OwinContext.of(env).writeTextAsync(
        OwinContext.of(env).readBodyAsText()));
    byte[] body = "x".repeat(100_000).getBytes(UTF_8);

    String echoed =
        server
            .post("/")
            .body(new ByteArrayInputStream(body), "text/plain; charset=utf-8")
            .send()
            .bodyAsText();

    assertEquals(100_000, echoed.length());
  }

  @Test
  void statusHeadersAndBodyReachTheClient() {
    TestServer server =
        start(
            env -> {
              OwinContext context = OwinContext.of(env);
              context.setStatusCode(201);
              context.setResponseHeader("X-Kit", "one");
              context.addResponseHeader("X-Kit", "two");
              return context.writeTextAsync("created");
            });

    TestResponse response = server.get("/").send();

    assertEquals(201, response.status());
    assertEquals(java.util.List.of("one", "two"), response.headers().get("X-Kit"));
    assertEquals("created", response.bodyAsText());
  }

  @Test
  void aResponseTheApplicationNeverStartedIsAnEmpty200() {
    TestServer server = start(env -> done());

    TestResponse response = server.get("/nothing-here").send();

    assertEquals(200, response.status());
    assertEquals("", response.bodyAsText());
    assertNotNull(response.headers());
  }

  @Test
  void aWritePastTheDeclaredContentLengthFailsAndTheBodyStaysWhole() {
    CompletableFuture<Throwable> extraWrite = new CompletableFuture<>();
    TestServer server =
        start(
            env -> {
              OwinContext.of(env).setResponseHeader("Content-Length", "5");
              OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
              body.write("hello".getBytes(UTF_8));
              try {
                body.write('!');
                extraWrite.complete(null);
              } catch (IOException e) {
                extraWrite.complete(e);
              }
              return done();
            });

    TestResponse response = server.get("/").send();

    assertEquals(200, response.status());
    assertEquals("hello", response.bodyAsText());
    Throwable failure = extraWrite.join();
    assertInstanceOf(IOException.class, failure, "a byte past Content-Length was accepted");
    assertTrue(failure.getMessage().contains("Content-Length"), failure.getMessage());
  }

  /**
   * A Content-Length that is not a number declares no length: the writes go through (on Undertow
   * every write failed with a NumberFormatException while the in-memory host took them).
   */
  @Test
  void aContentLengthThatIsNotANumberFailsNoWrite() {
    CompletableFuture<Throwable> writes = new CompletableFuture<>();
    TestServer server =
        start(
            env -> {
              OwinContext.of(env).setResponseHeader("Content-Length", "five");
              OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
              try {
                body.write('h');
                body.write("ello".getBytes(UTF_8));
                writes.complete(null);
              } catch (IOException | RuntimeException e) {
                writes.complete(e);
              }
              return done();
            });

    TestResponse response = server.get("/").send();

    assertNull(writes.join(), "a write failed");
    assertEquals(200, response.status());
    assertEquals("hello", response.bodyAsText());
  }

  @Test
  void aMinimalStageEndsTheExchangeAsAnyStageDoes() {
    TestServer server =
        start(
            env ->
                OwinContext.of(env)
                    .writeTextAsync("written")
                    .thenCompose(ignored -> CompletableFuture.completedStage(null)));
    TestServer failing =
        start(
            builder -> builder.propagateExceptions(false),
            env -> CompletableFuture.failedStage(new IllegalStateException("minimal failure")));

    TestResponse response = server.get("/").send();

    assertEquals(200, response.status());
    assertEquals("written", response.bodyAsText());
    assertEquals(500, failing.get("/").send().status());
  }

  @Test
  void onSendingHeadersRunsLastRegisteredFirstAndTheHeadThenFreezes() {
    TestServer server =
        start(
            env -> {
              OwinContext context = OwinContext.of(env);
              context.onSendingHeaders(
                  () -> context.setResponseHeader("X-Order", "registered-first"));
              context.onSendingHeaders(
                  () -> context.setResponseHeader("X-Order", "registered-last"));
              context.setStatusCode(202);
              context.writeText("accepted");
              try {
                context.setStatusCode(500);
                context.writeText("|status changed after the start");
              } catch (IllegalStateException expected) {
                context.writeText("|frozen");
              }
              return done();
            });

    TestResponse response = server.get("/").send();

    assertEquals(202, response.status());
    assertEquals("registered-first", response.header("X-Order"));
    assertEquals("accepted|frozen", response.bodyAsText());
  }

  @Test
  void onSendingHeadersSeesTheStatusTheApplicationSetLast() {
    TestServer server =
        start(
            env -> {
              OwinContext context = OwinContext.of(env);
              context.onSendingHeaders(
                  () -> context.setResponseHeader("X-Status-Seen", "" + context.statusCode()));
              context.setStatusCode(404);
              return done();
            });

    TestResponse response = server.get("/").send();

    assertEquals(404, response.status());
    assertEquals("404", response.header("X-Status-Seen"));
  }

  @Test
  void aFlushedChunkReachesTheClientBeforeTheApplicationFinishes() throws Exception {
    CountDownLatch firstChunkRead = new CountDownLatch(1);
    TestServer server =
        start(
            env -> {
              OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);
              body.write("first|".getBytes(UTF_8));
              body.flush();
              if (!firstChunkRead.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the client never read the first chunk");
              }
              body.write("second".getBytes(UTF_8));
              return done();
            });

    try (TestResponse response = server.get("/").send()) {
      InputStream body = response.bodyStream();
      assertEquals("first|", new String(body.readNBytes(6), UTF_8));
      firstChunkRead.countDown();
      assertEquals("second", new String(body.readAllBytes(), UTF_8));
    }
  }

  @Test
  void anApplicationFailureReachesTheTest() {
    IllegalStateException boom = new IllegalStateException("boom");
    TestServer server =
        start(
            env -> {
              throw boom;
            });

    assertSame(boom, assertThrows(IllegalStateException.class, () -> server.get("/").send()));
  }

  @Test
  void aFailureBeforeTheStartIsABare500() {
    TestServer server =
        start(
            builder -> builder.propagateExceptions(false),
            env -> {
              OwinContext.of(env).setResponseHeader("X-Secret", "not for the client");
              throw new IllegalStateException("early boom");
            });

    TestResponse response = server.get("/").send();

    assertEquals(500, response.status());
    assertNull(response.header("X-Secret"));
    assertEquals("", response.bodyAsText());
  }

  @Test
  void aFailedStageBeforeTheStartIsABare500Too() {
    TestServer server =
        start(
            builder -> builder.propagateExceptions(false),
            env -> CompletableFuture.failedFuture(new IllegalStateException("failed stage")));

    assertEquals(500, server.get("/").send().status());
  }

  @Test
  void aFailureAfterTheStartAbortsTheResponse() {
    TestServer server =
        start(
            builder -> builder.propagateExceptions(false),
            env -> {
              OwinContext context = OwinContext.of(env);
              context.writeText("partial");
              context.responseBody().flush();
              throw new IllegalStateException("late boom");
            });

    TestResponse response = server.get("/").send();

    assertEquals(200, response.status());
    UncheckedIOException thrown = assertThrows(UncheckedIOException.class, response::bodyAsText);
    assertInstanceOf(IOException.class, thrown.getCause());
  }

  @Test
  void aDeclaredBodyOverTheLimitGets413WithoutRunningTheApplication() {
    CountDownLatch ran = new CountDownLatch(1);
    TestServer server =
        start(
            builder -> builder.maxRequestBodySize(16),
            env -> {
              ran.countDown();
              return done();
            });

    TestResponse response = server.post("/").body("x".repeat(17), "text/plain").send();

    assertEquals(413, response.status());
    assertEquals(1, ran.getCount(), "the application ran");
  }

  @Test
  void aBodyAtTheLimitIsAccepted() {
    TestServer server =
        start(
            builder -> builder.maxRequestBodySize(16),
            env -> OwinContext.of(env).writeTextAsync(OwinContext.of(env).readBodyAsText()));

    assertEquals("x".repeat(16), server.post("/").body("x".repeat(16), "text/plain").send()
        .bodyAsText());
  }

  @Test
  void aStreamedBodyReadPastTheLimitFailsTheReadAndEndsTheConnection() throws Exception {
    CompletableFuture<Throwable> readFailure = new CompletableFuture<>();
    TestServer server =
        start(
            builder -> builder.maxRequestBodySize(1000),
            env -> {
              try {
                OwinContext.of(env).requestBody().readAllBytes();
              } catch (IOException e) {
                readFailure.complete(e);
                throw e;
              }
              return done();
            });

    // The rest of the body cannot be skipped safely, so the host gives up the connection.
    assertThrows(
        UncheckedIOException.class,
        () ->
            server
                .post("/")
                .body(new ByteArrayInputStream(new byte[2000]), "application/octet-stream")
                .send());
    Throwable failure = readFailure.get(10, TimeUnit.SECONDS);
    RequestBodyTooLargeException tooLarge =
        assertInstanceOf(RequestBodyTooLargeException.class, failure);
    assertEquals(1000, tooLarge.limit());
    assertTrue(failure.getMessage().contains("1000"), failure.getMessage());
  }

  @Test
  void closingTheResponseEarlyFiresCallCancelled() throws Exception {
    CountDownLatch cancelled = new CountDownLatch(1);
    TestServer server =
        start(
            env -> {
              CancellationToken token = OwinContext.of(env).callCancelled();
              token.register(cancelled::countDown);
              OutputStream body = OwinContext.of(env).responseBody();
              byte[] chunk = "0123456789".getBytes(UTF_8);
              try {
                while (!token.isCancellationRequested()) {
                  body.write(chunk);
                  body.flush();
                  Thread.sleep(5);
                }
              } catch (IOException writeFailedAfterTheClientLeft) {
                // The cancellation is what the test waits for; the write failing is its cause.
              }
              return done();
            });

    TestResponse response = server.get("/").send();
    response.bodyStream().readNBytes(10);
    response.close();

    assertTrue(cancelled.await(10, TimeUnit.SECONDS), "owin.CallCancelled fired");
  }
}
