package io.owin4j.undertow.internal.deflate;

import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;
import org.xnio.XnioIoThread;

/**
 * Deflaters and inflaters lent out for one message at a time, so that a connection holds none while
 * it is idle.
 *
 * <p>An IO thread keeps one deflater per level and one inflater, reset between messages: a deflater
 * holds about 256 KiB of native memory and costs more to set up than a small message costs to
 * compress ({@code DeflateBenchmark}), so making one per message would be slow and keeping one per
 * connection would be large. The cache is
 * bounded by the number of IO threads. Any other thread (an application that sends from its own
 * thread when Undertow flushes there) gets a fresh one that is ended when given back.
 *
 * <p>Whoever takes one gives it back exactly once, on any thread; a message in progress over
 * several frames keeps its own until the message ends, and the thread's slot refills on the next
 * take.
 */
final class ZlibCache {
  private static final ThreadLocal<Slots> SLOTS = ThreadLocal.withInitial(Slots::new);

  private ZlibCache() {}

  /** A raw (no zlib header) deflater of {@code level}, ready for a new message. */
  static Deflater deflater(int level) {
    Slots slots = slots();
    if (slots != null) {
      Deflater cached = slots.deflaters[level];
      if (cached != null) {
        slots.deflaters[level] = null;
        return cached;
      }
    }
    return new Deflater(level, true);
  }

  /** Gives back a deflater of {@code level} that {@link #deflater} lent. */
  static void release(Deflater deflater, int level) {
    Slots slots = slots();
    if (slots != null && slots.deflaters[level] == null) {
      deflater.reset();
      slots.deflaters[level] = deflater;
    } else {
      deflater.end();
    }
  }

  /** A raw (no zlib header) inflater, ready for a new message. */
  static Inflater inflater() {
    Slots slots = slots();
    if (slots != null && slots.inflater != null) {
      Inflater cached = slots.inflater;
      slots.inflater = null;
      return cached;
    }
    return new Inflater(true);
  }

  /** Gives back an inflater that {@link #inflater} lent. */
  static void release(Inflater inflater) {
    Slots slots = slots();
    if (slots != null && slots.inflater == null) {
      inflater.reset();
      slots.inflater = inflater;
    } else {
      inflater.end();
    }
  }

  private static @Nullable Slots slots() {
    return Thread.currentThread() instanceof XnioIoThread ? SLOTS.get() : null;
  }

  /** One IO thread's cache: a deflater per level (index 1 to 9) and an inflater. */
  private static final class Slots {
    final @Nullable Deflater[] deflaters = new Deflater[10];
    @Nullable Inflater inflater;
  }
}
