package io.owin4j.middleware.websocket;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** The daemon timer thread that sessions share unless an endpoint was given a scheduler. */
final class SharedTimer {
  private SharedTimer() {}

  private static final class Holder {
    static final ScheduledExecutorService TIMER = create();

    private static ScheduledExecutorService create() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(
              1,
              task -> {
                Thread thread = new Thread(task, "owin4j-websocket-timer");
                thread.setDaemon(true);
                return thread;
              });
      // Idle timers are cancelled and rescheduled all the time; drop cancelled ones at once.
      timer.setRemoveOnCancelPolicy(true);
      return timer;
    }
  }

  static ScheduledExecutorService get() {
    return Holder.TIMER;
  }
}
