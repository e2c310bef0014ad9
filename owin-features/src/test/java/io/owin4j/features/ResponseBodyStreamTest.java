package io.owin4j.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.io.AsyncWritable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class ResponseBodyStreamTest {
  private final ResponseStarter starter = new ResponseStarter();
  private final List<String> events = new ArrayList<>();
  private final ByteArrayOutputStream target = new ByteArrayOutputStream();
  private final ResponseBodyStream body = new ResponseBodyStream(recording(target), starter);

  @Test
  void firstWriteStartsTheResponseBeforeTheBytesGoOut() throws IOException {
    starter.onStarting(() -> events.add("on-starting"));
    starter.onStarted(() -> events.add("headers sent"));

    body.write("hi".getBytes(StandardCharsets.UTF_8));

    assertEquals(List.of("on-starting", "headers sent", "write"), events);
    assertEquals("hi", target.toString(StandardCharsets.UTF_8));
  }

  @Test
  void singleByteWriteStartsTheResponse() throws IOException {
    body.write('x');

    assertTrue(starter.hasStarted());
    assertArrayEquals(new byte[] {'x'}, target.toByteArray());
  }

  @Test
  void flushStartsTheResponse() throws IOException {
    body.flush();

    assertTrue(starter.hasStarted());
    assertEquals(List.of("flush"), events);
  }

  @Test
  void laterWritesDoNotRestart() throws IOException {
    starter.onStarted(() -> events.add("headers sent"));

    body.write(1);
    body.write(2);

    assertEquals(List.of("headers sent", "write", "write"), events);
  }

  @Test
  void writeAfterCompleteFailsLoudly() {
    starter.complete();

    IOException e = assertThrows(IOException.class, () -> body.write(1));

    assertEquals(
        "response already completed: cannot write to the body after the request ended",
        e.getMessage());
    assertEquals(0, target.size());
  }

  @Test
  void flushAfterCompleteFails() {
    starter.complete();

    assertThrows(IOException.class, body::flush);
  }

  @Test
  void closeFlushesButDoesNotEndTheResponse() throws IOException {
    body.close();
    body.write(7);

    assertTrue(starter.hasStarted());
    assertFalse(starter.isCompleted());
    assertEquals(List.of("flush", "write"), events);
  }

  @Test
  void closeAfterCompleteIsHarmless() throws IOException {
    starter.complete();

    body.close();

    assertEquals(List.of(), events);
  }

  @Test
  void failingOnStartingCallbackFailsTheWriteAndSendsNothing() {
    IllegalStateException failure = new IllegalStateException("boom");
    starter.onStarting(() -> { throw failure; });

    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> body.write(1));

    assertSame(failure, thrown);
    assertEquals(List.of(), events);
  }

  @Test
  void failureToSendHeadersArrivesAsIOException() {
    IOException cause = new IOException("connection reset");
    starter.onStarted(() -> { throw new UncheckedIOException(cause); });

    IOException thrown = assertThrows(IOException.class, () -> body.write(1));

    assertSame(cause, thrown);
  }

  @Test
  void rejectsOutOfBoundsSlices() {
    assertThrows(IndexOutOfBoundsException.class, () -> body.write(new byte[2], 1, 2));
    assertFalse(starter.hasStarted());
  }

  private OutputStream recording(ByteArrayOutputStream out) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        events.add("write");
        out.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        events.add("write");
        out.write(b, off, len);
      }

      @Override
      public void flush() {
        events.add("flush");
      }

      @Override
      public void close() {
        events.add("close");
      }
    };
  }

  @Test
  void ofAPlainTargetOffersNoAsyncWrites() {
    assertFalse(ResponseBodyStream.of(target, starter) instanceof AsyncWritable);
  }

  @Test
  void ofAnAsyncTargetStartsTheResponseBeforeTheFirstAsyncWrite() {
    AsyncTarget async = new AsyncTarget();
    ResponseBodyStream stream = ResponseBodyStream.of(async, starter);
    starter.onStarting(() -> events.add("on-starting"));

    ((AsyncWritable) stream).writeAsync(ByteBuffer.wrap(new byte[] {1, 2})).toCompletableFuture().join();

    assertEquals(List.of("on-starting", "writeAsync 2"), events);
    assertTrue(starter.hasStarted());
  }

  @Test
  void ofAnAsyncTargetRefusesAsyncWritesAfterTheResponseCompleted() {
    AsyncTarget async = new AsyncTarget();
    AsyncWritable stream = (AsyncWritable) ResponseBodyStream.of(async, starter);
    starter.start();
    starter.complete();

    CompletableFuture<Void> write = stream.writeAsync(ByteBuffer.allocate(1)).toCompletableFuture();
    CompletableFuture<Void> flush = stream.flushAsync().toCompletableFuture();

    assertTrue(write.isCompletedExceptionally());
    assertTrue(flush.isCompletedExceptionally());
    assertEquals(List.of(), events);
  }

  /** A host stream with non-blocking writes that records them. */
  private final class AsyncTarget extends OutputStream implements AsyncWritable {
    @Override
    public void write(int b) {
      events.add("write");
    }

    @Override
    public CompletionStage<Void> writeAsync(ByteBuffer source) {
      events.add("writeAsync " + source.remaining());
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> flushAsync() {
      events.add("flushAsync");
      return CompletableFuture.completedFuture(null);
    }
  }
}
