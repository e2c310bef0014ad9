package io.owin4j.api.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.api.FeatureKeys;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Portable middleware reaches the typed features through {@code owin4j.Features} alone. */
class FeatureCollectionTest {
  private static final FeatureCollection EMPTY =
      new FeatureCollection() {
        @Override
        public <T> @Nullable T get(Class<T> type) {
          return null;
        }

        @Override
        public <T> void set(Class<T> type, @Nullable T feature) {
          throw new UnsupportedOperationException("read-only");
        }

        @Override
        public long revision() {
          return 0;
        }

        @Override
        public Iterator<Map.Entry<Class<?>, Object>> iterator() {
          return Collections.emptyIterator();
        }
      };

  @Test
  void theKeyIsTheOwin4jFeaturesName() {
    assertEquals("owin4j.Features", FeatureKeys.FEATURES);
  }

  @Test
  void fromEnvironmentAnswersTheCollectionUnderTheKey() {
    Map<String, Object> env = new HashMap<>();
    env.put(FeatureKeys.FEATURES, EMPTY);

    assertSame(EMPTY, FeatureCollection.fromEnvironment(env));
  }

  @Test
  void fromEnvironmentOfAForeignHostIsNull() {
    assertNull(FeatureCollection.fromEnvironment(new HashMap<>()));
  }

  @Test
  void fromEnvironmentRejectsAWronglyTypedValue() {
    Map<String, Object> env = new HashMap<>();
    env.put(FeatureKeys.FEATURES, "features");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FeatureCollection.fromEnvironment(env));

    assertEquals(
        "owin4j.Features must be a FeatureCollection, got String \"features\"", e.getMessage());
  }
}
