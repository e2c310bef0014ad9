package io.owin4j.testkit.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BytePipeTest {
  private final BytePipe pipe = new BytePipe(8, Duration.ofSeconds(5), "the reader");

  @Test
  void readerGetsWhatWasWrittenThenTheEnd() throws IOException {
    pipe.sink().write("hello".getBytes(UTF_8));
    pipe.closeWriter();

    assertArrayEquals("hello".getBytes(UTF_8), pipe.source().readAllBytes());
  }

  @Test
  void writeLargerThanTheCapacityWaitsForTheReader() throws Exception {
    byte[] data = new byte[100];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    CompletableFuture<Void> writing =
        CompletableFuture.runAsync(
            () -> {
              try (OutputStream sink = pipe.sink()) {
                sink.write(data);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });

    assertArrayEquals(data, pipe.source().readAllBytes());
    writing.get();
  }

  @Test
  void readerGetsTheFailureAfterTheBufferedBytes() throws IOException {
    IllegalStateException boom = new IllegalStateException("boom");
    pipe.sink().write('a');
    pipe.fail(boom);
    InputStream source = pipe.source();

    assertEquals('a', source.read());
    assertSame(boom, assertThrows(IllegalStateException.class, source::read));
  }

  @Test
  void ioFailureArrivesAsIs() {
    IOException lost = new IOException("lost");
    pipe.fail(lost);

    assertSame(lost, assertThrows(IOException.class, () -> pipe.source().read()));
  }

  @Test
  void writeAfterTheReaderClosedFailsNamingTheReader() {
    pipe.closeReader();

    IOException thrown = assertThrows(IOException.class, () -> pipe.sink().write('x'));
    assertEquals("the reader closed the stream; nothing more can be written", thrown.getMessage());
  }

  @Test
  void writeAfterTheEndFails() {
    pipe.closeWriter();

    assertThrows(IOException.class, () -> pipe.sink().write('x'));
  }

  @Test
  void closingTheReaderEarlyRunsTheHook() {
    AtomicBoolean ran = new AtomicBoolean();
    pipe.onReaderClosed(() -> ran.set(true));

    pipe.closeReader();

    assertTrue(ran.get());
  }

  @Test
  void closingTheReaderAfterTheEndDoesNotRunTheHook() {
    AtomicBoolean ran = new AtomicBoolean();
    pipe.onReaderClosed(() -> ran.set(true));
    pipe.closeWriter();

    pipe.closeReader();

    assertTrue(!ran.get());
  }

  @Test
  void readTimesOutWhenNothingArrives() {
    BytePipe slow = new BytePipe(8, Duration.ofMillis(20), "the reader");

    assertThrows(SocketTimeoutException.class, () -> slow.source().read());
  }

  @Test
  void capacityMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new BytePipe(0, Duration.ofSeconds(1), "x"));
  }
}
