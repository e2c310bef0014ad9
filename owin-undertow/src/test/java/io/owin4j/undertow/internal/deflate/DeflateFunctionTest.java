package io.owin4j.undertow.internal.deflate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.util.ImmediatePooledByteBuffer;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Inflating what arrives, frame chunk by frame chunk, as Undertow's channel hands it over; the
 * channel is a stand-in that answers only RSV1 and its buffer pool.
 */
class DeflateFunctionTest {
  private static final int CHUNK = 16 * 1024;

  private final DefaultByteBufferPool pool = new DefaultByteBufferPool(false, CHUNK);
  private final StreamSourceFrameChannel message = mock(StreamSourceFrameChannel.class);

  DeflateFunctionTest() {
    WebSocketChannel channel = mock(WebSocketChannel.class);
    when(channel.getBufferPool()).thenReturn(pool);
    when(message.getWebSocketChannel()).thenReturn(channel);
    when(message.getRsv()).thenReturn(4);
  }

  @AfterEach
  void closePool() {
    pool.close();
  }

  /** A message's compressed payload: sync flush, tail dropped. */
  private static byte[] compressed(byte[] data) {
    Deflater deflater = new Deflater(1, true);
    deflater.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[64 * 1024];
    int n;
    do {
      n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      out.write(chunk, 0, n);
    } while (n == chunk.length);
    deflater.end();
    byte[] all = out.toByteArray();
    return Arrays.copyOf(all, all.length - 4);
  }

  /** Hands {@code payload} to {@code function} in network-sized chunks; returns what came out. */
  private byte[] receive(DeflateFunction function, byte[] payload) throws IOException {
    ByteArrayOutputStream inflated = new ByteArrayOutputStream();
    for (int from = 0; from < payload.length; from += CHUNK) {
      int to = Math.min(payload.length, from + CHUNK);
      PooledByteBuffer chunk =
          new ImmediatePooledByteBuffer(ByteBuffer.wrap(Arrays.copyOfRange(payload, from, to)));
      PooledByteBuffer out = function.transformForRead(chunk, message, to == payload.length);
      ByteBuffer buffer = out.getBuffer();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      inflated.writeBytes(bytes);
      out.close();
    }
    return inflated.toByteArray();
  }

  @Test
  void inflatesAMessageThatArrivesInManyChunks() throws IOException {
    byte[] data = new byte[200_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ("owin".charAt(i % 4) + i / 1000 % 7);
    }
    DeflateFunction function = new DeflateFunction(1, 0, false, false, 1 << 20);

    assertArrayEquals(data, receive(function, compressed(data)));
  }

  @Test
  void inflatesNoMoreThanOneBytePastTheMaximum() throws IOException {
    // 32 MiB of zeros deflate to about 32 KiB: a few chunks, each worth megabytes.
    byte[] bomb = compressed(new byte[32 * 1024 * 1024]);
    int max = 100_000;
    DeflateFunction function = new DeflateFunction(1, 0, false, false, max);

    assertEquals(max + 1, receive(function, bomb).length);
  }
}
