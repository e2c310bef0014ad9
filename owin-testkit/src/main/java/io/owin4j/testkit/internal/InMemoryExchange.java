package io.owin4j.testkit.internal;

import io.owin4j.core.host.HttpSyntax;
import io.owin4j.api.ext.OpaqueStream;
import io.owin4j.api.features.OpaqueUpgradeFeature;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.core.OwinHosting;
import io.owin4j.core.host.ExchangeLifecycle;
import io.owin4j.core.host.ExchangeRules;
import io.owin4j.features.DefaultResponseFeature;
import io.owin4j.testkit.TestResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One request on the in-memory host, from the test's send to the end of the application's stage.
 *
 * <p>The application runs on the host's executor through {@link OwinHosting#invoke}. When the
 * response starts, its head goes to the test ({@link #head}) and its body streams through a bounded
 * {@link BytePipe}. When the stage completes the exchange ends: a response never started is started
 * now, or replaced by the failure (thrown to the test, or a bare 500); the body ends, normally or
 * with the failure; an upgraded connection is closed.
 *
 * <h2>Threading</h2>
 *
 * The application's thread drives the features; the test's thread reads the head and body and may
 * cancel at any time. State shared between them is volatile or guarded by the pipes and futures.
 */
final class InMemoryExchange {
  private static final int SWITCHING_PROTOCOLS = 101;

  private final InMemoryHost host;
  private final OutgoingRequest request;
  private final RequestFeatures parts;
  private final BytePipe body;
  private final CompletableFuture<TestResponse> head = new CompletableFuture<>();
  private final ExchangeRegistry.Running running;
  private volatile @Nullable String acceptedSubProtocol;
  private volatile boolean webSocketAccepted;
  private volatile @Nullable String upgradedProtocol;
  private volatile @Nullable WebSocketPair webSocket;
  private volatile @Nullable OpaquePipes opaque;
  private volatile boolean finished;

  InMemoryExchange(InMemoryHost host, OutgoingRequest request) {
    this.host = host;
    this.request = request;
    this.body = new BytePipe(host.bufferSize(), request.timeout(), "the client");
    this.parts = new RequestFeatures(request, body.sink(), host.capabilities(), host.executor());
    parts.request().setBody(ExchangeRules.limited(parts.request().body(), host.maxRequestBodySize()));
    parts.starter().onStarted(this::headSent);
    // The pipe runs this only when the client closed before the response ended, so it always
    // cancels: the writer may already have failed and finished the exchange by the time it runs.
    body.onReaderClosed(parts.lifetime()::cancel);
    parts.lifetime().token().register(this::connectionLost);
    if (isWebSocketHandshake(request)) {
      parts.features().set(WebSocketFeature.class, new InMemoryWebSocketFeature(this));
    } else if (isUpgradeRequest(request)) {
      parts.features().set(OpaqueUpgradeFeature.class, new InMemoryOpaqueUpgradeFeature(this));
    }
    this.running =
        host.registry().open(request + " (request " + parts.requestId() + ")", this::cancel);
  }

  private static boolean isWebSocketHandshake(OutgoingRequest request) {
    return request.method().equals("GET")
        && HttpSyntax.containsElement(request.header("Connection"), "upgrade")
        && HttpSyntax.containsElement(request.header("Upgrade"), "websocket")
        && request.header("Sec-WebSocket-Key") != null;
  }

  private static boolean isUpgradeRequest(OutgoingRequest request) {
    String upgrade = request.header("Upgrade");
    return HttpSyntax.containsElement(request.header("Connection"), "upgrade")
        && upgrade != null
        && !upgrade.isBlank()
        && !HttpSyntax.containsElement(upgrade, "websocket");
  }

  /**
   * Starts the application; the future completes with the response head, fails with the
   * application's failure when exceptions propagate, and cancelling it cancels the request.
   *
   * @throws IllegalStateException if the host was closed
   */
  CompletableFuture<TestResponse> start() {
    head.whenComplete(
        (response, failure) -> {
          if (head.isCancelled()) {
            cancel();
          }
        });
    if (ExchangeRules.declaredTooLarge(declaredLength(), host.maxRequestBodySize())) {
      head.complete(bare(ExchangeRules.PAYLOAD_TOO_LARGE));
      running.close();
      return head;
    }
    try {
      host.executor().execute(this::run);
    } catch (RejectedExecutionException e) {
      running.close();
      throw new IllegalStateException("the TestServer is closed; " + request + " was not sent", e);
    }
    return head;
  }

  /** The {@code Content-Length} the request declares, or -1. */
  private long declaredLength() {
    byte[] bytes = request.bodyBytes();
    String length = request.header("Content-Length");
    if (length == null) {
      return bytes != null ? bytes.length : -1;
    }
    if (length.isBlank()) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void run() {
    CompletionStage<Void> stage = OwinHosting.invoke(host.app(), parts.features());
    stage.whenComplete((ignored, failure) -> finish(failure));
  }

  /** The request as the test sent it, for the upgrade features. */
  OutgoingRequest request() {
    return request;
  }

  /** The response, for the upgrade features. */
  DefaultResponseFeature response() {
    return parts.response();
  }

  /**
   * Switches to a WebSocket: sets 101 and the handshake headers, then starts the response, which
   * makes the pair.
   */
  CompletionStage<WebSocket> acceptWebSocket(@Nullable String subProtocol, String key) {
    DefaultResponseFeature response = parts.response();
    response.setStatusCode(SWITCHING_PROTOCOLS);
    response.headers().put("Upgrade", new String[] {"websocket"});
    response.headers().put("Connection", new String[] {"Upgrade"});
    response.headers().put("Sec-WebSocket-Accept", new String[] {HttpSyntax.webSocketAccept(key)});
    if (subProtocol != null) {
      response.headers().put("Sec-WebSocket-Protocol", new String[] {subProtocol});
    }
    acceptedSubProtocol = subProtocol;
    webSocketAccepted = true;
    try {
      parts.starter().start();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    WebSocketPair pair = webSocket;
    if (pair == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "the WebSocket handshake failed: an on-starting callback changed the status from"
                  + " 101 to "
                  + response.statusCode()));
    }
    return CompletableFuture.completedFuture(pair.server());
  }

  /** Switches to an opaque stream, as {@link #acceptWebSocket} does. */
  CompletionStage<OpaqueStream> upgradeOpaque(String protocol) {
    DefaultResponseFeature response = parts.response();
    response.setStatusCode(SWITCHING_PROTOCOLS);
    response.headers().put("Upgrade", new String[] {protocol});
    response.headers().put("Connection", new String[] {"Upgrade"});
    upgradedProtocol = protocol;
    try {
      parts.starter().start();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    OpaquePipes pipes = opaque;
    if (pipes == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "the upgrade failed: an on-starting callback changed the status from 101 to "
                  + response.statusCode()));
    }
    return CompletableFuture.completedFuture(pipes.serverStream());
  }

  /** The WebSocket the application accepted, once the 101 went out; else null. */
  @Nullable WebSocketPair webSocket() {
    return webSocket;
  }

  /** The opaque connection the application upgraded to, once the 101 went out; else null. */
  @Nullable OpaquePipes opaque() {
    return opaque;
  }

  /** Runs when the response starts: hands the head to the test. */
  private void headSent() {
    ReceivedResponse sent = parts.responseHead(body.source());
    if (sent.status() == SWITCHING_PROTOCOLS) {
      body.closeWriter();
      if (webSocketAccepted) {
        webSocket =
            new WebSocketPair(
                acceptedSubProtocol, host.bufferSize(), request.timeout(), host.executor());
      } else if (upgradedProtocol != null) {
        opaque = new OpaquePipes(host.bufferSize(), request.timeout(), sent);
      }
    }
    // Not on this thread: it holds the response's start gate, and a test continuing from the
    // future (reading the body, say) must not run inside it.
    try {
      host.executor().execute(() -> head.complete(sent));
    } catch (RejectedExecutionException closing) {
      head.complete(sent);
    }
  }

  /**
   * Ends the exchange once the application's stage (and any upgraded connection's) completed, the
   * way {@link ExchangeLifecycle} decides for every host.
   */
  private void finish(@Nullable Throwable stageFailure) {
    finished = true;
    try {
      ExchangeLifecycle.applicationCompleted(
          new ExchangeLifecycle.Exchange() {
            @Override
            public boolean upgraded() {
              return webSocket != null || opaque != null;
            }

            @Override
            public void upgradeCompleted(@Nullable Throwable failure) {
              boolean propagate = host.propagateExceptions();
              WebSocketPair pair = webSocket;
              if (pair != null) {
                pair.end(failure, propagate);
              }
              OpaquePipes pipes = opaque;
              if (pipes != null) {
                pipes.end(failure, propagate);
              }
            }

            @Override
            public boolean aborted() {
              // A cancelled request ended its response already; what is left ends as usual.
              return false;
            }

            @Override
            public boolean responseStarted() {
              return parts.starter().hasStarted();
            }

            @Override
            public void respond() {
              parts.starter().start();
              body.closeWriter();
            }

            @Override
            public void fault() {
              // The test learns of the failure from the response itself.
            }

            @Override
            public void failBeforeStart(Throwable failure, int status) {
              if (status == ExchangeRules.PAYLOAD_TOO_LARGE) {
                // The rest of the body cannot be skipped safely: a host gives up the connection.
                head.completeExceptionally(
                    new IOException(
                        "the connection was closed: the request body exceeded its limit", failure));
              } else if (host.propagateExceptions()) {
                head.completeExceptionally(new ApplicationFailure(failure));
              } else {
                head.complete(bare(status));
              }
              body.closeWriter();
            }

            @Override
            public void failAfterStart(Throwable failure) {
              body.fail(host.propagateExceptions() ? failure : abortedConnection());
            }

            @Override
            public void end() {
              body.closeWriter();
            }
          },
          stageFailure);
    } finally {
      try {
        parts.starter().complete();
        closeRequestBody();
      } finally {
        running.close();
      }
    }
  }

  /** A response with {@code status} and nothing else, as a host sends it for a failure. */
  private TestResponse bare(int status) {
    return new ReceivedResponse(
        status,
        HttpSyntax.reasonPhrase(status),
        parts.request().protocol(),
        Map.of(),
        InputStream.nullInputStream());
  }

  private static IOException abortedConnection() {
    return new IOException(
        "the connection was aborted: the application failed after the response started");
  }

  private void closeRequestBody() {
    InputStream stream = request.bodyStream();
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("closing the request body stream failed", e);
      }
    }
  }

  /**
   * The client went away (closed the body early, cancelled, or the host shut down): fires {@code
   * owin.CallCancelled}. Does nothing once the exchange finished.
   */
  void cancel() {
    if (!finished) {
      parts.lifetime().cancel();
    }
  }

  /** Runs when the request is aborted, from either side: tears the connection down. */
  private void connectionLost() {
    IOException lost = new IOException("the connection was closed before the response completed");
    if (!head.isDone()) {
      head.completeExceptionally(lost);
    }
    body.fail(lost);
    WebSocketPair pair = webSocket;
    if (pair != null) {
      pair.connectionLost();
    }
    OpaquePipes pipes = opaque;
    if (pipes != null) {
      pipes.lost();
    }
  }

  @Override
  public String toString() {
    return "InMemoryExchange{" + request + ", " + parts.starter() + "}";
  }
}
