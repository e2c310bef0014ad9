package io.owin4j.examples;

import io.owin4j.api.AppFunc;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Answers {@code GET} (and {@code HEAD}) with the request environment as a JSON object, keys
 * sorted; other methods get 405.
 *
 * <p>Each key maps to its value as a JSON string, with three exceptions: header maps (maps whose
 * values are all {@code String[]}) become objects of string arrays; values that are not strings,
 * numbers, booleans or characters become the name of their type; a null value becomes JSON null.
 * The query string appears exactly as the host passed it, still percent-encoded. The snapshot is
 * taken before the response headers are set, so {@code owin.ResponseHeaders} shows what earlier
 * middleware added.
 *
 * <p>Writes through the blocking response body, so the host calls it where blocking is allowed.
 */
public final class EnvironmentJson implements AppFunc {
  /** The response's content type. */
  public static final String CONTENT_TYPE = "application/json";

  /** Creates the endpoint; it holds no state. */
  public EnvironmentJson() {}

  @Override
  public CompletionStage<Void> invoke(Map<String, Object> env) throws Exception {
    if (!Env.isGetOrHead(env)) {
      return Env.methodNotAllowed(env, "GET, HEAD");
    }
    byte[] body = toJson(env).getBytes(StandardCharsets.UTF_8);
    Env.setHeader(env, "Cache-Control", "no-store");
    return Env.send(env, 200, CONTENT_TYPE, body);
  }

  /** Renders {@code env} as described in the class documentation. */
  static String toJson(Map<String, Object> env) {
    StringBuilder out = new StringBuilder("{");
    String separator = "\n  ";
    for (Map.Entry<String, Object> entry : new TreeMap<>(env).entrySet()) {
      out.append(separator);
      Json.appendString(out, entry.getKey()).append(": ");
      appendValue(out, entry.getValue());
      separator = ",\n  ";
    }
    return out.append("\n}\n").toString();
  }

  private static void appendValue(StringBuilder out, @Nullable Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof CharSequence
        || value instanceof Number
        || value instanceof Boolean
        || value instanceof Character) {
      Json.appendString(out, value.toString());
    } else if (value instanceof Map<?, ?> map && isHeaderMap(map)) {
      appendHeaders(out, map);
    } else {
      Json.appendString(out, typeName(value.getClass()));
    }
  }

  private static boolean isHeaderMap(Map<?, ?> map) {
    return map.values().stream().allMatch(v -> v instanceof String[])
        && map.keySet().stream().allMatch(k -> k instanceof String);
  }

  private static void appendHeaders(StringBuilder out, Map<?, ?> headers) {
    out.append('{');
    String separator = "";
    for (Map.Entry<?, ?> header : headers.entrySet()) {
      out.append(separator);
      Json.appendString(out, (String) header.getKey()).append(": [");
      String valueSeparator = "";
      for (String value : (String[]) header.getValue()) {
        Json.appendString(out.append(valueSeparator), value);
        valueSeparator = ", ";
      }
      out.append(']');
      separator = ", ";
    }
    out.append('}');
  }

  /**
   * A lambda's class name is a generated, unstable string; the interface it implements (such as
   * {@code io.owin4j.api.ext.WebSocketAccept}) says what the value is.
   */
  private static String typeName(Class<?> type) {
    Class<?>[] interfaces = type.getInterfaces();
    if (type.isHidden() && interfaces.length > 0) {
      return interfaces[0].getName();
    }
    return type.getName();
  }
}
