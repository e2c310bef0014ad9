package io.owin4j.features;

import io.owin4j.api.features.ResponseBodyFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A {@link ResponseBodyFeature} over a stream and the response's {@link ResponseStarter}.
 *
 * <p>The stream is normally a {@link ResponseBodyStream} over the same starter. {@link #start()}
 * starts the response through the starter without touching the stream, so it also works after
 * middleware replaced the stream. Not thread-safe.
 */
public final class DefaultResponseBodyFeature implements ResponseBodyFeature {
  private final ResponseStarter starter;
  private OutputStream stream;

  /**
   * Creates the body feature.
   *
   * @param stream the body stream shown to the application
   * @param starter the gate of this response
   */
  public DefaultResponseBodyFeature(OutputStream stream, ResponseStarter starter) {
    this.stream = Objects.requireNonNull(stream, "stream");
    this.starter = Objects.requireNonNull(starter, "starter");
  }

  @Override
  public OutputStream stream() {
    return stream;
  }

  @Override
  public void setStream(OutputStream stream) {
    this.stream = Objects.requireNonNull(stream, "stream");
  }

  /**
   * {@inheritDoc}
   *
   * @throws IOException if the host failed to send the headers
   */
  @Override
  public void start() throws IOException {
    starter.startForIo();
  }

  @Override
  public String toString() {
    return "DefaultResponseBodyFeature{" + starter + "}";
  }
}
