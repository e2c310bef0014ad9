package io.owin4j.undertow.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The header block guard over a connection that delivers its bytes in pieces of every size, read
 * into buffers of every size: what comes out is the same stream with each header block as one
 * HEADERS frame, however the bytes were cut.
 */
class Http2HeaderBlocksTest {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private static byte[] frame(int type, int flags, int stream, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(payload.length >>> 16);
    out.write(payload.length >>> 8);
    out.write(payload.length);
    out.write(type);
    out.write(flags);
    out.writeBytes(new byte[] {(byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static byte[] bytes(int length, int seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** A connection that gives its bytes in pieces cut by {@code random}, then ends. */
  private static StreamSourceConduit connection(byte[] input, Random random) throws IOException {
    StreamSourceConduit source = mock(StreamSourceConduit.class);
    int[] at = {0};
    when(source.read(any(ByteBuffer.class)))
        .thenAnswer(
            call -> {
              ByteBuffer dst = call.getArgument(0);
              if (at[0] == input.length) {
                return -1;
              }
              if (random.nextInt(4) == 0) {
                return 0; // nothing this time
              }
              int n = Math.min(Math.min(dst.remaining(), 1 + random.nextInt(40)), input.length - at[0]);
              dst.put(input, at[0], n);
              at[0] += n;
              return n;
            });
    return source;
  }

  /** Everything a reader with buffers of random sizes gets from the guard over {@code input}. */
  private static byte[] readAll(byte[] input, long seed, int maxContinuations, int maxBlock)
      throws IOException {
    Random random = new Random(seed);
    Http2HeaderBlocks blocks =
        new Http2HeaderBlocks(connection(input, random), maxContinuations, maxBlock);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int reads = 0; reads < 1_000_000; reads++) {
      ByteBuffer dst = ByteBuffer.allocate(1 + random.nextInt(64));
      int n = blocks.read(dst);
      if (n < 0) {
        return out.toByteArray();
      }
      assertEquals(dst.position(), n, "the count read");
      out.write(dst.array(), 0, n);
    }
    throw new AssertionError("never ended");
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void headerBlocksComeOutAsOneFrameAndEverythingElseUnchanged(long seed) throws IOException {
    byte[] fragment1 = bytes(300, 1);
    byte[] fragment2 = bytes(40, 2);
    byte[] fragment3 = bytes(0, 3);
    byte[] fragment4 = bytes(77, 4);
    byte[] priority = {0, 0, 0, 3, 15};
    byte[] data = bytes(500, 5);
    byte[] settings = frame(0x4, 0, 0, new byte[0]);
    byte[] whole = frame(0x1, 0x5, 1, bytes(60, 6)); // END_STREAM | END_HEADERS: not held
    byte[] paddedWithPriority =
        frame(0x1, 0x8 | 0x20 | 0x1, 3, concat(new byte[] {9}, priority, fragment1, new byte[9]));
    byte[] input =
        concat(
            PREFACE,
            settings,
            whole,
            paddedWithPriority,
            frame(0x9, 0, 3, fragment2),
            frame(0x9, 0, 3, fragment3),
            frame(0x9, 0x4, 3, fragment4),
            frame(0x0, 0x1, 1, data),
            frame(0x1, 0, 5, fragment2),
            frame(0x9, 0x4, 5, fragment1));
    byte[] expected =
        concat(
            PREFACE,
            settings,
            whole,
            frame(0x1, 0x20 | 0x1 | 0x4, 3, concat(priority, fragment1, fragment2, fragment4)),
            frame(0x0, 0x1, 1, data),
            frame(0x1, 0x4, 5, concat(fragment2, fragment1)));

    byte[] output = readAll(input, seed, 16, 32 * 1024);

    assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(output));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void http11PassesUnchanged(long seed) throws IOException {
    byte[] input =
        concat(
            "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 33\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1),
            frame(0x1, 0, 1, new byte[0]),
            frame(0x9, 0, 1, bytes(6, 7)));
    assertArrayEquals(input, readAll(input, seed, 16, 32 * 1024));
  }

  private static final byte[] REFUSAL = {0, 0, 0, 0x9, 0x4, 0, 0, 0, 1};

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void aBlockPastTheLimitsIsReplacedByTheRefusalAndTheRestIsDropped(long seed) throws IOException {
    byte[] before = concat(PREFACE, frame(0x4, 0, 0, new byte[0]), frame(0x1, 0x5, 1, bytes(20, 1)));
    byte[] tooMany = frame(0x1, 0, 3, bytes(20, 2));
    for (int i = 0; i < 5; i++) {
      tooMany = concat(tooMany, frame(0x9, 0, 3, new byte[0]));
    }
    byte[] after = frame(0x0, 0x1, 1, bytes(100, 3));
    assertEquals(
        HexFormat.of().formatHex(concat(before, REFUSAL)),
        HexFormat.of().formatHex(readAll(concat(before, tooMany, after), seed, 4, 32 * 1024)));

    byte[] tooLong = concat(frame(0x1, 0, 3, bytes(600, 2)), frame(0x9, 0x4, 3, bytes(500, 4)));
    assertEquals(
        HexFormat.of().formatHex(concat(before, REFUSAL)),
        HexFormat.of().formatHex(readAll(concat(before, tooLong, after), seed, 4, 1_000)));

    byte[] interleaved = concat(frame(0x1, 0, 3, bytes(60, 2)), frame(0x6, 0, 0, new byte[8]));
    assertEquals(
        HexFormat.of().formatHex(concat(before, REFUSAL)),
        HexFormat.of().formatHex(readAll(concat(before, interleaved, after), seed, 4, 1_000)));
  }

  @Test
  void aBlockThatNeverEndsIsDroppedWithTheConnection() throws IOException {
    byte[] before = concat(PREFACE, frame(0x4, 0, 0, new byte[0]));
    byte[] open = concat(frame(0x1, 0x1, 1, bytes(30, 1)), frame(0x9, 0, 1, bytes(10, 2)));
    byte[] output = readAll(concat(before, open), 1, 16, 32 * 1024);
    assertArrayEquals(before, output);
  }
}
