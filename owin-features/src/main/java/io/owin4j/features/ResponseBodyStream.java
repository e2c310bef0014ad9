package io.owin4j.features;

import io.owin4j.api.io.AsyncWritable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The response body as the application sees it: passes bytes to the host's stream and starts the
 * response on the first write or flush.
 *
 * <p>Before the first byte reaches the target, {@link ResponseStarter#start()} runs the
 * on-starting callbacks and the host's on-started action that sends the status and headers; a
 * failure there fails the write. Once the host called {@link ResponseStarter#complete()}, every
 * write and flush fails with {@link IOException}: nothing is silently dropped after the request
 * ended.
 *
 * <p>{@link #close()} does not end the response: the host ends it when the application's stage
 * completes. Closing only flushes (which starts the response), and leaves the target open; writing
 * after close is still allowed until the response completes. This keeps try-with-resources around a
 * writer harmless.
 *
 * <p>Hosts whose stream also writes without blocking create the body with {@link #of}: the result
 * then implements {@link AsyncWritable} as well, and its non-blocking writes pass the same start
 * and completion checks.
 *
 * <h2>Threading</h2>
 *
 * One writer at a time, as for any {@code OutputStream}.
 */
public sealed class ResponseBodyStream extends OutputStream permits AsyncResponseBodyStream {
  private final OutputStream target;
  private final ResponseStarter starter;

  /**
   * Creates the body stream.
   *
   * @param target the host's stream that carries the bytes to the client
   * @param starter the gate of this response
   */
  public ResponseBodyStream(OutputStream target, ResponseStarter starter) {
    this.target = Objects.requireNonNull(target, "target");
    this.starter = Objects.requireNonNull(starter, "starter");
  }

  /**
   * Creates the body stream over {@code target}; when {@code target} implements {@link
   * AsyncWritable}, so does the result, so middleware finds it with {@code instanceof}.
   *
   * @param target the host's stream that carries the bytes to the client
   * @param starter the gate of this response
   */
  public static ResponseBodyStream of(OutputStream target, ResponseStarter starter) {
    return target instanceof AsyncWritable
        ? new AsyncResponseBodyStream(target, starter)
        : new ResponseBodyStream(target, starter);
  }

  @Override
  public void write(int b) throws IOException {
    prepare();
    target.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    prepare();
    target.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    prepare();
    target.flush();
  }

  /** Flushes, unless the response has completed; never closes the target. */
  @Override
  public void close() throws IOException {
    if (!starter.isCompleted()) {
      flush();
    }
  }

  /** Fails once the response completed; otherwise starts it if it has not started. */
  final void prepare() throws IOException {
    if (starter.isCompleted()) {
      throw new IOException(
          "response already completed: cannot write to the body after the request ended");
    }
    if (!starter.hasStarted()) {
      starter.startForIo();
    }
  }

  @Override
  public String toString() {
    return "ResponseBodyStream{" + starter + "}";
  }
}
