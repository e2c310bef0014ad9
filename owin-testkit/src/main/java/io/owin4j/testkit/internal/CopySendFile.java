package io.owin4j.testkit.internal;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.SendFileFeature;
import io.owin4j.core.host.SendFileRange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SendFileFeature} that copies the file region into the response body: there is no socket
 * in memory to transfer to.
 *
 * <p>The path and range are checked first, by {@link SendFileRange} as on every host, so a missing
 * file ({@link java.nio.file.NoSuchFileException}) or a bad argument ({@link
 * IllegalArgumentException}) fails the stage before anything is sent.
 * Then the call sends the headers and the copy runs on the executor, in chunks, through the host's
 * own body stream (so middleware that replaced the body stream does not see the bytes, as with a
 * real host). A cancellation seen between chunks aborts the request, as the contract says it is
 * fatal.
 */
final class CopySendFile implements SendFileFeature {
  private static final int CHUNK = 16 * 1024;

  private final OutputStream body;
  private final Executor executor;
  private final RequestLifetimeFeature lifetime;

  CopySendFile(OutputStream body, Executor executor, RequestLifetimeFeature lifetime) {
    this.body = body;
    this.executor = executor;
    this.lifetime = lifetime;
  }

  @Override
  public CompletionStage<Void> sendFile(
      String path, long offset, @Nullable Long count, CancellationToken cancel) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(cancel, "cancel");
    SendFileRange range;
    try {
      range = SendFileRange.of(path, offset, count);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (cancel.isCancellationRequested()) {
      return CompletableFuture.failedFuture(new CancellationException("sendfile was cancelled"));
    }
    try {
      body.flush();
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    executor.execute(() -> copy(range.file(), range.offset(), range.length(), cancel, done));
    return done;
  }

  private void copy(
      Path file, long offset, long length, CancellationToken cancel, CompletableFuture<Void> done) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, length)));
      long position = offset;
      long left = length;
      while (left > 0) {
        if (cancel.isCancellationRequested()) {
          lifetime.abort();
          throw new CancellationException("sendfile was cancelled; the request was aborted");
        }
        buffer.clear().limit((int) Math.min(buffer.capacity(), left));
        int read = channel.read(buffer, position);
        if (read < 0) {
          throw new IOException(
              file + " ended at " + position + " while sending; it shrank during the copy");
        }
        body.write(buffer.array(), 0, read);
        position += read;
        left -= read;
      }
      done.complete(null);
    } catch (Throwable t) {
      done.completeExceptionally(t);
    }
  }
}
