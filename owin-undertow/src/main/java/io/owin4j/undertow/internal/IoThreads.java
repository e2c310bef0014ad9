package io.owin4j.undertow.internal;

import org.xnio.XnioIoThread;

/** Tells whether the current thread is one that must never block. */
final class IoThreads {
  private IoThreads() {}

  /**
   * True on any XNIO IO thread, not only the exchange's own: blocking another connection's IO thread
   * is as harmful.
   */
  static boolean isIoThread() {
    return Thread.currentThread() instanceof XnioIoThread;
  }
}
