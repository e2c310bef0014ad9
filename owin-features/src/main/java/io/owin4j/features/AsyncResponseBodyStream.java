package io.owin4j.features;

import io.owin4j.api.io.AsyncWritable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The body over a host stream that also writes without blocking: the non-blocking writes start the
 * response and refuse to run after it completed, exactly as the blocking ones do.
 */
final class AsyncResponseBodyStream extends ResponseBodyStream implements AsyncWritable {
  private final AsyncWritable target;

  AsyncResponseBodyStream(OutputStream target, ResponseStarter starter) {
    super(target, starter);
    this.target = (AsyncWritable) target;
  }

  @Override
  public CompletionStage<Void> writeAsync(ByteBuffer source) {
    Objects.requireNonNull(source, "source");
    try {
      prepare();
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return target.writeAsync(source);
  }

  @Override
  public CompletionStage<Void> flushAsync() {
    try {
      prepare();
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return target.flushAsync();
  }
}
