package io.owin4j.features;

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
 * <h2>Threading</h2>
 *
 * One writer at a time, as for any {@code OutputStream}.
 */
public final class ResponseBodyStream extends OutputStream {
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

  private void prepare() throws IOException {
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
