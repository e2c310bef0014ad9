package io.owin4j.middleware.routing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A parsed path template such as {@code /users/{id}/files/{*rest}}.
 *
 * <p>Segments are literals (compared exactly, case-sensitively), parameters {@code {name}} (one
 * non-empty segment), or, as the last segment only, a wildcard {@code {*name}} or {@code *} that
 * takes the rest of the path, possibly empty.
 */
final class RouteTemplate {
  private final String text;
  private final List<String> literals; // "" where names holds a parameter
  private final List<@Nullable String> names; // null: the segment is the literal
  private final @Nullable String wildcard; // the wildcard's name; "" for an anonymous '*'
  private final boolean hasWildcard;

  private RouteTemplate(
      String text,
      List<String> literals,
      List<@Nullable String> names,
      @Nullable String wildcard,
      boolean hasWildcard) {
    this.text = text;
    this.literals = literals;
    this.names = names;
    this.wildcard = wildcard;
    this.hasWildcard = hasWildcard;
  }

  /**
   * Parses {@code template}.
   *
   * @throws IllegalArgumentException naming the template if it does not start with {@code /}, a
   *     parameter name is empty or repeated, a brace is unbalanced, or a wildcard is not last
   */
  static RouteTemplate parse(String template) {
    Objects.requireNonNull(template, "template");
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException(
          "route template must start with /, got \"" + template + "\"");
    }
    String[] segments = template.substring(1).split("/", -1);
    List<String> literals = new ArrayList<>();
    List<@Nullable String> names = new ArrayList<>();
    String wildcard = null;
    boolean hasWildcard = false;
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if (segment.equals("*") || segment.startsWith("{*")) {
        if (!last) {
          throw new IllegalArgumentException(
              "route template \"" + template + "\" may have a wildcard as its last segment only");
        }
        hasWildcard = true;
        wildcard = segment.equals("*") ? "" : name(template, segment, names);
        continue;
      }
      if (segment.startsWith("{")) {
        literals.add("");
        names.add(name(template, segment, names));
      } else {
        if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0) {
          throw new IllegalArgumentException(
              "route template \""
                  + template
                  + "\" has a brace inside the segment \""
                  + segment
                  + "\"; a parameter is a whole segment such as {id}");
        }
        literals.add(segment);
        names.add(null);
      }
    }
    return new RouteTemplate(template, List.copyOf(literals), names, wildcard, hasWildcard);
  }

  private static String name(String template, String segment, List<@Nullable String> seen) {
    if (!segment.startsWith("{") || !segment.endsWith("}")) {
      throw new IllegalArgumentException(
          "route template \"" + template + "\" has an unbalanced brace in \"" + segment + "\"");
    }
    String name = segment.substring(1, segment.length() - 1);
    if (name.startsWith("*")) {
      name = name.substring(1);
    }
    if (name.isEmpty() || name.indexOf('{') >= 0 || name.indexOf('}') >= 0) {
      throw new IllegalArgumentException(
          "route template \"" + template + "\" has an invalid parameter \"" + segment + "\"");
    }
    if (seen.contains(name)) {
      throw new IllegalArgumentException(
          "route template \"" + template + "\" names the parameter " + name + " twice");
    }
    return name;
  }

  /** The template as registered. */
  String text() {
    return text;
  }

  /**
   * Matches {@code path} (decoded, starting with {@code /} or empty).
   *
   * @return the parameters by name, unmodifiable; null when the path does not match
   */
  @Nullable Map<String, String> match(String path) {
    String rest = path.startsWith("/") ? path.substring(1) : path;
    Map<String, String> parameters = new LinkedHashMap<>();
    int position = 0;
    for (int i = 0; i < literals.size(); i++) {
      if (position > rest.length()) {
        return null;
      }
      int slash = rest.indexOf('/', position);
      int end = slash < 0 ? rest.length() : slash;
      String segment = rest.substring(position, end);
      String name = names.get(i);
      if (name == null) {
        if (!segment.equals(literals.get(i))) {
          return null;
        }
      } else {
        if (segment.isEmpty()) {
          return null;
        }
        parameters.put(name, segment);
      }
      boolean lastLiteral = i == literals.size() - 1;
      if (lastLiteral && !hasWildcard) {
        return slash < 0 ? Collections.unmodifiableMap(parameters) : null;
      }
      if (slash < 0) {
        if (hasWildcard && lastLiteral) {
          // "/files" matches "/files/{*rest}" with an empty rest
          return withWildcard(parameters, "");
        }
        return null;
      }
      position = slash + 1;
    }
    return withWildcard(parameters, position <= rest.length() ? rest.substring(position) : "");
  }

  private Map<String, String> withWildcard(Map<String, String> parameters, String value) {
    if (wildcard != null && !wildcard.isEmpty()) {
      parameters.put(wildcard, value);
    }
    return Collections.unmodifiableMap(parameters);
  }

  @Override
  public String toString() {
    return text;
  }
}
