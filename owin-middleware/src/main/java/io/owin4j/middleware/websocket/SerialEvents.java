package io.owin4j.middleware.websocket;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs events one at a time, in the order they were posted, on the threads that post them: a
 * thread that posts while no event runs drains the queue; one that posts while another drains only
 * queues. No thread ever waits, so handlers of different sessions calling each other cannot
 * deadlock, and an event posted from inside an event runs after it instead of inside it.
 */
final class SerialEvents {
  private static final System.Logger LOG = System.getLogger(SerialEvents.class.getPackageName());

  private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();

  void post(Runnable event) {
    events.add(event);
    if (pending.getAndIncrement() != 0) {
      return;
    }
    do {
      Runnable next = events.poll();
      try {
        next.run();
      } catch (RuntimeException unexpected) {
        // Events catch what handlers throw; this is a fault of the session itself.
        LOG.log(System.Logger.Level.ERROR, "a WebSocket session event failed", unexpected);
      }
    } while (pending.decrementAndGet() != 0);
  }
}
