package io.owin4j.undertow.internal;

/**
 * Checks what an application may put on the wire: header names, header values and reason phrases.
 *
 * <p>Undertow writes header bytes as ISO-8859-1 without checking them, so anything the application
 * sets passes through here first: a CR or LF that slipped through would split the response.
 */
final class HttpSyntax {
  private HttpSyntax() {}

  private static final boolean[] TOKEN = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TOKEN[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TOKEN[c] = true;
      TOKEN[c - 'a' + 'A'] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TOKEN[c] = true;
    }
  }

  /**
   * Checks that {@code name} is an HTTP token (RFC 9110 section 5.6.2).
   *
   * @throws IllegalArgumentException naming the header when it is not
   */
  static void checkHeaderName(String name) {
    boolean valid = !name.isEmpty();
    for (int i = 0; valid && i < name.length(); i++) {
      char c = name.charAt(i);
      valid = c < 128 && TOKEN[c];
    }
    if (!valid) {
      throw new IllegalArgumentException(
          "response header name must be a non-empty HTTP token (letters, digits and"
              + " !#$%&'*+-.^_`|~), got "
              + quote(name));
    }
  }

  /**
   * Checks that {@code value} may be sent as the value of header {@code name}: visible ISO-8859-1
   * characters, spaces and tabs only.
   *
   * @throws IllegalArgumentException naming the header when it may not
   */
  static void checkHeaderValue(String name, String value) {
    int bad = firstForbidden(value);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          "response header "
              + quote(name)
              + " value must not contain CR, LF, other control characters or characters above"
              + " U+00FF, got "
              + quote(value)
              + " with "
              + describe(value.charAt(bad))
              + " at index "
              + bad);
    }
  }

  /**
   * Checks that {@code reason} may be sent as the reason phrase.
   *
   * @throws IllegalArgumentException when it may not
   */
  static void checkReasonPhrase(String reason) {
    int bad = firstForbidden(reason);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          "owin.ResponseReasonPhrase must not contain CR, LF, other control characters or"
              + " characters above U+00FF, got "
              + quote(reason)
              + " with "
              + describe(reason.charAt(bad))
              + " at index "
              + bad);
    }
  }

  private static int firstForbidden(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
        return i;
      }
    }
    return -1;
  }

  private static String describe(char c) {
    return String.format("U+%04X", (int) c);
  }

  /** Quotes {@code s} for an error message, escaping what would garble a log line. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\r' -> out.append("\\r");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7F) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
