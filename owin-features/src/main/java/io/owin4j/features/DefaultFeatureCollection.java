package io.owin4j.features;

import io.owin4j.api.features.FeatureCollection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A mutable {@link FeatureCollection}, optionally reading through to a collection of defaults.
 *
 * <p>A feature set here shadows the defaults' feature of the same type; setting null removes the
 * local feature, so the default (if any) shows through again. The defaults are never modified. The
 * {@link #revision()} moves on every {@link #set} here and whenever the defaults' revision moves,
 * and never repeats.
 * Iteration lists each present feature once: local features in the order they were first set, then
 * the defaults' features that no local feature shadows. The iterator works on a snapshot.
 *
 * <p>Lookups compare types by identity over a small array: a request has a handful of features.
 *
 * <h2>Threading</h2>
 *
 * Not thread-safe, like every feature collection.
 */
public final class DefaultFeatureCollection implements FeatureCollection {
  // Room for what a full host sets (request, response, body, connection, lifetime, id, user, TLS,
  // sendfile, WebSocket, opaque, capabilities) without growing.
  private static final int INITIAL_CAPACITY = 12;

  private final @Nullable FeatureCollection defaults;
  private @Nullable Class<?>[] types;
  private @Nullable Object[] features;
  private int size;
  private long ownRevision;
  private long defaultsRevision;

  /** Creates an empty collection. */
  public DefaultFeatureCollection() {
    this.defaults = null;
    this.types = new Class<?>[INITIAL_CAPACITY];
    this.features = new Object[INITIAL_CAPACITY];
  }

  /**
   * Creates an empty collection that reads through to {@code defaults}.
   *
   * @param defaults answers for every type not set here; never modified by this collection
   */
  public DefaultFeatureCollection(FeatureCollection defaults) {
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    this.defaultsRevision = defaults.revision();
    this.types = new Class<?>[INITIAL_CAPACITY];
    this.features = new Object[INITIAL_CAPACITY];
  }

  @Override
  public <T> @Nullable T get(Class<T> type) {
    Objects.requireNonNull(type, "type");
    int index = indexOf(type);
    if (index >= 0) {
      @SuppressWarnings("unchecked") // set() checked type.isInstance(feature)
      T feature = (T) features[index];
      return feature;
    }
    return defaults == null ? null : defaults.get(type);
  }

  @Override
  public <T> void set(Class<T> type, @Nullable T feature) {
    Objects.requireNonNull(type, "type");
    int index = indexOf(type);
    if (feature == null) {
      if (index >= 0) {
        int tail = size - index - 1;
        System.arraycopy(types, index + 1, types, index, tail);
        System.arraycopy(features, index + 1, features, index, tail);
        size--;
        types[size] = null;
        features[size] = null;
      }
    } else {
      if (!type.isInstance(feature)) {
        throw new IllegalArgumentException(
            "feature for "
                + type.getName()
                + " must be an instance of it, got "
                + feature.getClass().getName());
      }
      if (index >= 0) {
        features[index] = feature;
      } else {
        if (size == types.length) {
          types = Arrays.copyOf(types, size * 2);
          features = Arrays.copyOf(features, size * 2);
        }
        types[size] = type;
        features[size] = feature;
        size++;
      }
    }
    ownRevision++;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Counts up by one on every {@link #set} here, and whenever the defaults' revision differs from
   * the one seen at the previous call, so it never repeats a value even when the defaults' revision
   * moves back and forth.
   */
  @Override
  public long revision() {
    if (defaults != null) {
      long current = defaults.revision();
      if (current != defaultsRevision) {
        defaultsRevision = current;
        ownRevision++;
      }
    }
    return ownRevision;
  }

  @Override
  public Iterator<Map.Entry<Class<?>, Object>> iterator() {
    List<Map.Entry<Class<?>, Object>> entries = new ArrayList<>(size + 8);
    for (int i = 0; i < size; i++) {
      entries.add(Map.entry(Objects.requireNonNull(types[i]), Objects.requireNonNull(features[i])));
    }
    if (defaults != null) {
      for (Map.Entry<Class<?>, Object> entry : defaults) {
        if (indexOf(entry.getKey()) < 0) {
          entries.add(entry);
        }
      }
    }
    return entries.iterator();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("DefaultFeatureCollection[");
    String separator = "";
    for (Map.Entry<Class<?>, Object> entry : this) {
      out.append(separator).append(entry.getKey().getSimpleName());
      separator = ", ";
    }
    return out.append(']').toString();
  }

  private int indexOf(Class<?> type) {
    for (int i = 0; i < size; i++) {
      if (types[i] == type) {
        return i;
      }
    }
    return -1;
  }
}
