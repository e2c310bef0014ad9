package io.owin4j.undertow;

/**
 * Observes what a server or handler did: one call per finished exchange and per ended upgraded
 * connection. Register it with {@link OwinServer.Builder#listener} or {@link
 * OwinHttpHandler.Builder#listener}; it is how a metrics or tracing library hears about requests
 * without the host depending on it.
 *
 * <pre>{@code
 * OwinServer.builder()
 *     .listener(exchange -> timer.record(exchange.duration()))
 *     ...
 * }</pre>
 *
 * <h2>Threading</h2>
 *
 * Called on the IO thread that finished the exchange, possibly from several threads at once: keep
 * it short and MUST NOT block. An exception it throws is logged at WARNING and does not harm the
 * exchange or the other listeners.
 */
@FunctionalInterface
public interface ServerListener {
  /** An exchange finished: its response was sent, it failed, or its client went away. */
  void exchangeEnded(ExchangeSummary exchange);

  /**
   * A WebSocket or opaque-upgraded connection ended: the application's stage for it completed.
   * Does nothing unless overridden.
   */
  default void upgradeEnded(UpgradeSummary upgrade) {}
}
