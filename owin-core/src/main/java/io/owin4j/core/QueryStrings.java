package io.owin4j.core;

import io.owin4j.api.OwinKeys;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses an encoded query string by the {@code application/x-www-form-urlencoded} rules. */
final class QueryStrings {
  private QueryStrings() {}

  /**
   * Parses {@code query} into names and their values, both in the order they first appear.
   *
   * <p>Pairs are separated by {@code &}; empty pairs are skipped; a pair without {@code =} has the
   * empty value; {@code +} is a space; {@code %XX} escapes are UTF-8 bytes.
   *
   * @return an unmodifiable map of unmodifiable lists
   * @throws IllegalArgumentException if an escape is malformed or the bytes are not UTF-8
   */
  static Map<String, List<String>> parse(String query) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    int start = 0;
    while (start <= query.length()) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      if (end > start) {
        int equals = query.indexOf('=', start);
        int nameEnd = equals >= 0 && equals < end ? equals : end;
        String name = decode(query, start, nameEnd);
        String value = nameEnd < end ? decode(query, nameEnd + 1, end) : "";
        parameters.computeIfAbsent(name, unused -> new ArrayList<>()).add(value);
      }
      start = end + 1;
    }
    parameters.replaceAll((name, values) -> Collections.unmodifiableList(values));
    return Collections.unmodifiableMap(parameters);
  }

  private static String decode(String query, int start, int end) {
    String component = query.substring(start, end);
    if (component.indexOf('%') < 0) {
      return component.replace('+', ' ');
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(component.length());
    int literalStart = 0;
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (c != '%' && c != '+') {
        continue;
      }
      bytes.writeBytes(component.substring(literalStart, i).getBytes(StandardCharsets.UTF_8));
      if (c == '+') {
        bytes.write(' ');
        literalStart = i + 1;
        continue;
      }
      int high = i + 2 < component.length() ? Character.digit(component.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(component.charAt(i + 2), 16) : -1;
      if (low < 0) {
        String escape = component.substring(i, Math.min(i + 3, component.length()));
        throw new IllegalArgumentException(
            OwinKeys.REQUEST_QUERY_STRING
                + " \""
                + query
                + "\" must use %XX escapes with two hex digits, got \""
                + escape
                + "\" at index "
                + (start + i));
      }
      bytes.write(high << 4 | low);
      i += 2;
      literalStart = i + 1;
    }
    bytes.writeBytes(component.substring(literalStart).getBytes(StandardCharsets.UTF_8));
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          OwinKeys.REQUEST_QUERY_STRING
              + " \""
              + query
              + "\" must percent-encode UTF-8, but \""
              + component
              + "\" does not decode as UTF-8",
          e);
    }
  }
}
