package io.owin4j.api.features;

/** Where a {@link WebSocket} is in its lifecycle. */
public enum WebSocketState {
  /** Both sides may send. */
  OPEN,
  /** This side sent its close; it may still receive. */
  CLOSE_SENT,
  /** The peer sent its close; this side may still send. */
  CLOSE_RECEIVED,
  /** Both sides sent their close. */
  CLOSED,
  /** The connection was aborted or lost. */
  ABORTED
}
