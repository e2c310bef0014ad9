package io.owin4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.api.features.AuthenticationFeature;
import io.owin4j.api.features.ConnectionFeature;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.ResponseFeature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefaultFeatureCollectionTest {
  private final DefaultFeatureCollection features = new DefaultFeatureCollection();

  @Test
  void getAnswersNullForAbsentFeature() {
    assertNull(features.get(RequestFeature.class));
  }

  @Test
  void getAnswersTheFeatureSet() {
    DefaultRequestFeature request = new DefaultRequestFeature();

    features.set(RequestFeature.class, request);

    assertSame(request, features.get(RequestFeature.class));
  }

  @Test
  void setReplacesTheFeature() {
    DefaultRequestFeature second = new DefaultRequestFeature();
    features.set(RequestFeature.class, new DefaultRequestFeature());

    features.set(RequestFeature.class, second);

    assertSame(second, features.get(RequestFeature.class));
  }

  @Test
  void setNullRemovesTheFeature() {
    features.set(RequestFeature.class, new DefaultRequestFeature());

    features.set(RequestFeature.class, null);

    assertNull(features.get(RequestFeature.class));
  }

  @Test
  void requireFailsNamingTheMissingFeature() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> features.require(RequestFeature.class));

    assertEquals("feature RequestFeature is not available in this request", e.getMessage());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @Test
  void setRejectsFeatureOfTheWrongType() {
    Class raw = RequestFeature.class;

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> features.set(raw, new DefaultAuthenticationFeature()));

    assertEquals(
        "feature for io.owin4j.api.features.RequestFeature must be an instance of it, got "
            + "io.owin4j.features.DefaultAuthenticationFeature",
        e.getMessage());
  }

  @Test
  void revisionMovesOnEverySet() {
    long before = features.revision();
    features.set(RequestFeature.class, new DefaultRequestFeature());
    long afterSet = features.revision();
    features.set(RequestFeature.class, null);

    assertNotEquals(before, afterSet);
    assertNotEquals(afterSet, features.revision());
  }

  @Test
  void readsThroughToDefaults() {
    DefaultFeatureCollection defaults = new DefaultFeatureCollection();
    DefaultConnectionFeature connection = new DefaultConnectionFeature();
    defaults.set(ConnectionFeature.class, connection);

    assertSame(connection, new DefaultFeatureCollection(defaults).get(ConnectionFeature.class));
  }

  @Test
  void localFeatureShadowsTheDefaultUntilRemoved() {
    DefaultFeatureCollection defaults = new DefaultFeatureCollection();
    DefaultAuthenticationFeature fallback = new DefaultAuthenticationFeature();
    DefaultAuthenticationFeature local = new DefaultAuthenticationFeature();
    defaults.set(AuthenticationFeature.class, fallback);
    DefaultFeatureCollection layered = new DefaultFeatureCollection(defaults);

    layered.set(AuthenticationFeature.class, local);
    AuthenticationFeature shadowed = layered.get(AuthenticationFeature.class);
    layered.set(AuthenticationFeature.class, null);

    assertSame(local, shadowed);
    assertSame(fallback, layered.get(AuthenticationFeature.class));
    assertSame(fallback, defaults.get(AuthenticationFeature.class));
  }

  @Test
  void revisionMovesWhenTheDefaultsChange() {
    DefaultFeatureCollection defaults = new DefaultFeatureCollection();
    DefaultFeatureCollection layered = new DefaultFeatureCollection(defaults);
    long before = layered.revision();

    defaults.set(RequestFeature.class, new DefaultRequestFeature());

    assertNotEquals(before, layered.revision());
  }

  @Test
  void revisionNeverRepeatsWhenTheDefaultsRevisionMovesBack() {
    long[] defaultsRevision = {5};
    FeatureCollection defaults =
        new FeatureCollection() {
          @Override
          public <T> T get(Class<T> type) {
            return null;
          }

          @Override
          public <T> void set(Class<T> type, T feature) {
            throw new UnsupportedOperationException();
          }

          @Override
          public long revision() {
            return defaultsRevision[0];
          }

          @Override
          public Iterator<Map.Entry<Class<?>, Object>> iterator() {
            return Collections.emptyIterator();
          }
        };
    DefaultFeatureCollection layered = new DefaultFeatureCollection(defaults);
    Set<Long> seen = new HashSet<>();
    seen.add(layered.revision());

    layered.set(RequestFeature.class, new DefaultRequestFeature());
    seen.add(layered.revision());
    defaultsRevision[0] = 4;
    seen.add(layered.revision());
    defaultsRevision[0] = 5;
    seen.add(layered.revision());

    assertEquals(4, seen.size());
  }

  @Test
  void iterationListsLocalFeaturesThenUnshadowedDefaultsOnce() {
    DefaultFeatureCollection defaults = new DefaultFeatureCollection();
    defaults.set(ConnectionFeature.class, new DefaultConnectionFeature());
    defaults.set(RequestFeature.class, new DefaultRequestFeature());
    DefaultFeatureCollection layered = new DefaultFeatureCollection(defaults);
    DefaultRequestFeature local = new DefaultRequestFeature();
    layered.set(ResponseFeature.class, new DefaultResponseFeature(new ResponseStarter()));
    layered.set(RequestFeature.class, local);

    List<Class<?>> types = new ArrayList<>();
    for (Map.Entry<Class<?>, Object> entry : layered) {
      types.add(entry.getKey());
    }

    assertEquals(List.of(ResponseFeature.class, RequestFeature.class, ConnectionFeature.class), types);
  }

  @Test
  void holdsMoreFeaturesThanItsInitialCapacity() {
    List<Object> values =
        List.of(1, 2L, 3.0, 4.0f, (short) 5, (byte) 6, '7', true, "nine", new StringBuilder(),
            new ArrayList<>(), new java.util.HashMap<>(), new HashSet<>(), new Object(),
            java.math.BigInteger.TEN, java.math.BigDecimal.ONE);
    for (Object value : values) {
      set(features, value.getClass(), value);
    }

    for (Object value : values) {
      assertSame(value, features.get(value.getClass()));
    }
  }

  private static <T> void set(DefaultFeatureCollection features, Class<T> type, Object value) {
    features.set(type, type.cast(value));
  }
}
