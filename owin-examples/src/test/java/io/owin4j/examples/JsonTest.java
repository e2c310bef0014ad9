package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void plainTextIsOnlyQuoted() {
    assertEquals("\"hello, world\"", Json.quote("hello, world"));
  }

  @Test
  void quoteAndBackslashAreEscaped() {
    assertEquals("\"a\\\"b\\\\c\"", Json.quote("a\"b\\c"));
  }

  @Test
  void controlCharactersUseShortEscapesWhereJsonHasThem() {
    assertEquals("\"\\n\\r\\t\\b\\f\"", Json.quote("\n\r\t\b\f"));
  }

  @Test
  void otherControlCharactersUseUnicodeEscapes() {
    assertEquals("\"\\u0000\\u001f\\u0001\"", Json.quote("\u0000\u001f\u0001"));
  }

  @Test
  void nonAsciiAndSurrogatePairsPassThrough() {
    assertEquals("\"é \uD83D\uDE00 /\"", Json.quote("é \uD83D\uDE00 /"));
  }

  @Test
  void unpairedSurrogatesAreEscaped() {
    assertEquals("\"\\ud83d x \\ude00\"", Json.quote("\uD83D x \uDE00"));
  }
}
