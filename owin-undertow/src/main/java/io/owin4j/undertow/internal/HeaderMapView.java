package io.owin4j.undertow.internal;

import io.owin4j.core.host.HttpSyntax;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A live {@code Map<String, String[]>} over Undertow's {@link HeaderMap}: the OWIN face of the
 * request or response headers, without copying them.
 *
 * <p>Names compare case-insensitively (as the header map does). A value array handed out is a copy;
 * writes go back with {@link #put} or {@link #remove}. A name whose values are all gone is absent:
 * putting an empty array removes the header.
 *
 * <p>The response view checks every name and value with {@link HttpSyntax} and calls its guard
 * before any change, so nothing changes once the response has started.
 */
final class HeaderMapView extends AbstractMap<String, String[]> {
  private final HeaderMap headers;
  /** Runs before every change of a response view; throws when the response has started. */
  @FunctionalInterface
  interface Guard {
    /** Throws {@link IllegalStateException} when the headers may no longer change. */
    void checkMutable();
  }

  private final @Nullable Guard guard;
  private @Nullable EntrySet entrySet;

  private HeaderMapView(HeaderMap headers, @Nullable Guard guard) {
    this.headers = headers;
    this.guard = guard;
  }

  /** A view over request headers: any name and value may be stored. */
  static HeaderMapView ofRequest(HeaderMap headers) {
    return new HeaderMapView(headers, null);
  }

  /**
   * A view over response headers: names and values are checked, and {@code checkMutable} runs before
   * every change (it throws when the response has started).
   */
  static HeaderMapView ofResponse(HeaderMap headers, Guard checkMutable) {
    return new HeaderMapView(headers, checkMutable);
  }

  @Override
  public String @Nullable [] get(@Nullable Object key) {
    return key instanceof String name ? copyOf(valuesOf(name)) : null;
  }

  /**
   * The values under {@code name}, or null. Well-known names resolve to Undertow's shared constants,
   * so the common lookups neither allocate nor re-encode the name to hash it.
   */
  private @Nullable HeaderValues valuesOf(String name) {
    HttpString known = HttpString.tryFromString(name);
    return known == null ? null : headers.get(known);
  }

  private static String @Nullable [] copyOf(@Nullable HeaderValues values) {
    return values == null || values.isEmpty() ? null : values.toArray();
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    if (!(key instanceof String name)) {
      return false;
    }
    HeaderValues values = valuesOf(name);
    return values != null && !values.isEmpty();
  }

  /** Compares by content: the arrays this view hands out are copies, never the same object. */
  @Override
  public boolean containsValue(@Nullable Object value) {
    if (value instanceof String[] wanted) {
      for (long c = headers.fastIterateNonEmpty(); c != -1L; c = headers.fiNextNonEmpty(c)) {
        if (Arrays.equals(headers.fiCurrent(c).toArray(), wanted)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String @Nullable [] put(String key, String[] value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    for (int i = 0; i < value.length; i++) {
      if (value[i] == null) {
        throw new NullPointerException("header " + HttpSyntax.quote(key) + " value[" + i + "]");
      }
    }
    if (guard != null) {
      HttpSyntax.checkHeaderName(key);
      for (String v : value) {
        HttpSyntax.checkHeaderValue(key, v);
      }
      guard.checkMutable();
    }
    HttpString name = HttpString.tryFromString(key);
    if (name == null) {
      // Only a request view gets here: the response view already rejected such a name.
      throw new IllegalArgumentException(
          "request header name must hold ISO-8859-1 characters only, got " + HttpSyntax.quote(key));
    }
    String[] previous = copyOf(headers.get(name));
    // Both copy the values into Undertow's own list, so the caller's array stays theirs; one value,
    // the common case, needs no list around it.
    if (value.length == 1) {
      headers.put(name, value[0]);
    } else {
      headers.putAll(name, Arrays.asList(value));
    }
    return previous;
  }

  @Override
  public String @Nullable [] remove(@Nullable Object key) {
    if (!(key instanceof String name)) {
      return null;
    }
    if (guard != null) {
      guard.checkMutable();
    }
    String[] previous = get(name);
    headers.remove(name);
    return previous;
  }

  @Override
  public void clear() {
    if (guard != null) {
      guard.checkMutable();
    }
    headers.clear();
  }

  @Override
  public int size() {
    int size = 0;
    for (long c = headers.fastIterateNonEmpty(); c != -1L; c = headers.fiNextNonEmpty(c)) {
      size++;
    }
    return size;
  }

  @Override
  public boolean isEmpty() {
    return headers.fastIterateNonEmpty() == -1L;
  }

  @Override
  public Set<Map.Entry<String, String[]>> entrySet() {
    EntrySet set = entrySet;
    return set != null ? set : (entrySet = new EntrySet());
  }

  private final class EntrySet extends AbstractSet<Map.Entry<String, String[]>> {
    @Override
    public Iterator<Map.Entry<String, String[]>> iterator() {
      return new EntryIterator();
    }

    @Override
    public int size() {
      return HeaderMapView.this.size();
    }

    @Override
    public void clear() {
      HeaderMapView.this.clear();
    }
  }

  /**
   * Walks the header map with its allocation-free cookies; the next cookie is taken before an entry
   * is handed out, so removing that entry (which only clears its slot) does not disturb the walk.
   */
  private final class EntryIterator implements Iterator<Map.Entry<String, String[]>> {
    private long next = headers.fastIterateNonEmpty();
    private @Nullable String last;

    @Override
    public boolean hasNext() {
      return next != -1L;
    }

    @Override
    public Map.Entry<String, String[]> next() {
      if (next == -1L) {
        throw new NoSuchElementException();
      }
      HeaderValues values = headers.fiCurrent(next);
      next = headers.fiNextNonEmpty(next);
      String name = values.getHeaderName().toString();
      last = name;
      return new Entry(name, values.toArray());
    }

    @Override
    public void remove() {
      String name = last;
      if (name == null) {
        throw new IllegalStateException("remove() needs a preceding next()");
      }
      last = null;
      HeaderMapView.this.remove(name);
    }
  }

  /** An entry whose {@link #setValue} writes through to the header map. */
  private final class Entry extends AbstractMap.SimpleEntry<String, String[]> {
    private static final long serialVersionUID = 1L;

    Entry(String name, String[] values) {
      super(name, values);
    }

    @Override
    public String[] setValue(String[] value) {
      put(getKey(), value);
      return super.setValue(value.clone());
    }
  }
}
