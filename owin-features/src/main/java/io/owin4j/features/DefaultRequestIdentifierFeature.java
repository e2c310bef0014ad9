package io.owin4j.features;

import io.owin4j.api.features.RequestIdentifierFeature;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RequestIdentifierFeature} that generates its identifier on first read unless one was set
 * before.
 *
 * <p>The identifier never changes once it exists: {@link #setRequestId} fails after a set, and
 * after a read (which generated one). Not thread-safe.
 */
public final class DefaultRequestIdentifierFeature implements RequestIdentifierFeature {
  // A random prefix per process keeps identifiers apart across restarts; the counter within one.
  private static final String PREFIX =
      Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
  private static final AtomicLong COUNTER = new AtomicLong();

  private @Nullable String requestId;

  /** Creates the feature with no identifier yet: the first read generates one. */
  public DefaultRequestIdentifierFeature() {}

  /** Creates the feature with {@code requestId}, such as one taken from a trusted proxy header. */
  public DefaultRequestIdentifierFeature(String requestId) {
    this.requestId = Objects.requireNonNull(requestId, "requestId");
  }

  /**
   * Returns a new identifier, unique within this process and very likely across processes; cheap
   * enough to call for every request.
   */
  public static String newRequestId() {
    return PREFIX + '-' + Long.toString(COUNTER.incrementAndGet(), 36);
  }

  @Override
  public String requestId() {
    String id = requestId;
    if (id == null) {
      id = newRequestId();
      requestId = id;
    }
    return id;
  }

  @Override
  public void setRequestId(String requestId) {
    Objects.requireNonNull(requestId, "requestId");
    if (this.requestId != null) {
      throw new IllegalStateException(
          "cannot set request id to \""
              + requestId
              + "\": it is already \""
              + this.requestId
              + "\" and never changes once set");
    }
    this.requestId = requestId;
  }

  @Override
  public String toString() {
    return "DefaultRequestIdentifierFeature{" + requestId + "}";
  }
}
