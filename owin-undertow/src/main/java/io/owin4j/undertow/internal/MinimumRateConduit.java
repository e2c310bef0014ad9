package io.owin4j.undertow.internal;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Cuts a request body that arrives slower than a minimum average rate once a grace period passed:
 * the read fails and the connection closes. A client that sends nothing at all is the read
 * timeout's business; this catches the one that trickles a byte now and then to keep it at bay.
 * Only a read that finds nothing waiting is checked, so an application that reads slowly is never
 * taken for a slow client.
 *
 * <p>Checked on every read, so on the thread that reads the body; one reader at a time.
 */
final class MinimumRateConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
  private final HttpServerExchange exchange;
  private final long minBytesPerSecond;
  private final long graceNanos;
  private long start;
  private long received;
  private boolean ended;

  MinimumRateConduit(
      StreamSourceConduit next,
      HttpServerExchange exchange,
      long minBytesPerSecond,
      long graceMillis) {
    super(next);
    this.exchange = exchange;
    this.minBytesPerSecond = minBytesPerSecond;
    this.graceNanos = TimeUnit.MILLISECONDS.toNanos(graceMillis);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return (int) counted(next.read(dst));
  }

  @Override
  public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
    return counted(next.read(dsts, offs, len));
  }

  @Override
  public long transferTo(long position, long count, FileChannel target) throws IOException {
    return counted(next.transferTo(position, count, target));
  }

  @Override
  public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target)
      throws IOException {
    return counted(next.transferTo(count, throughBuffer, target));
  }

  private long counted(long read) throws IOException {
    long now = System.nanoTime();
    if (start == 0) {
      start = now;
    }
    if (read < 0) {
      ended = true;
      return read;
    }
    received += read;
    long elapsed = now - start;
    // Only when the client is behind: bytes waiting mean the reader, not the client, sets the pace.
    if (read == 0 && !ended && elapsed > graceNanos) {
      long rate = received * 1_000_000_000L / elapsed;
      if (rate < minBytesPerSecond) {
        IoUtils.safeClose(exchange.getConnection());
        throw new IOException(
            "request body arrives at "
                + rate
                + " bytes/s, below the minimum of "
                + minBytesPerSecond
                + " bytes/s; the connection was closed");
      }
    }
    return read;
  }
}
