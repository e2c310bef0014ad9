package io.owin4j.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What permessage-deflate costs per message without context takeover, as the host compresses:
 * one JSON-like message of {@code size} bytes deflated at {@code level} with a sync flush by a
 * reused (reset) deflater, inflated back by a reused inflater; and what a fresh deflater per message
 * would cost instead. The compressed size of each case is printed at setup. These figures chose the
 * defaults of {@code WebSocketCompression}. Run with {@code owin-benchmarks/jmh.sh DeflateBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DeflateBenchmark {
  @Param({"64", "256", "1024", "4096"})
  public int size;

  @Param({"1", "6"})
  public int level;

  private byte[] message;
  private final byte[] compressed = new byte[64 * 1024];
  private final byte[] inflated = new byte[64 * 1024];
  private int compressedLength;
  private Deflater deflater;
  private Inflater inflater;

  /** JSON-like text of exactly {@code size} bytes, the first message ws-load.js sends. */
  static byte[] json(int size) {
    StringBuilder text = new StringBuilder("[");
    for (long id = 0; text.length() < size; id++) {
      text.append("{\"id\":").append(id).append(",\"name\":\"user").append(id * 7919 % 10007);
      text.append("\",\"active\":").append(id * 31 % 3 == 0);
      text.append(",\"score\":").append(id * 7727 % 100003).append("},");
    }
    return text.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  @Setup(Level.Trial)
  public void setUp() {
    message = json(size);
    deflater = new Deflater(level, true);
    inflater = new Inflater(true);
    compressedLength = deflateReused();
    System.out.printf(
        "%n  size %d level %d: compressed to %d bytes%n", size, level, compressedLength);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    deflater.end();
    inflater.end();
  }

  /** Deflates one message with the reset deflater the host lends per message. */
  @Benchmark
  public int deflateReused() {
    deflater.reset();
    deflater.setInput(message);
    return deflater.deflate(compressed, 0, compressed.length, Deflater.SYNC_FLUSH);
  }

  /** Deflates one message with a deflater made for it, as a naive per-message design would. */
  @Benchmark
  public int deflateFresh() {
    Deflater fresh = new Deflater(level, true);
    try {
      fresh.setInput(message);
      return fresh.deflate(compressed, 0, compressed.length, Deflater.SYNC_FLUSH);
    } finally {
      fresh.end();
    }
  }

  /** Inflates one message (the tail of the sync flush is still on it) with a reset inflater. */
  @Benchmark
  public int inflateReused() throws DataFormatException {
    inflater.reset();
    inflater.setInput(compressed, 0, compressedLength);
    return inflater.inflate(inflated);
  }
}
