package io.owin4j.undertow.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.connector.PooledByteBuffer;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
  private final BufferPool pool = new BufferPool(1024, 2);

  @Test
  void returnedBufferIsReusedCleared() {
    PooledByteBuffer first = pool.allocate();
    ByteBuffer buffer = first.getBuffer();
    buffer.put((byte) 1);
    first.close();

    PooledByteBuffer second = pool.allocate();

    assertSame(buffer, second.getBuffer());
    assertEquals(0, second.getBuffer().position());
    assertEquals(1024, second.getBuffer().limit());
    assertTrue(second.getBuffer().isDirect());
  }

  @Test
  void buffersBeyondTheLimitAreLeftToTheGarbageCollector() {
    PooledByteBuffer a = pool.allocate();
    PooledByteBuffer b = pool.allocate();
    PooledByteBuffer c = pool.allocate();

    a.close();
    b.close();
    c.close();

    assertEquals(2, pool.pooled());
  }

  @Test
  void closingTwiceReturnsTheBufferOnce() {
    PooledByteBuffer a = pool.allocate();
    a.close();
    a.close();

    assertEquals(1, pool.pooled());
    assertFalse(a.isOpen());
    assertThrows(IllegalStateException.class, a::getBuffer);
  }

  @Test
  void bufferReturnedAfterThePoolClosedIsDropped() {
    PooledByteBuffer a = pool.allocate();
    pool.close();

    a.close();

    assertEquals(0, pool.pooled());
    IllegalStateException e = assertThrows(IllegalStateException.class, pool::allocate);
    assertEquals("buffer pool is closed", e.getMessage());
  }
}
