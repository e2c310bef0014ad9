package io.owin4j.core;

import io.owin4j.api.features.FeatureCollection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The smallest feature collection: a map from feature type to feature. */
final class SimpleFeatures implements FeatureCollection {
  private final Map<Class<?>, Object> features = new HashMap<>();
  private long revision;

  @Override
  public <T> @Nullable T get(Class<T> type) {
    return type.cast(features.get(type));
  }

  @Override
  public <T> void set(Class<T> type, @Nullable T feature) {
    if (feature == null) {
      features.remove(type);
    } else {
      features.put(type, type.cast(feature));
    }
    revision++;
  }

  @Override
  public long revision() {
    return revision;
  }

  @Override
  public Iterator<Map.Entry<Class<?>, Object>> iterator() {
    return features.entrySet().iterator();
  }
}
