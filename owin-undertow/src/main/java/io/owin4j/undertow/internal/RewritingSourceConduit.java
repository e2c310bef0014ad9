package io.owin4j.undertow.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/**
 * A source conduit whose {@link #read(ByteBuffer)} gives other bytes than the conduit beneath it
 * (a decoded body, frames put together): scattering reads and transfers go through that read, so
 * that no byte reaches the reader around it.
 */
abstract class RewritingSourceConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {
  RewritingSourceConduit(StreamSourceConduit next) {
    super(next);
  }

  @Override
  public abstract int read(ByteBuffer dst) throws IOException;

  /** Fills the first buffer with room, as one {@link #read(ByteBuffer)}. */
  @Override
  public final long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
    for (int i = offs; i < offs + len; i++) {
      if (dsts[i].hasRemaining()) {
        return read(dsts[i]);
      }
    }
    return 0;
  }

  @Override
  public final long transferTo(long position, long count, FileChannel target) throws IOException {
    return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
  }

  @Override
  public final long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target)
      throws IOException {
    return Conduits.transfer(this, count, throughBuffer, target);
  }
}
