package io.owin4j.undertow.internal;

import io.owin4j.api.io.AsyncWritable;
import io.owin4j.features.ResponseBodyStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * The {@code owin.ResponseBody} of this host: the shared {@link ResponseBodyStream} for the blocking
 * methods (it starts the response and refuses writes after completion), plus the sink's
 * non-blocking writes, so middleware finds {@link AsyncWritable} with {@code instanceof}.
 *
 * <h2>Threading</h2>
 *
 * As {@link ResponseSink}: one writer at a time, one asynchronous operation pending.
 */
final class ExchangeBodyStream extends OutputStream implements AsyncWritable {
  private final ResponseBodyStream blocking;
  private final ResponseSink sink;

  ExchangeBodyStream(ResponseBodyStream blocking, ResponseSink sink) {
    this.blocking = blocking;
    this.sink = sink;
  }

  @Override
  public void write(int b) throws IOException {
    blocking.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    blocking.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    blocking.flush();
  }

  @Override
  public void close() throws IOException {
    blocking.close();
  }

  @Override
  public CompletionStage<Void> writeAsync(ByteBuffer source) {
    return sink.writeAsync(source);
  }

  @Override
  public CompletionStage<Void> flushAsync() {
    return sink.flushAsync();
  }

  @Override
  public String toString() {
    return "ExchangeBodyStream{" + sink + "}";
  }
}
