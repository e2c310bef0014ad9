package io.owin4j.undertow.internal;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.SendFileFeature;
import io.owin4j.core.host.SendFileRange;
import io.owin4j.features.ResponseStarter;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;

/**
 * Sends files as response body ({@code sendfile.SendAsync}).
 *
 * <p>The file and range are checked before anything is sent, by {@link SendFileRange} as on every
 * host. Then the response starts (on-starting callbacks,
 * status and the headers the application set, such as Content-Length or Content-Range), the body
 * written so far goes out, and the range follows it, through a {@link FileTransfer}.
 *
 * <p>The transfer is zero-copy on a plain HTTP/1.x connection whose response has a known length (or
 * is HTTP/1.0); it copies through a pooled direct buffer under TLS, over HTTP/2 and for a chunked
 * response, so the file never enters the heap either way. Cancellation stops the transfer promptly
 * and aborts the request. Not thread-safe, like every feature.
 */
final class ExchangeSendFileFeature implements SendFileFeature {
  private final HttpServerExchange exchange;
  private final ResponseStarter starter;
  private final ResponseSink sink;
  private final RequestLifetimeFeature lifetime;

  ExchangeSendFileFeature(
      HttpServerExchange exchange,
      ResponseStarter starter,
      ResponseSink sink,
      RequestLifetimeFeature lifetime) {
    this.exchange = exchange;
    this.starter = starter;
    this.sink = sink;
    this.lifetime = lifetime;
  }

  @Override
  public CompletionStage<Void> sendFile(
      String path, long offset, @Nullable Long count, CancellationToken cancel) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(cancel, "cancel");
    FileChannel file = null;
    try {
      SendFileRange range = SendFileRange.of(path, offset, count);
      cancel.throwIfCancellationRequested();
      file = FileChannel.open(range.file(), StandardOpenOption.READ);
      starter.start();
      FileTransfer transfer = new FileTransfer(file, range.offset(), range.length());
      file = null;
      CancellationToken.Registration cancellation =
          cancel.register(
              () -> {
                if (transfer.cancel()) {
                  lifetime.abort();
                }
              });
      CompletableFuture<Void> sent =
          sink.thenUseChannel(channel -> transfer.start(channel, copyThrough()));
      sent.whenComplete(
          (ignored, failure) -> {
            cancellation.close();
            transfer.release();
          });
      return sent;
    } catch (IOException | RuntimeException e) {
      IoUtils.safeClose(file);
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The pool to copy through, or null when the channel can take the file zero-copy. */
  private @Nullable ByteBufferPool copyThrough() {
    boolean plainHttp1 =
        exchange.getConnection() instanceof HttpServerConnection connection
            && connection.getSslSessionInfo() == null;
    // The response channel exists now, so Undertow has chosen chunked encoding or not.
    boolean chunked = exchange.getResponseHeaders().contains(Headers.TRANSFER_ENCODING);
    return plainHttp1 && !chunked ? null : exchange.getConnection().getByteBufferPool();
  }

  @Override
  public String toString() {
    return "ExchangeSendFileFeature{" + exchange.getRequestURI() + "}";
  }
}
