package io.owin4j.testkit.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** The testkit's thread pools: daemon threads, so a test left running never holds the JVM. */
final class DaemonThreads {
  private DaemonThreads() {}

  /** A cached pool whose threads are named {@code namePrefix} followed by a running number. */
  static ExecutorService cachedPool(String namePrefix) {
    AtomicInteger threads = new AtomicInteger();
    return Executors.newCachedThreadPool(
        task -> {
          Thread thread = new Thread(task, namePrefix + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
