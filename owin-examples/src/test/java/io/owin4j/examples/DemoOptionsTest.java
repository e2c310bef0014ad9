package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DemoOptionsTest {
  @Test
  void noArgumentsMeanTheDefaults() {
    assertEquals(new DemoOptions("127.0.0.1", 8080, null, false), DemoOptions.parse());
  }

  @Test
  void everyOptionTakesTheNextArgument() {
    assertEquals(
        new DemoOptions("0.0.0.0", 0, Path.of("/srv/www"), false),
        DemoOptions.parse("--host", "0.0.0.0", "--port", "0", "--root", "/srv/www"));
  }

  @Test
  void optionsAlsoTakeAValueAfterEquals() {
    assertEquals(
        new DemoOptions("::1", 9000, null, false), DemoOptions.parse("--host=::1", "--port=9000"));
  }

  @Test
  void helpWinsOverEverythingElse() {
    assertEquals(true, DemoOptions.parse("--port", "1", "--help", "--bogus").help());
  }

  @Test
  void hostAndPortComeFromTheEnvironmentWhenNotGiven() {
    assertEquals(
        new DemoOptions("0.0.0.0", 5000, null, false),
        DemoOptions.parse(Map.of("HOST", "0.0.0.0", "PORT", "5000")));
  }

  @Test
  void optionsWinOverTheEnvironment() {
    assertEquals(
        new DemoOptions("127.0.0.1", 0, null, false),
        DemoOptions.parse(
            Map.of("HOST", "0.0.0.0", "PORT", "not-a-port"), "--host", "127.0.0.1", "--port", "0"));
  }

  @Test
  void badPortInTheEnvironmentNamesTheVariable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DemoOptions.parse(Map.of("PORT", "http")));

    assertEquals("PORT must be an integer in [0, 65535], got \"http\"", e.getMessage());
  }

  @Test
  void unknownOptionIsRejectedByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--verbose"));

    assertEquals("unknown option --verbose", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "65536", "http", ""})
  void portOutsideTheRangeIsRejectedWithTheRule(String port) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--port=" + port));

    assertEquals(
        port.isEmpty()
            ? "--port needs a value"
            : "--port must be an integer in [0, 65535], got \"" + port + "\"",
        e.getMessage());
  }

  @Test
  void optionWithoutValueIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse("--root"));

    assertEquals("--root needs a value", e.getMessage());
  }

  @Test
  void optionFollowedByAnotherOptionHasNoValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DemoOptions.parse("--host", "--port", "1"));

    assertEquals("--host needs a value", e.getMessage());
  }

  @Test
  void optionGivenTwiceIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DemoOptions.parse("--port", "1", "--port", "2"));

    assertEquals("--port must be given at most once", e.getMessage());
  }
}
