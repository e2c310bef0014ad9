package io.owin4j.examples;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The demo server's command line.
 *
 * @param host the address to listen on
 * @param port the port to listen on; 0 for any free port
 * @param root the folder {@code /files/} serves, or null for the shipped sample folder
 * @param help true when {@code --help} was given; the other values are then the defaults
 */
record DemoOptions(String host, int port, @Nullable Path root, boolean help) {
  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_PORT = 8080;

  static final String USAGE =
      """
      Usage: java -jar owin-examples.jar [--host H] [--port N] [--root DIR] [--help]

        --host H    address to listen on (default $HOST, else 127.0.0.1)
        --port N    port to listen on, 0 for any free port (default $PORT, else 8080)
        --root DIR  folder served under /files/ (default: a small sample folder)
        --help      print this help and exit

      Prints "Listening on http://HOST:PORT/" once ready; stop it with Ctrl-C.
      """;

  DemoOptions {
    Objects.requireNonNull(host, "host");
  }

  /** Parses {@code args} with no environment; see {@link #parse(Map, String...)}. */
  static DemoOptions parse(String... args) {
    return parse(Map.of(), args);
  }

  /**
   * Parses {@code args}; each option takes its value as the next argument or after {@code =}. The
   * environment's {@code HOST} and {@code PORT} (as a container platform sets them) replace the
   * defaults; the options win over both.
   *
   * @throws IllegalArgumentException with a message for the user on an unknown option, a missing or
   *     invalid value, or an option given twice
   */
  static DemoOptions parse(Map<String, String> environment, String... args) {
    String host = null;
    Integer port = null;
    Path root = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return new DemoOptions(DEFAULT_HOST, DEFAULT_PORT, null, true);
      }
      int equals = arg.indexOf('=');
      String name = equals < 0 ? arg : arg.substring(0, equals);
      String value;
      if (equals >= 0) {
        value = arg.substring(equals + 1);
      } else if (i + 1 < args.length && isOption(name) && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        value = null;
      }
      switch (name) {
        case "--host" -> host = once(name, host, nonEmpty(name, value));
        case "--port" -> port = once(name, port, port(name, value));
        case "--root" -> root = once(name, root, Path.of(nonEmpty(name, value)));
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    String hostVariable = environment.get("HOST");
    String portVariable = environment.get("PORT");
    if (host == null) {
      host = hostVariable == null || hostVariable.isBlank() ? DEFAULT_HOST : hostVariable.strip();
    }
    if (port == null) {
      port =
          portVariable == null || portVariable.isBlank()
              ? DEFAULT_PORT
              : port("PORT", portVariable.strip());
    }
    return new DemoOptions(host, port, root, false);
  }

  private static boolean isOption(String name) {
    return name.equals("--host") || name.equals("--port") || name.equals("--root");
  }

  private static <T> T once(String name, @Nullable T previous, T value) {
    if (previous != null) {
      throw new IllegalArgumentException(name + " must be given at most once");
    }
    return value;
  }

  private static String nonEmpty(String name, @Nullable String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return value;
  }

  private static int port(String name, @Nullable String value) {
    String text = nonEmpty(name, value);
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below with the rule
    }
    throw new IllegalArgumentException(
        name + " must be an integer in [0, 65535], got \"" + text + "\"");
  }
}
