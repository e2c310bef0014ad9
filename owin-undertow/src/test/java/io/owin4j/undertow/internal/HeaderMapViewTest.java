package io.owin4j.undertow.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderMapViewTest {
  private final HeaderMap headers = new HeaderMap();
  private boolean frozen;
  private final Map<String, String[]> request = HeaderMapView.ofRequest(headers);
  private final Map<String, String[]> response =
      HeaderMapView.ofResponse(
          headers,
          () -> {
            if (frozen) {
              throw new IllegalStateException("started");
            }
          });

  @Test
  void getFindsNamesIgnoringCase() {
    headers.add(Headers.CONTENT_TYPE, "text/plain");

    assertArrayEquals(new String[] {"text/plain"}, request.get("content-TYPE"));
  }

  @Test
  void getReturnsEveryValueOfARepeatedHeader() {
    headers.add(new HttpString("Accept"), "a");
    headers.add(new HttpString("Accept"), "b");

    assertArrayEquals(new String[] {"a", "b"}, request.get("accept"));
  }

  @Test
  void getOfAnAbsentOrNonStringKeyIsNull() {
    assertNull(request.get("X-Missing"));
    assertNull(request.get(42));
  }

  @Test
  void putWritesThroughToTheHeaderMap() {
    request.put("X-Trace", new String[] {"1", "2"});

    assertEquals(2, headers.count("x-trace"));
    assertEquals("2", headers.get("X-Trace").getLast());
  }

  @Test
  void putReplacesEarlierValuesAndReturnsThem() {
    headers.add(new HttpString("X-A"), "old");

    String[] previous = request.put("x-a", new String[] {"new"});

    assertArrayEquals(new String[] {"old"}, previous);
    assertArrayEquals(new String[] {"new"}, request.get("X-A"));
  }

  @Test
  void putOfAnEmptyArrayRemovesTheHeader() {
    headers.add(new HttpString("X-A"), "old");

    request.put("X-A", new String[0]);

    assertFalse(request.containsKey("X-A"));
  }

  @Test
  void valueArraysAreCopiesInBothDirections() {
    String[] values = {"a"};
    request.put("X-A", values);
    values[0] = "changed";
    request.get("X-A")[0] = "changed too";

    assertArrayEquals(new String[] {"a"}, request.get("X-A"));
  }

  @Test
  void removeDeletesFromTheHeaderMap() {
    headers.add(new HttpString("X-A"), "1");

    assertArrayEquals(new String[] {"1"}, request.remove("x-a"));
    assertFalse(headers.contains("X-A"));
  }

  @Test
  void sizeAndIterationListEachNameOnce() {
    headers.add(new HttpString("X-A"), "1");
    headers.add(new HttpString("X-A"), "2");
    headers.add(new HttpString("X-B"), "3");

    Map<String, String[]> copy = new HashMap<>();
    for (Map.Entry<String, String[]> e : request.entrySet()) {
      copy.put(e.getKey(), e.getValue());
    }

    assertEquals(2, request.size());
    assertArrayEquals(new String[] {"1", "2"}, copy.get("X-A"));
    assertArrayEquals(new String[] {"3"}, copy.get("X-B"));
  }

  @Test
  void iteratorRemoveDeletesTheCurrentHeaderOnly() {
    headers.add(new HttpString("X-A"), "1");
    headers.add(new HttpString("X-B"), "2");
    headers.add(new HttpString("X-C"), "3");

    Iterator<Map.Entry<String, String[]>> it = request.entrySet().iterator();
    int seen = 0;
    while (it.hasNext()) {
      if (it.next().getKey().equals("X-B")) {
        it.remove();
      }
      seen++;
    }

    assertEquals(3, seen);
    assertEquals(2, request.size());
    assertFalse(headers.contains("X-B"));
  }

  @Test
  void entrySetValueWritesThrough() {
    headers.add(new HttpString("X-A"), "1");

    request.entrySet().iterator().next().setValue(new String[] {"2"});

    assertEquals("2", headers.getFirst("X-A"));
  }

  @Test
  void requestViewAcceptsAnyLatin1Value() {
    request.put("X-A", new String[] {"tab\tand \u00e9"});

    assertEquals("tab\tand \u00e9", headers.getFirst("X-A"));
  }

  @Test
  void responseViewRejectsCarriageReturnNamingTheHeader() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> response.put("X-Split", new String[] {"a\r\nSet-Cookie: x=1"}));

    assertTrue(e.getMessage().contains("\"X-Split\""), e.getMessage());
    assertTrue(e.getMessage().contains("\\r\\n"), e.getMessage());
    assertFalse(headers.contains("X-Split"));
  }

  @Test
  void responseViewRejectsLineFeedAlone() {
    assertThrows(IllegalArgumentException.class, () -> response.put("X-A", new String[] {"a\nb"}));
  }

  @Test
  void responseViewRejectsOtherControlCharactersAndDelete() {
    assertThrows(IllegalArgumentException.class, () -> response.put("X-A", new String[] {"\0"}));
    assertThrows(IllegalArgumentException.class, () -> response.put("X-A", new String[] {"\u007f"}));
  }

  @Test
  void responseViewRejectsCharactersAboveLatin1() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> response.put("X-A", new String[] {"\u20ac"}));

    assertTrue(e.getMessage().contains("U+20AC"), e.getMessage());
  }

  @Test
  void responseViewRejectsNamesThatAreNotTokens() {
    for (String name : new String[] {"", "X A", "X:A", "X\r\nA", "X\u00e9"}) {
      assertThrows(
          IllegalArgumentException.class, () -> response.put(name, new String[] {"v"}), name);
    }
  }

  @Test
  void responseViewAcceptsTabsAndLatin1() {
    response.put("X-A", new String[] {"a\tb \u00ff"});

    assertEquals("a\tb \u00ff", headers.getFirst("X-A"));
  }

  @Test
  void responseViewFailsEveryChangeOnceFrozen() {
    headers.add(new HttpString("X-A"), "1");
    frozen = true;

    assertThrows(IllegalStateException.class, () -> response.put("X-B", new String[] {"2"}));
    assertThrows(IllegalStateException.class, () -> response.remove("X-A"));
    assertThrows(IllegalStateException.class, response::clear);
    assertThrows(
        IllegalStateException.class,
        () -> {
          Iterator<Map.Entry<String, String[]>> it = response.entrySet().iterator();
          it.next();
          it.remove();
        });
    assertEquals("1", headers.getFirst("X-A"));
    assertFalse(headers.contains("X-B"));
  }

  @Test
  void putRejectsNullValuesNamingTheIndex() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class, () -> request.put("X-A", new String[] {"a", null}));

    assertTrue(e.getMessage().contains("value[1]"), e.getMessage());
  }

  @Test
  void containsValueComparesTheValuesByContent() {
    headers.add(new HttpString("Accept"), "a");
    headers.add(new HttpString("Accept"), "b");

    assertTrue(request.containsValue(new String[] {"a", "b"}));
    assertFalse(request.containsValue(new String[] {"a"}));
  }
}
