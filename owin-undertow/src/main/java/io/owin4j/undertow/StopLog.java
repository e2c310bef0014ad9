package io.owin4j.undertow;

import java.util.logging.Logger;

/**
 * Logs what a stopping server must report. A server stopped from a JVM shutdown hook may find
 * java.util.logging already reset by the log manager's own hook (which runs at the same time), so
 * the warning would go nowhere; then it goes to standard error as well.
 */
final class StopLog {
  private StopLog() {}

  static void warning(Logger log, String message) {
    log.warning(message);
    if (shuttingDown() && Logger.getLogger("").getHandlers().length == 0) {
      System.err.println("WARNING: " + log.getName() + ": " + message);
    }
  }

  private static boolean shuttingDown() {
    Thread probe = new Thread(() -> {});
    try {
      Runtime.getRuntime().addShutdownHook(probe);
      Runtime.getRuntime().removeShutdownHook(probe);
      return false;
    } catch (IllegalStateException e) {
      return true;
    }
  }
}
