package io.owin4j.middleware.compression;

import java.util.List;
import java.util.Locale;

/** Whether an {@code Accept-Encoding} header accepts gzip (RFC 9110, section 12.5.3). */
final class AcceptEncoding {
  private AcceptEncoding() {}

  /**
   * True when {@code tokens} (the header's comma-separated members) give {@code gzip} (or {@code
   * x-gzip}) a quality above zero, or, without naming it, give {@code *} one.
   */
  static boolean acceptsGzip(List<String> tokens) {
    Double gzip = null;
    Double any = null;
    for (String token : tokens) {
      String[] parts = token.split(";");
      String coding = parts[0].trim().toLowerCase(Locale.ROOT);
      double quality = 1.0;
      for (int i = 1; i < parts.length; i++) {
        String parameter = parts[i].trim();
        if (parameter.length() > 2 && (parameter.startsWith("q=") || parameter.startsWith("Q="))) {
          quality = parseQuality(parameter.substring(2).trim());
        }
      }
      if (coding.equals("gzip") || coding.equals("x-gzip")) {
        gzip = gzip == null ? quality : Math.max(gzip, quality);
      } else if (coding.equals("*")) {
        any = quality;
      }
    }
    if (gzip != null) {
      return gzip > 0;
    }
    return any != null && any > 0;
  }

  /** A quality value; a malformed one counts as 0, which refuses rather than guesses. */
  private static double parseQuality(String text) {
    if (!text.matches("(0(\\.\\d{0,3})?|1(\\.0{0,3})?)")) {
      return 0;
    }
    return Double.parseDouble(text);
  }
}
