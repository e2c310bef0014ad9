package io.owin4j.undertow.internal;

import io.owin4j.api.io.AsyncReadable;
import io.owin4j.core.host.RequestBodyTooLargeException;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.protocol.http.HttpContinue;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.xnio.channels.StreamSourceChannel;

/**
 * The request body ({@code owin.RequestBody}): a blocking {@link InputStream} that also reads
 * without blocking ({@link AsyncReadable}).
 *
 * <p>A blocking read waits for bytes on a worker thread; on an IO thread it returns bytes that
 * already arrived and fails with {@link IllegalStateException} when it would have to wait. The first
 * read answers a client's {@code Expect: 100-continue}. Reaching the end tells the lifetime feature
 * (which may then watch the connection); a failed read faults the request, cancelling {@code
 * owin.CallCancelled}. A body larger than the server's maximum fails the read with an {@link
 * IOException}. Closing the stream does nothing: the host drains what is left when the exchange
 * ends.
 *
 * <h2>Threading</h2>
 *
 * One reader at a time; at most one read (blocking or not) pending.
 */
final class RequestBody extends InputStream implements AsyncReadable {
  private final HttpServerExchange exchange;
  private final ExchangeLifetimeFeature lifetime;
  private @Nullable StreamSourceChannel channel;
  private @Nullable CompletableFuture<Integer> pending;
  private boolean continueHandled;
  private boolean ended;
  private long delivered;

  RequestBody(HttpServerExchange exchange, ExchangeLifetimeFeature lifetime) {
    this.exchange = exchange;
    this.lifetime = lifetime;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n == -1 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    checkNoPendingRead();
    if (len == 0) {
      return 0;
    }
    StreamSourceChannel ch = channel();
    if (ch == null) {
      return -1;
    }
    boolean ioThread = IoThreads.isIoThread();
    if (!continueHandled) {
      if (ioThread) {
        sendContinueAsync();
      } else {
        sendContinueBlocking();
      }
    }
    ByteBuffer target = ByteBuffer.wrap(b, off, len);
    try {
      while (true) {
        int n = ch.read(target);
        if (n != 0) {
          return counted(n);
        }
        if (ioThread) {
          throw new IllegalStateException(
              "owin.RequestBody read would block an IO thread: read with AsyncReadable.readAsync,"
                  + " or run the application with Dispatch.WORKER");
        }
        ch.awaitReadable();
      }
    } catch (IOException e) {
      lifetime.fault();
      throw translated(e);
    }
  }

  @Override
  public CompletionStage<Integer> readAsync(ByteBuffer destination) {
    Objects.requireNonNull(destination, "destination");
    checkNoPendingRead();
    if (destination.isReadOnly()) {
      throw new IllegalArgumentException("readAsync destination must be writable, got read-only");
    }
    CompletableFuture<Integer> result = new CompletableFuture<>();
    pending = result;
    if (continueHandled) {
      readWhenReady(destination, result);
    } else {
      continueHandled = true;
      if (!HttpContinue.requiresContinueResponse(exchange)) {
        readWhenReady(destination, result);
      } else {
        HttpContinue.sendContinueResponse(
            exchange,
            new IoCallback() {
              @Override
              public void onComplete(HttpServerExchange exchange, @Nullable Sender sender) {
                readWhenReady(destination, result);
              }

              @Override
              public void onException(
                  HttpServerExchange exchange, @Nullable Sender sender, IOException exception) {
                lifetime.fault();
                result.completeExceptionally(exception);
              }
            });
      }
    }
    return result.copy();
  }

  private void readWhenReady(ByteBuffer destination, CompletableFuture<Integer> result) {
    StreamSourceChannel ch;
    try {
      ch = channel();
      if (ch == null || !destination.hasRemaining()) {
        result.complete(ch == null ? -1 : 0);
        return;
      }
      int n = ch.read(destination);
      if (n != 0) {
        result.complete(counted(n));
        return;
      }
    } catch (IOException | RuntimeException e) {
      lifetime.fault();
      result.completeExceptionally(e instanceof IOException io ? translated(io) : e);
      return;
    }
    ch.getReadSetter()
        .set(
            c -> {
              try {
                int n = c.read(destination);
                if (n == 0) {
                  return;
                }
                c.suspendReads();
                c.getReadSetter().set(null);
                result.complete(counted(n));
              } catch (IOException | RuntimeException e) {
                c.suspendReads();
                c.getReadSetter().set(null);
                lifetime.fault();
                result.completeExceptionally(e instanceof IOException io ? translated(io) : e);
              }
            });
    ch.resumeReads();
  }

  /** Undertow's failure for a body over the limit, as every host reports it. */
  private IOException translated(IOException e) {
    return e instanceof RequestTooBigException
        ? new RequestBodyTooLargeException(exchange.getMaxEntitySize(), e)
        : e;
  }

  private int counted(int n) throws IOException {
    if (n > 0) {
      delivered += n;
    }
    if (n == -1 && !ended) {
      long declared = exchange.getRequestContentLength();
      if (declared >= 0 && delivered < declared) {
        // Undertow ends the request channel when the connection closes or times out: a body cut
        // short must fail, not look complete.
        lifetime.fault();
        throw new EOFException(
            "request body ended after "
                + delivered
                + " of its "
                + declared
                + " declared bytes: the connection closed or timed out");
      }
      ended = true;
      lifetime.requestBodyEnded();
    }
    return n;
  }

  /** The request channel, or null when the request has no body (left) to read. */
  private @Nullable StreamSourceChannel channel() throws IOException {
    StreamSourceChannel ch = channel;
    if (ch != null) {
      return ch;
    }
    if (exchange.isRequestComplete()) {
      counted(-1);
      return null;
    }
    ch = exchange.getRequestChannel();
    if (ch == null) {
      throw new IllegalStateException(
          "owin.RequestBody is unavailable: another handler already took the request channel");
    }
    channel = ch;
    return ch;
  }

  private void sendContinueBlocking() throws IOException {
    continueHandled = true;
    if (HttpContinue.requiresContinueResponse(exchange)) {
      HttpContinue.ContinueResponseSender sender = HttpContinue.createResponseSender(exchange);
      while (!sender.send()) {
        sender.awaitWritable();
      }
    }
  }

  private void sendContinueAsync() {
    continueHandled = true;
    if (HttpContinue.requiresContinueResponse(exchange)) {
      HttpContinue.sendContinueResponse(
          exchange,
          new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange exchange, @Nullable Sender sender) {}

            @Override
            public void onException(
                HttpServerExchange exchange, @Nullable Sender sender, IOException exception) {
              lifetime.fault();
            }
          });
    }
  }

  private void checkNoPendingRead() {
    CompletableFuture<Integer> p = pending;
    if (p != null && !p.isDone()) {
      throw new IllegalStateException(
          "owin.RequestBody already has a read pending: wait for its stage before reading again");
    }
  }

  /** Does nothing: the host drains the rest of the body when the exchange ends. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "RequestBody{" + (ended ? "ended" : "open") + "}";
  }
}
