package io.owin4j.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class HeaderDictionaryTest {
  private final HeaderDictionary headers = new HeaderDictionary();

  @Test
  void namesCompareIgnoringCase() {
    headers.put("Content-Type", new String[] {"text/plain"});

    assertArrayEquals(new String[] {"text/plain"}, headers.get("content-TYPE"));
    assertTrue(headers.containsKey("CONTENT-type"));
  }

  @Test
  void firstInsertionSpellingIsKept() {
    headers.put("X-Trace", new String[] {"a"});

    headers.put("x-trace", new String[] {"b"});

    assertEquals(List.of("X-Trace"), new ArrayList<>(headers.keySet()));
    assertArrayEquals(new String[] {"b"}, headers.get("X-TRACE"));
  }

  @Test
  void namesDifferingBeyondAsciiCaseAreDistinct() {
    headers.set("k", "ascii");
    headers.set("\u212A", "kelvin sign");

    assertEquals(2, headers.size());
    assertEquals("ascii", headers.first("K"));
  }

  @Test
  void keepsInsertionOrder() {
    headers.set("B", "1");
    headers.set("A", "2");
    headers.set("C", "3");
    headers.remove("A");
    headers.set("A", "4");

    assertEquals(List.of("B", "C", "A"), new ArrayList<>(headers.keySet()));
  }

  @Test
  void getReturnsACopy() {
    headers.set("Accept", "text/html");

    headers.get("Accept")[0] = "changed";

    assertEquals("text/html", headers.first("Accept"));
  }

  @Test
  void putStoresACopy() {
    String[] values = {"text/html"};
    headers.put("Accept", values);

    values[0] = "changed";

    assertEquals("text/html", headers.first("Accept"));
  }

  @Test
  void putReturnsThePreviousValues() {
    headers.set("Accept", "a");

    assertArrayEquals(new String[] {"a"}, headers.put("accept", new String[] {"b"}));
    assertNull(headers.put("Other", new String[] {"c"}));
  }

  @Test
  void addAppendsAValue() {
    headers.add("Vary", "Accept");
    headers.add("vary", "Origin");

    assertArrayEquals(new String[] {"Accept", "Origin"}, headers.get("Vary"));
  }

  @Test
  void setReplacesAllValues() {
    headers.put("Vary", new String[] {"Accept", "Origin"});

    headers.set("VARY", "Cookie");

    assertArrayEquals(new String[] {"Cookie"}, headers.get("Vary"));
  }

  @Test
  void firstAnswersNullForAbsentOrEmptyHeader() {
    headers.put("Empty", new String[0]);

    assertNull(headers.first("Missing"));
    assertNull(headers.first("Empty"));
  }

  @Test
  void removeDeletesTheHeaderAndReturnsItsValues() {
    headers.set("Accept", "a");

    assertArrayEquals(new String[] {"a"}, headers.remove("ACCEPT"));
    assertFalse(headers.containsKey("Accept"));
    assertNull(headers.remove("Accept"));
  }

  @Test
  void queriesWithNullOrNonStringKeysFindNothing() {
    headers.set("Accept", "a");

    assertNull(headers.get(null));
    assertNull(headers.get(42));
    assertFalse(headers.containsKey(null));
    assertNull(headers.remove(null));
  }

  @Test
  void rejectsNullName() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> headers.put(null, new String[] {"a"}));

    assertEquals("header name must not be null", e.getMessage());
  }

  @Test
  void rejectsEmptyName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> headers.set("", "a"));

    assertEquals("header name must not be empty", e.getMessage());
  }

  @Test
  void rejectsNullArray() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> headers.put("Accept", null));

    assertEquals("values of header Accept must not be null", e.getMessage());
  }

  @Test
  void rejectsNullElementNamingItsIndex() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class, () -> headers.put("Accept", new String[] {"a", null}));

    assertEquals(
        "values of header Accept must not contain null, got null at index 1", e.getMessage());
    assertFalse(headers.containsKey("Accept"));
  }

  @Test
  void rejectsNullValueInAdd() {
    assertThrows(NullPointerException.class, () -> headers.add("Accept", null));
  }

  @Test
  void containsValueComparesArrayContents() {
    headers.put("Accept", new String[] {"a", "b"});

    assertTrue(headers.containsValue(new String[] {"a", "b"}));
    assertFalse(headers.containsValue(new String[] {"a"}));
  }

  @Test
  void equalsComparesNamesIgnoringCaseAndValuesByContent() {
    HeaderDictionary other = new HeaderDictionary();
    headers.put("Accept", new String[] {"a", "b"});
    headers.set("Host", "example.com");
    other.set("host", "example.com");
    other.put("ACCEPT", new String[] {"a", "b"});

    assertEquals(headers, other);
    assertEquals(other, headers);
    assertEquals(headers.hashCode(), other.hashCode());
  }

  @Test
  void equalsDetectsDifferentValues() {
    HeaderDictionary other = new HeaderDictionary();
    headers.set("Accept", "a");
    other.set("Accept", "b");

    assertNotEquals(headers, other);
  }

  @Test
  void equalsAnyMapAnsweringEqualArrays() {
    Map<String, String[]> plain = new HashMap<>();
    plain.put("Accept", new String[] {"a"});
    headers.set("Accept", "a");

    assertEquals(headers, plain);
  }

  @Test
  void hashCodeIsTheSumOfEntryHashCodes() {
    headers.set("Accept", "a");
    headers.put("Vary", new String[] {"x", "y"});

    int sum = 0;
    for (Map.Entry<String, String[]> entry : headers.entrySet()) {
      sum += entry.hashCode();
    }

    assertEquals(sum, headers.hashCode());
  }

  @Test
  void toStringShowsValues() {
    headers.put("Vary", new String[] {"x", "y"});

    assertEquals("{Vary=[x, y]}", headers.toString());
  }

  @Test
  void entrySetValueWritesThrough() {
    headers.set("Accept", "a");
    Map.Entry<String, String[]> entry = headers.entrySet().iterator().next();

    String[] old = entry.setValue(new String[] {"b"});

    assertArrayEquals(new String[] {"a"}, old);
    assertArrayEquals(new String[] {"b"}, entry.getValue());
    assertEquals("b", headers.first("Accept"));
  }

  @Test
  void entryValueIsACopy() {
    headers.set("Accept", "a");
    Map.Entry<String, String[]> entry = headers.entrySet().iterator().next();

    entry.getValue()[0] = "changed";

    assertEquals("a", headers.first("Accept"));
  }

  @Test
  void iteratorRemoveDeletesTheCurrentHeader() {
    headers.set("A", "1");
    headers.set("B", "2");
    headers.set("C", "3");
    Iterator<String> names = headers.keySet().iterator();
    names.next();
    names.next();

    names.remove();

    assertEquals(List.of("A", "C"), new ArrayList<>(headers.keySet()));
    assertEquals("C", names.next());
    assertFalse(names.hasNext());
  }

  @Test
  void iteratorFailsFastOnConcurrentChange() {
    headers.set("A", "1");
    Iterator<String> names = headers.keySet().iterator();

    headers.set("B", "2");

    assertThrows(ConcurrentModificationException.class, names::next);
  }

  @Test
  void viewsRemoveByContent() {
    headers.put("A", new String[] {"1"});
    headers.put("B", new String[] {"2"});
    headers.put("C", new String[] {"3"});

    assertTrue(headers.values().remove(new String[] {"2"}));
    assertTrue(headers.entrySet().remove(Map.entry("c", new String[] {"3"})));
    assertTrue(headers.keySet().remove("a"));

    assertTrue(headers.isEmpty());
  }

  @Test
  void clearRemovesEverything() {
    headers.set("A", "1");
    headers.set("B", "2");

    headers.clear();

    assertEquals(0, headers.size());
    assertNull(headers.get("A"));
  }

  @Test
  void holdsManyHeaders() {
    for (int i = 0; i < 100; i++) {
      headers.set("X-Header-" + i, Integer.toString(i));
    }

    assertEquals(100, headers.size());
    for (int i = 0; i < 100; i++) {
      assertEquals(Integer.toString(i), headers.first("x-header-" + i));
    }
  }

  @Test
  void frozenDictionaryStillReads() {
    headers.set("Accept", "a");

    headers.freeze("the response has started");

    assertTrue(headers.isFrozen());
    assertEquals("a", headers.first("Accept"));
    assertEquals(1, headers.size());
  }

  @Test
  void frozenDictionaryRefusesPutNamingHeaderAndReason() {
    headers.freeze("the response has started");

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> headers.set("X-Foo", "1"));

    assertEquals("cannot set header X-Foo: the response has started", e.getMessage());
  }

  @Test
  void frozenDictionaryRefusesRemoveNamingHeaderAndReason() {
    headers.set("X-Foo", "1");
    headers.freeze("the response has started");

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> headers.remove("X-Foo"));

    assertEquals("cannot remove header X-Foo: the response has started", e.getMessage());
    assertEquals("1", headers.first("X-Foo"));
  }

  @Test
  void freezingTwiceKeepsTheFirstReason() {
    headers.freeze("first");
    headers.freeze("second");

    IllegalStateException e = assertThrows(IllegalStateException.class, headers::clear);

    assertEquals("cannot clear the headers: first", e.getMessage());
  }

  @Test
  void frozenDictionaryRefusesEveryKindOfChange() {
    headers.set("X-Foo", "1");
    headers.freeze("the response has started");
    Map.Entry<String, String[]> entry = headers.entrySet().iterator().next();
    Iterator<String> names = headers.keySet().iterator();
    names.next();

    List<Executable> changes =
        List.of(
            () -> headers.put("X-Foo", new String[] {"2"}),
            () -> headers.add("X-Foo", "2"),
            () -> headers.putAll(Map.of("X-Bar", new String[] {"2"})),
            () -> headers.putIfAbsent("X-Bar", new String[] {"2"}),
            headers::clear,
            () -> headers.keySet().remove("X-Foo"),
            () -> headers.keySet().clear(),
            () -> headers.values().clear(),
            () -> headers.values().remove(new String[] {"1"}),
            () -> headers.entrySet().clear(),
            () -> headers.entrySet().removeIf(e -> true),
            () -> headers.replaceAll((name, values) -> values),
            () -> entry.setValue(new String[] {"2"}),
            names::remove);

    for (Executable change : changes) {
      assertThrows(IllegalStateException.class, change);
    }
    assertEquals("{X-Foo=[1]}", headers.toString());
  }

  @Test
  void rejectsNegativeExpectedSize() {
    assertThrows(IllegalArgumentException.class, () -> new HeaderDictionary(-1));
  }

  @Test
  void zeroExpectedSizeStillGrows() {
    HeaderDictionary empty = new HeaderDictionary(0);

    empty.set("A", "1");

    assertEquals("1", empty.first("a"));
  }

  @Test
  void settingEachEntrysValueWhileIteratingGoesOn() {
    HeaderDictionary headers = new HeaderDictionary();
    headers.set("A", "1");
    headers.set("B", "2");

    for (Map.Entry<String, String[]> entry : headers.entrySet()) {
      entry.setValue(new String[] {entry.getValue()[0] + "!"});
    }

    assertEquals("1!", headers.first("A"));
    assertEquals("2!", headers.first("B"));
  }
}
