package io.owin4j.undertow;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Watches the threads of one server for an uncaught error and applies its {@link
 * FatalErrorPolicy}. Installed as the JVM's default uncaught-exception handler while the server
 * runs, passing every other thread's failure on to the handler that was there before; it acts only
 * for threads whose name starts with the server's worker name.
 */
final class FatalErrors implements Thread.UncaughtExceptionHandler {
  private static final Logger LOG = Logger.getLogger(OwinServer.class.getName());
  static final int EXIT_STATUS = 70;
  private static final long HALT_AFTER_MILLIS = 10_000;

  private final String threadPrefix;
  private final FatalErrorPolicy policy;
  private final OwinServer server;
  private final Thread.@Nullable UncaughtExceptionHandler previous;
  private volatile boolean fired;

  private FatalErrors(String threadPrefix, FatalErrorPolicy policy, OwinServer server) {
    this.threadPrefix = threadPrefix;
    this.policy = policy;
    this.server = server;
    this.previous = Thread.getDefaultUncaughtExceptionHandler();
  }

  /** Installs a watch for the threads named {@code threadPrefix...}. */
  static FatalErrors install(String threadPrefix, FatalErrorPolicy policy, OwinServer server) {
    FatalErrors watch = new FatalErrors(threadPrefix, policy, server);
    Thread.setDefaultUncaughtExceptionHandler(watch);
    return watch;
  }

  /** Removes this watch if it is still the default handler. */
  void uninstall() {
    if (Thread.getDefaultUncaughtExceptionHandler() == this) {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  @Override
  public void uncaughtException(Thread thread, Throwable failure) {
    if (!thread.getName().startsWith(threadPrefix) || fired) {
      if (previous != null) {
        previous.uncaughtException(thread, failure);
      } else {
        System.err.print("Exception in thread \"" + thread.getName() + "\" ");
        failure.printStackTrace();
      }
      return;
    }
    fired = true;
    String message =
        "server thread " + thread.getName() + " died of " + failure + "; fatal-error policy " + policy;
    LOG.log(Level.SEVERE, message, failure);
    // The log may be gone already when the JVM shuts down, and this must be seen.
    System.err.println("owin4j: " + message);
    switch (policy) {
      case EXIT -> exit();
      case STOP -> daemon(() -> server.stop(Duration.ZERO), "owin4j-fatal-stop").start();
    }
  }

  private static void exit() {
    Thread halt =
        daemon(
            () -> {
              try {
                Thread.sleep(HALT_AFTER_MILLIS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              Runtime.getRuntime().halt(EXIT_STATUS);
            },
            "owin4j-fatal-halt");
    halt.start();
    daemon(() -> System.exit(EXIT_STATUS), "owin4j-fatal-exit").start();
  }

  private static Thread daemon(Runnable task, String name) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    return thread;
  }
}
