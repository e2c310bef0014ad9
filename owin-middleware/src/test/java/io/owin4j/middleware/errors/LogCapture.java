package io.owin4j.middleware.errors;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Captures what a System.Logger (backed by java.util.logging) logs, and keeps it off the console. */
final class LogCapture extends Handler implements AutoCloseable {
  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Logger logger;
  private final boolean useParentHandlers;

  LogCapture(String name) {
    logger = Logger.getLogger(name);
    useParentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    records.add(record);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setUseParentHandlers(useParentHandlers);
  }
}
