package io.owin4j.features.testing;

import com.google.common.collect.testing.MapTestSuiteBuilder;
import com.google.common.collect.testing.SampleElements;
import com.google.common.collect.testing.TestMapGenerator;
import com.google.common.collect.testing.features.Feature;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicNode;

/**
 * guava-testlib's map suite for an OWIN header map ({@code Map<String, String[]>}).
 *
 * <p>The suite compares values with {@code equals}, which for arrays is identity, while a header
 * map stores and hands out copies and compares them by content. So the suite runs over a thin view
 * that shows each {@code String[]} as a {@code List<String>}: every call goes one to one to the
 * header map (its key set directly, its entries, values and iterators through a translation of the
 * value only), so what the suite checks is the header map's behaviour.
 */
public final class HeaderMapContract {
  private HeaderMapContract() {}

  /**
   * Returns the map suite, named {@code name}, over the empty header maps {@code factory} makes,
   * claiming {@code features}.
   */
  public static DynamicNode suite(
      String name, Supplier<Map<String, String[]>> factory, Feature<?>... features) {
    return JUnit3Suites.toDynamic(
        MapTestSuiteBuilder.using(new Generator(factory))
            .named(name)
            .withFeatures(features)
            .createTestSuite());
  }

  private static final class Generator implements TestMapGenerator<String, List<String>> {
    private final Supplier<Map<String, String[]>> factory;

    Generator(Supplier<Map<String, String[]>> factory) {
      this.factory = factory;
    }

    @Override
    public SampleElements<Map.Entry<String, List<String>>> samples() {
      // Names differ ignoring case; values are non-empty (a view may drop an empty header).
      return new SampleElements<>(
          Map.entry("Accept", List.of("text/plain")),
          Map.entry("X-Two", List.of("2", "two")),
          Map.entry("Cache-Control", List.of("no-cache")),
          Map.entry("X-Four", List.of("4")),
          Map.entry("Via", List.of("1.1 a", "1.1 b", "1.1 c")));
    }

    @Override
    public Map<String, List<String>> create(Object... entries) {
      Map<String, String[]> headers = factory.get();
      for (Object entry : entries) {
        @SuppressWarnings("unchecked")
        Map.Entry<String, List<String>> e = (Map.Entry<String, List<String>>) entry;
        headers.put(e.getKey(), toArray(e.getValue()));
      }
      return new ListValued(headers);
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
    @Override
    public Map.Entry<String, List<String>>[] createArray(int length) {
      return new Map.Entry[length];
    }

    @Override
    public Iterable<Map.Entry<String, List<String>>> order(
        List<Map.Entry<String, List<String>>> insertionOrder) {
      return insertionOrder;
    }

    @Override
    public String[] createKeyArray(int length) {
      return new String[length];
    }

    @SuppressWarnings("unchecked") // generic array creation
    @Override
    public List<String>[] createValueArray(int length) {
      return new List[length];
    }
  }

  private static String @Nullable [] toArray(@Nullable Object list) {
    return list instanceof List<?> values ? values.toArray(new String[0]) : null;
  }

  private static @Nullable List<String> toList(String @Nullable [] array) {
    return array == null ? null : List.of(array);
  }

  /** The header map with each value array shown as a list; nothing is copied or cached. */
  private static final class ListValued extends AbstractMap<String, List<String>> {
    private final Map<String, String[]> headers;

    ListValued(Map<String, String[]> headers) {
      this.headers = headers;
    }

    @Override
    public @Nullable List<String> get(@Nullable Object key) {
      return toList(headers.get(key));
    }

    @Override
    public boolean containsKey(@Nullable Object key) {
      return headers.containsKey(key);
    }

    @Override
    public boolean containsValue(@Nullable Object value) {
      return headers.containsValue(value instanceof List<?> ? toArray(value) : value);
    }

    // A null value goes on as null, for the header map to reject.
    @Override
    public @Nullable List<String> put(String key, List<String> value) {
      return toList(headers.put(key, toArray(value)));
    }

    @Override
    public @Nullable List<String> remove(@Nullable Object key) {
      return toList(headers.remove(key));
    }

    @Override
    public void clear() {
      headers.clear();
    }

    @Override
    public void replaceAll(
        BiFunction<? super String, ? super List<String>, ? extends List<String>> function) {
      headers.replaceAll((name, array) -> toArray(function.apply(name, List.of(array))));
    }

    @Override
    public int size() {
      return headers.size();
    }

    @Override
    public boolean isEmpty() {
      return headers.isEmpty();
    }

    @Override
    public Set<String> keySet() {
      return headers.keySet();
    }

    @Override
    public Collection<List<String>> values() {
      Collection<String[]> values = headers.values();
      return new AbstractCollection<>() {
        @Override
        public Iterator<List<String>> iterator() {
          Iterator<String[]> arrays = values.iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return arrays.hasNext();
            }

            @Override
            public List<String> next() {
              return List.of(arrays.next());
            }

            @Override
            public void remove() {
              arrays.remove();
            }
          };
        }

        @Override
        public int size() {
          return values.size();
        }

        @Override
        public void clear() {
          values.clear();
        }
      };
    }

    @Override
    public Set<Map.Entry<String, List<String>>> entrySet() {
      Set<Map.Entry<String, String[]>> entries = headers.entrySet();
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<String, List<String>>> iterator() {
          Iterator<Map.Entry<String, String[]>> inner = entries.iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return inner.hasNext();
            }

            @Override
            public Map.Entry<String, List<String>> next() {
              return new ListEntry(inner.next());
            }

            @Override
            public void remove() {
              inner.remove();
            }
          };
        }

        @Override
        public int size() {
          return entries.size();
        }

        @Override
        public void clear() {
          entries.clear();
        }
      };
    }
  }

  /** An entry of the header map, its value shown as a list; setValue writes through. */
  private static final class ListEntry extends AbstractMap.SimpleEntry<String, List<String>> {
    private static final long serialVersionUID = 1L;
    private final transient Map.Entry<String, String[]> inner;

    ListEntry(Map.Entry<String, String[]> inner) {
      super(inner.getKey(), List.of(inner.getValue()));
      this.inner = inner;
    }

    @Override
    public List<String> getValue() {
      return List.of(inner.getValue());
    }

    @Override
    public List<String> setValue(List<String> value) {
      String[] array = toArray(value);
      return List.of(inner.setValue(array));
    }
  }
}
