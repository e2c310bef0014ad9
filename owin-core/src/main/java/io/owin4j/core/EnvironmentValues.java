package io.owin4j.core;

import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Typed reads from an environment map and the wording of their failures, shared by the context, the
 * builder and the linter so that every message about a key reads the same.
 */
final class EnvironmentValues {
  private EnvironmentValues() {}

  /**
   * Returns the value under {@code key} as a {@code type}, or null when the key is absent.
   *
   * @throws IllegalArgumentException if the value is not a {@code type}
   */
  static <T> @Nullable T get(Map<String, ?> map, String key, Class<T> type) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(wrongType(key, type, value));
    }
    return type.cast(value);
  }

  /**
   * Returns the value under {@code key} as a {@code type}.
   *
   * @throws IllegalStateException if the key is absent
   * @throws IllegalArgumentException if the value is not a {@code type}
   */
  static <T> T require(Map<String, ?> map, String key, Class<T> type) {
    T value = get(map, key, type);
    if (value == null) {
      throw new IllegalStateException(missing(key));
    }
    return value;
  }

  /** The message for an absent required key. */
  static String missing(String key) {
    return key + " is missing from the environment";
  }

  /** The message for a value of the wrong type, e.g. {@code x must be a String, got Integer 5}. */
  static String wrongType(String key, Class<?> expected, @Nullable Object actual) {
    return expectation(key, expected) + ", got " + describe(actual);
  }

  /** The first half of a type message: {@code x must be a String}. */
  static String expectation(String key, Class<?> expected) {
    return key + " must be " + article(expected.getSimpleName());
  }

  /**
   * A value's type and content, as every message of this package shows it: {@code String "200"},
   * {@code Integer 200}, {@code String[] [a, b]}; long contents are cut at 100 characters.
   */
  static String describe(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    String type = value.getClass().getSimpleName();
    if (type.isEmpty()) {
      type = value.getClass().getName();
    }
    String text;
    if (value instanceof CharSequence) {
      text = "\"" + value + "\"";
    } else if (value instanceof Object[] array) {
      text = Arrays.toString(array);
    } else {
      text = String.valueOf(value);
    }
    if (text.length() > 100) {
      text = text.substring(0, 100) + "...";
    }
    return type + " " + text;
  }

  /**
   * Returns the name under which {@code headers} holds {@code name}, compared ignoring case, or
   * null.
   *
   * <p>Header maps should compare names ignoring case, but a plain map from a simple host or a test
   * may not, so an exact miss falls back to a scan.
   */
  static @Nullable String headerName(Map<?, ?> headers, String name) {
    if (headers.containsKey(name)) {
      return name;
    }
    for (Object key : headers.keySet()) {
      if (key instanceof String candidate && candidate.equalsIgnoreCase(name)) {
        return candidate;
      }
    }
    return null;
  }

  private static String article(String noun) {
    return ("AEIOU".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
  }
}
