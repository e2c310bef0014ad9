package io.owin4j.undertow.internal;

import io.owin4j.undertow.ExchangeSummary;
import io.owin4j.undertow.ServerListener;
import io.owin4j.undertow.UpgradeSummary;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import jdk.jfr.EventType;
import org.jspecify.annotations.Nullable;

/**
 * Where the end of every exchange and upgraded connection is reported: to JFR ({@code
 * io.owin4j.Exchange}, {@code io.owin4j.WebSocketSession}), to the {@link ServerListener}s, and to
 * the count of client disconnects.
 *
 * <h2>Threading</h2>
 *
 * Thread-safe.
 */
public final class ExchangeObserver {
  private static final Logger LOG = Logger.getLogger(ExchangeObserver.class.getName());

  private final List<ServerListener> listeners;
  private final LongAdder clientDisconnects = new LongAdder();

  /** Reports to {@code listeners}, in this order. */
  public ExchangeObserver(List<ServerListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** How many exchanges ended with {@link ExchangeSummary.Outcome#CLIENT_DISCONNECTED}. */
  public long clientDisconnects() {
    return clientDisconnects.sum();
  }

  /**
   * Starts timing an exchange that arrives now; {@link #exchangeEnded} and {@link #upgradeEnded}
   * end it.
   *
   * @param upgradeOffered whether the request asks for a WebSocket or opaque upgrade
   */
  public Watch arrived(boolean upgradeOffered) {
    if (listeners.isEmpty() && !Watch.EXCHANGE.isEnabled() && !Watch.UPGRADE.isEnabled()) {
      // Nobody would read the time or an event: one watch serves every such exchange.
      return Watch.UNWATCHED;
    }
    return new Watch(upgradeOffered);
  }

  /**
   * The timing of one exchange, started on its arrival. Its JFR events exist only while a
   * recording has their type enabled, so an unrecorded exchange allocates no event.
   */
  public static final class Watch {
    private static final EventType EXCHANGE = EventType.getEventType(ExchangeEvent.class);
    private static final EventType UPGRADE = EventType.getEventType(UpgradeEvent.class);
    static final Watch UNWATCHED = new Watch();

    private final long arrivedNanos;
    private final @Nullable ExchangeEvent exchangeEvent;
    private final @Nullable UpgradeEvent upgradeEvent;

    /** A watch that times nothing and records no event. */
    private Watch() {
      arrivedNanos = 0;
      exchangeEvent = null;
      upgradeEvent = null;
    }

    private Watch(boolean upgradeOffered) {
      arrivedNanos = System.nanoTime();
      exchangeEvent = EXCHANGE.isEnabled() ? new ExchangeEvent() : null;
      if (exchangeEvent != null) {
        exchangeEvent.begin();
      }
      upgradeEvent = upgradeOffered && UPGRADE.isEnabled() ? new UpgradeEvent() : null;
      if (upgradeEvent != null) {
        upgradeEvent.begin();
      }
    }
  }

  /** An exchange ended. */
  void exchangeEnded(
      Watch watch,
      String method,
      String path,
      int status,
      long bytesSent,
      ExchangeSummary.Outcome outcome) {
    if (outcome == ExchangeSummary.Outcome.CLIENT_DISCONNECTED) {
      clientDisconnects.increment();
    }
    ExchangeEvent event = watch.exchangeEvent;
    if (event != null) {
      event.end();
      if (event.shouldCommit()) {
        event.method = method;
        event.path = path;
        event.status = status;
        event.bytesSent = bytesSent;
        event.outcome = outcome.name();
        event.commit();
      }
    }
    if (listeners.isEmpty()) {
      return;
    }
    ExchangeSummary summary =
        new ExchangeSummary(method, path, status, bytesSent, since(watch), outcome);
    for (ServerListener listener : listeners) {
      try {
        listener.exchangeEnded(summary);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "server listener " + listener + " failed on " + summary, e);
      }
    }
  }

  /** An upgraded connection ended: the application's stage for it completed. */
  void upgradeEnded(Watch watch, String path, String protocol, boolean failed) {
    UpgradeEvent event = watch.upgradeEvent;
    if (event != null) {
      event.end();
      if (event.shouldCommit()) {
        event.path = path;
        event.protocol = protocol;
        event.failed = failed;
        event.commit();
      }
    }
    if (listeners.isEmpty()) {
      return;
    }
    UpgradeSummary summary = new UpgradeSummary(path, protocol, since(watch), failed);
    for (ServerListener listener : listeners) {
      try {
        listener.upgradeEnded(summary);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "server listener " + listener + " failed on " + summary, e);
      }
    }
  }

  private static Duration since(Watch watch) {
    return Duration.ofNanos(System.nanoTime() - watch.arrivedNanos);
  }
}
