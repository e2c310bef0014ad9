package io.owin4j.undertow.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads server settings from environment variables, each failure naming the variable, the rule and
 * the value that arrived.
 */
public final class EnvironmentSettings {
  private final Map<String, String> environment;

  /** Reads {@code environment}. */
  public EnvironmentSettings(Map<String, String> environment) {
    this.environment = environment;
  }

  /** A variable that is set: its name and value. */
  public record Variable(String name, String value) {}

  /** The first of {@code names} that is set and not blank, or null. */
  public @Nullable Variable first(String... names) {
    for (String name : names) {
      String value = environment.get(name);
      if (value != null && !value.isBlank()) {
        return new Variable(name, value.strip());
      }
    }
    return null;
  }

  /** The value of {@code variable}. */
  public String value(Variable variable) {
    return variable.value();
  }

  /**
   * {@code variable} as an integer in [min, max].
   *
   * @throws IllegalArgumentException if it is not
   */
  public int integer(Variable variable, int min, int max) {
    try {
      int value = Integer.parseInt(variable.value());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        variable.name()
            + " must be an integer in ["
            + min
            + ", "
            + max
            + "], got \""
            + variable.value()
            + "\"");
  }

  /**
   * {@code variable} as {@code true} or {@code false}, in any case.
   *
   * @throws IllegalArgumentException if it is neither
   */
  public boolean bool(Variable variable) {
    return switch (variable.value().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              variable.name() + " must be true or false, got \"" + variable.value() + "\"");
    };
  }

  /**
   * {@code variable} as whole seconds or an ISO-8601 duration such as {@code PT30S}.
   *
   * @throws IllegalArgumentException if it is neither, or negative
   */
  public Duration duration(Variable variable) {
    String text = variable.value();
    try {
      Duration duration =
          text.chars().allMatch(Character::isDigit)
              ? Duration.ofSeconds(Long.parseLong(text))
              : Duration.parse(text);
      if (!duration.isNegative()) {
        return duration;
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        variable.name()
            + " must be whole seconds or an ISO-8601 duration such as PT30S, got \""
            + text
            + "\"");
  }

  /**
   * The path in {@code variable}, which must be set because {@code companion} is.
   *
   * @throws IllegalArgumentException naming both if it is not set
   */
  public Path path(@Nullable Variable variable, String name, String companion) {
    if (variable == null) {
      throw new IllegalArgumentException(name + " must be set when " + companion + " is, got none");
    }
    return Path.of(variable.value());
  }
}
