package io.owin4j.features;

import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * HTTP headers as the OWIN {@code Map<String, String[]>}: names case-insensitive, several values
 * per name, in insertion order.
 *
 * <p>Names compare ignoring ASCII case (header names are ASCII tokens); the spelling of the first
 * insertion is kept. Null names, null arrays and null elements are rejected with {@link
 * NullPointerException}; the empty name with {@link IllegalArgumentException}. Queries with a null
 * or non-string key find nothing.
 *
 * <h2>Value arrays are copies (porting from .NET)</h2>
 *
 * {@link #get} returns a copy and {@link #put} stores a copy, so changing an array changes nothing
 * until it is put back. OWIN code written for .NET hosts often changes the stored array in place,
 * as those hosts hand it out; here that change is lost:
 *
 * <pre>{@code
 * headers.get("X-Count")[0] = "2";             // wrong: changes a copy, the header stays as it was
 *
 * String[] values = headers.get("X-Count");    // right: change the copy, then put it back
 * values[0] = "2";
 * headers.put("X-Count", values);
 * }</pre>
 *
 * Copies are what every Owin4J host hands out: Undertow's header view cannot lend the array it
 * does not keep, and checks every value it is given (a live array would let a value skip that check,
 * or change after the headers were sent). So code behaves the same on every host, and {@code
 * OwinLint} reports the wrong way above ({@link #changedCopies}) wherever the headers are a {@code
 * HeaderDictionary}, as in the in-memory test server.
 *
 * <h2>Freezing</h2>
 *
 * After {@link #freeze(String)} every change, through this map or any of its views, iterators and
 * entries, fails with {@link IllegalStateException} naming the header and the reason, for example
 * {@code cannot set header X-Foo: the response has started}. Hosts freeze response headers when
 * they send them, so a late change fails loudly instead of being lost.
 *
 * <h2>Equality</h2>
 *
 * Because Java arrays compare by identity, this map compares values with {@link
 * Arrays#equals(Object[], Object[])}: it equals another map of the same size that answers, for each
 * name here, an equal {@code String[]} from {@code get}. Entries compare names ignoring ASCII case
 * and values by content, and hash codes are computed the same way, so two dictionaries with the same
 * headers are equal and have equal hash codes. (A {@code HashMap} of arrays compares by identity, so
 * the reverse comparison from such a map is not symmetric; compare dictionaries with dictionaries.)
 *
 * <h2>Performance and threading</h2>
 *
 * Lookups scan a compact array of precomputed name hashes, which beats hashing for the few dozen
 * headers a request carries; only the value copy is allocated per {@code get}. Not thread-safe.
 */
public final class HeaderDictionary extends AbstractMap<String, String[]> {
  private @Nullable String[] names;
  private int[] hashes;
  private String[][] values;
  /** Per slot, the copy {@link #get} last handed out, until the slot changes; made on first get. */
  private String @Nullable [] @Nullable [] lent;
  private int size;
  private int modCount;
  private @Nullable String frozenReason;
  private @Nullable Set<Map.Entry<String, String[]>> entrySet;
  private @Nullable Set<String> keySet;
  private @Nullable Collection<String[]> valuesView;

  /** Creates an empty dictionary. */
  public HeaderDictionary() {
    this(8);
  }

  /**
   * Creates an empty dictionary with room for {@code expectedSize} names.
   *
   * @throws IllegalArgumentException if {@code expectedSize} is negative
   */
  public HeaderDictionary(int expectedSize) {
    if (expectedSize < 0) {
      throw new IllegalArgumentException("expectedSize must be >= 0, got " + expectedSize);
    }
    names = new String[expectedSize];
    hashes = new int[expectedSize];
    values = new String[expectedSize][];
  }

  /** Returns the first value of the header {@code name}, or null when it is absent or empty. */
  public @Nullable String first(String name) {
    Objects.requireNonNull(name, "name");
    int index = indexOf(name);
    if (index < 0 || values[index].length == 0) {
      return null;
    }
    return values[index][0];
  }

  /**
   * Appends {@code value} to the header {@code name}, creating the header if absent.
   *
   * @throws IllegalStateException if this dictionary is frozen
   */
  public void add(String name, String value) {
    checkName(name);
    Objects.requireNonNull(value, () -> "value of header " + name + " must not be null");
    checkNotFrozen("set header " + name);
    int index = indexOf(name);
    if (index < 0) {
      append(name, new String[] {value});
    } else {
      String[] old = values[index];
      String[] grown = Arrays.copyOf(old, old.length + 1);
      grown[old.length] = value;
      values[index] = grown;
      forgetCopy(index);
    }
  }

  /**
   * Replaces the header {@code name} with the single {@code value}.
   *
   * @throws IllegalStateException if this dictionary is frozen
   */
  public void set(String name, String value) {
    checkName(name);
    Objects.requireNonNull(value, () -> "value of header " + name + " must not be null");
    store(name, new String[] {value});
  }

  /**
   * Makes this dictionary read-only from now on; calling it again keeps the first reason.
   *
   * @param reason why changes are refused, shown in their exception messages, such as {@code "the
   *     response has started"}
   */
  public void freeze(String reason) {
    Objects.requireNonNull(reason, "reason");
    if (frozenReason == null) {
      frozenReason = reason;
    }
  }

  /** Returns true once {@link #freeze(String)} was called. */
  public boolean isFrozen() {
    return frozenReason != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return key instanceof String name && indexOf(name) >= 0;
  }

  @Override
  public boolean containsValue(@Nullable Object value) {
    if (value instanceof String[] array) {
      for (int i = 0; i < size; i++) {
        if (Arrays.equals(values[i], array)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Returns a copy of the values of the header {@code key}, or null when it is absent. Changing the
   * copy changes nothing until it is put back (unlike the arrays .NET hosts hand out); see the class
   * documentation.
   */
  @Override
  public String @Nullable [] get(@Nullable Object key) {
    if (!(key instanceof String name)) {
      return null;
    }
    int index = indexOf(name);
    if (index < 0) {
      return null;
    }
    String[] copy = values[index].clone();
    String[][] handedOut = lent;
    if (handedOut == null) {
      handedOut = new String[names.length][];
      lent = handedOut;
    }
    handedOut[index] = copy;
    return copy;
  }

  /**
   * Returns, by header name, each array that {@link #get} handed out and that was changed in place
   * since, while the header itself did not change: such a change is lost, because the array is a
   * copy. {@code OwinLint} reports these; an application never needs this.
   *
   * @return a new map, in insertion order, of copies of the changed arrays; empty when none
   */
  public Map<String, String[]> changedCopies() {
    Map<String, String[]> changed = new LinkedHashMap<>();
    String[][] handedOut = lent;
    if (handedOut != null) {
      for (int i = 0; i < size; i++) {
        String[] copy = handedOut[i];
        if (copy != null && !Arrays.equals(copy, values[i])) {
          changed.put(Objects.requireNonNull(names[i]), copy.clone());
        }
      }
    }
    return changed;
  }

  /** Forgets the copy handed out for a slot whose values changed, or that moved. */
  private void forgetCopy(int index) {
    String[][] handedOut = lent;
    if (handedOut != null) {
      handedOut[index] = null;
    }
  }

  /**
   * Stores a copy of {@code value} under {@code key}.
   *
   * @return the previous values, or null when the header was absent
   * @throws IllegalStateException if this dictionary is frozen
   */
  @Override
  public String @Nullable [] put(String key, String[] value) {
    checkName(key);
    Objects.requireNonNull(value, () -> "values of header " + key + " must not be null");
    String[] copy = value.clone();
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] == null) {
        throw new NullPointerException(
            "values of header " + key + " must not contain null, got null at index " + i);
      }
    }
    return store(key, copy);
  }

  /**
   * Removes the header {@code key}.
   *
   * @return its values, or null when it was absent
   * @throws IllegalStateException if this dictionary is frozen, even when the header is absent
   */
  @Override
  public String @Nullable [] remove(@Nullable Object key) {
    if (!(key instanceof String name)) {
      return null;
    }
    checkNotFrozen("remove header " + name);
    int index = indexOf(name);
    if (index < 0) {
      return null;
    }
    String[] old = values[index];
    removeAt(index);
    return old;
  }

  /**
   * Removes every header.
   *
   * @throws IllegalStateException if this dictionary is frozen
   */
  @Override
  public void clear() {
    checkNotFrozen("clear the headers");
    Arrays.fill(names, 0, size, null);
    Arrays.fill(values, 0, size, null);
    if (lent != null) {
      Arrays.fill(lent, 0, size, null);
    }
    size = 0;
    modCount++;
  }

  /**
   * Replaces each header's values with what {@code function} returns for a copy of them.
   *
   * @throws IllegalStateException if this dictionary is frozen and holds a header
   */
  @Override
  public void replaceAll(
      BiFunction<? super String, ? super String[], ? extends String[]> function) {
    Objects.requireNonNull(function, "function");
    for (int i = 0; i < size; i++) {
      String name = Objects.requireNonNull(names[i]);
      checkNotFrozen("set header " + name);
      int expectedModCount = modCount;
      String[] replacement = function.apply(name, values[i].clone());
      if (modCount != expectedModCount) {
        throw new ConcurrentModificationException();
      }
      put(name, replacement);
    }
  }

  @Override
  public Set<Map.Entry<String, String[]>> entrySet() {
    Set<Map.Entry<String, String[]>> view = entrySet;
    return view != null ? view : (entrySet = new EntrySet());
  }

  @Override
  public Set<String> keySet() {
    Set<String> view = keySet;
    return view != null ? view : (keySet = new KeySet());
  }

  @Override
  public Collection<String[]> values() {
    Collection<String[]> view = valuesView;
    return view != null ? view : (valuesView = new Values());
  }

  @Override
  public boolean equals(@Nullable Object other) {
    if (other == this) {
      return true;
    }
    if (!(other instanceof Map<?, ?> map) || map.size() != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (!(map.get(names[i]) instanceof String[] theirs) || !Arrays.equals(values[i], theirs)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int sum = 0;
    for (int i = 0; i < size; i++) {
      sum += hashes[i] ^ Arrays.hashCode(values[i]);
    }
    return sum;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < size; i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(names[i]).append('=').append(Arrays.toString(values[i]));
    }
    return out.append('}').toString();
  }

  private String @Nullable [] store(String name, String[] owned) {
    checkNotFrozen("set header " + name);
    int index = indexOf(name);
    if (index < 0) {
      append(name, owned);
      return null;
    }
    String[] old = values[index];
    // Replacing values is not a structural change: an iteration (such as one setting each entry's
    // value) goes on.
    values[index] = owned;
    forgetCopy(index);
    return old;
  }

  private void append(String name, String[] owned) {
    if (size == names.length) {
      int capacity = Math.max(8, size * 2);
      names = Arrays.copyOf(names, capacity);
      hashes = Arrays.copyOf(hashes, capacity);
      values = Arrays.copyOf(values, capacity);
      if (lent != null) {
        lent = Arrays.copyOf(lent, capacity);
      }
    }
    names[size] = name;
    hashes[size] = hash(name);
    values[size] = owned;
    forgetCopy(size);
    size++;
    modCount++;
  }

  private void removeAt(int index) {
    int tail = size - index - 1;
    System.arraycopy(names, index + 1, names, index, tail);
    System.arraycopy(hashes, index + 1, hashes, index, tail);
    System.arraycopy(values, index + 1, values, index, tail);
    String[][] handedOut = lent;
    if (handedOut != null) {
      System.arraycopy(handedOut, index + 1, handedOut, index, tail);
    }
    size--;
    names[size] = null;
    values[size] = null;
    forgetCopy(size);
    modCount++;
  }

  private int indexOf(String name) {
    int hash = hash(name);
    for (int i = 0; i < size; i++) {
      if (hashes[i] == hash && sameName(names[i], name)) {
        return i;
      }
    }
    return -1;
  }

  private void checkNotFrozen(String action) {
    if (frozenReason != null) {
      throw new IllegalStateException("cannot " + action + ": " + frozenReason);
    }
  }

  private static void checkName(String name) {
    Objects.requireNonNull(name, "header name must not be null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("header name must not be empty");
    }
  }

  /** A hash that ignores ASCII case, consistent with {@link #sameName}. */
  private static int hash(String name) {
    int hash = 0;
    for (int i = 0, n = name.length(); i < n; i++) {
      hash = 31 * hash + foldCase(name.charAt(i));
    }
    return hash;
  }

  private static boolean sameName(@Nullable String a, String b) {
    if (a == b) {
      return true;
    }
    if (a == null || a.length() != b.length()) {
      return false;
    }
    for (int i = 0, n = a.length(); i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y && foldCase(x) != foldCase(y)) {
        return false;
      }
    }
    return true;
  }

  private static char foldCase(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }

  /** Walks the entries by position, failing fast on changes made around it. */
  private abstract class Cursor<E> implements Iterator<E> {
    private int next;
    private int last = -1;
    private int expectedModCount = modCount;

    @Override
    public boolean hasNext() {
      return next < size;
    }

    @Override
    public E next() {
      checkForComodification();
      if (next >= size) {
        throw new NoSuchElementException();
      }
      last = next++;
      return element(last);
    }

    abstract E element(int index);

    @Override
    public void remove() {
      if (last < 0) {
        throw new IllegalStateException("next() was not called, or remove() was already called");
      }
      checkForComodification();
      checkNotFrozen("remove header " + names[last]);
      removeAt(last);
      next = last;
      last = -1;
      expectedModCount = modCount;
    }

    private void checkForComodification() {
      if (modCount != expectedModCount) {
        throw new ConcurrentModificationException();
      }
    }
  }

  /** An entry of the dictionary; its value reads as a copy and writes through {@link #put}. */
  private final class Entry implements Map.Entry<String, String[]> {
    private final String name;
    private String[] current;

    Entry(String name, String[] current) {
      this.name = name;
      this.current = current;
    }

    @Override
    public String getKey() {
      return name;
    }

    @Override
    public String[] getValue() {
      return current.clone();
    }

    @Override
    public String[] setValue(String[] value) {
      String[] old = current.clone();
      put(name, value);
      current = values[indexOf(name)];
      return old;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof Map.Entry<?, ?> entry
          && entry.getKey() instanceof String key
          && sameName(name, key)
          && entry.getValue() instanceof String[] array
          && Arrays.equals(current, array);
    }

    @Override
    public int hashCode() {
      return hash(name) ^ Arrays.hashCode(current);
    }

    @Override
    public String toString() {
      return name + "=" + Arrays.toString(current);
    }
  }

  private final class EntrySet extends AbstractSet<Map.Entry<String, String[]>> {
    @Override
    public Iterator<Map.Entry<String, String[]>> iterator() {
      return new Cursor<>() {
        @Override
        Map.Entry<String, String[]> element(int index) {
          return new Entry(Objects.requireNonNull(names[index]), values[index]);
        }
      };
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public boolean contains(@Nullable Object o) {
      if (!(o instanceof Map.Entry<?, ?> entry)
          || !(entry.getKey() instanceof String name)
          || !(entry.getValue() instanceof String[] array)) {
        return false;
      }
      int index = indexOf(name);
      return index >= 0 && Arrays.equals(values[index], array);
    }

    @Override
    public boolean remove(@Nullable Object o) {
      if (contains(o)) {
        HeaderDictionary.this.remove(((Map.Entry<?, ?>) Objects.requireNonNull(o)).getKey());
        return true;
      }
      return false;
    }

    @Override
    public void clear() {
      HeaderDictionary.this.clear();
    }
  }

  private final class KeySet extends AbstractSet<String> {
    @Override
    public Iterator<String> iterator() {
      return new Cursor<>() {
        @Override
        String element(int index) {
          return Objects.requireNonNull(names[index]);
        }
      };
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public boolean contains(@Nullable Object o) {
      return containsKey(o);
    }

    @Override
    public boolean remove(@Nullable Object o) {
      if (o instanceof String name) {
        checkNotFrozen("remove header " + name);
        return HeaderDictionary.this.remove(name) != null;
      }
      return false;
    }

    @Override
    public void clear() {
      HeaderDictionary.this.clear();
    }
  }

  private final class Values extends AbstractCollection<String[]> {
    @Override
    public Iterator<String[]> iterator() {
      return new Cursor<>() {
        @Override
        String[] element(int index) {
          return values[index].clone();
        }
      };
    }

    @Override
    public int size() {
      return size;
    }

    @Override
    public boolean contains(@Nullable Object o) {
      return containsValue(o);
    }

    @Override
    public boolean remove(@Nullable Object o) {
      if (o instanceof String[] array) {
        for (int i = 0; i < size; i++) {
          if (Arrays.equals(values[i], array)) {
            checkNotFrozen("remove header " + names[i]);
            removeAt(i);
            return true;
          }
        }
      }
      return false;
    }

    @Override
    public void clear() {
      HeaderDictionary.this.clear();
    }
  }
}
