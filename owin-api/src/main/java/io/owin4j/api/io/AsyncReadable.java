package io.owin4j.api.io;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * A stream that can be read without blocking: implemented by host request bodies and opaque inputs
 * that support it.
 *
 * <pre>{@code
 * InputStream body = (InputStream) env.get(OwinKeys.REQUEST_BODY);
 * if (body instanceof AsyncReadable readable) {
 *   return readable.readAsync(buffer).thenCompose(n -> ...);
 * }
 * }</pre>
 *
 * <h2>Threading</h2>
 *
 * At most one read (blocking or not) may be pending at a time; a second fails with {@link
 * IllegalStateException}. The stage may complete on an IO thread: do not block in its
 * continuations.
 */
public interface AsyncReadable {
  /**
   * Reads into {@code destination} from its position; the position advances by the count.
   *
   * @return the number of bytes read, at least 1 when the buffer has room, or -1 at end of stream
   */
  CompletionStage<Integer> readAsync(ByteBuffer destination);
}
