package io.owin4j.testkit.internal;

import java.time.Duration;
import java.util.Map;

/** A running test host: a transport with a lifecycle and a record of its exchanges. */
public interface Host extends Transport, AutoCloseable {
  /** The startup properties the application was configured with. */
  Map<String, Object> properties();

  /**
   * Waits up to {@code grace} for every request's stage to complete.
   *
   * @throws AssertionError naming each request still running, with where it was sent
   */
  void assertIdle(Duration grace);

  /** Cancels what still runs, fires {@code host.OnAppDisposing}, and stops. Idempotent. */
  @Override
  void close();
}
