package io.owin4j.api.io;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * A stream that can be written without blocking: implemented by host response bodies and opaque
 * outputs that support it.
 *
 * <h2>Threading</h2>
 *
 * At most one write or flush may be pending at a time; a second fails with {@link
 * IllegalStateException}. The first write or flush starts the response exactly as a blocking write
 * does. The stage may complete on an IO thread: do not block in its continuations.
 */
public interface AsyncWritable {
  /** Writes all of {@code source} (from position to limit); the stage completes once it is taken. */
  CompletionStage<Void> writeAsync(ByteBuffer source);

  /** Flushes what was written so far to the network. */
  CompletionStage<Void> flushAsync();
}
