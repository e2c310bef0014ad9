package io.owin4j.middleware.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTemplateTest {
  @Test
  void literalTemplateMatchesExactlyAndCaseSensitively() {
    RouteTemplate template = RouteTemplate.parse("/hello");

    assertEquals(Map.of(), template.match("/hello"));
    assertNull(template.match("/Hello"));
    assertNull(template.match("/hello/"));
    assertNull(template.match("/hello/x"));
  }

  @Test
  void rootMatchesTheRootAndTheEmptyPathBelowAPathBase() {
    RouteTemplate template = RouteTemplate.parse("/");

    assertEquals(Map.of(), template.match("/"));
    assertEquals(Map.of(), template.match(""));
    assertNull(template.match("/x"));
  }

  @Test
  void parametersAreCapturedByName() {
    assertEquals(
        Map.of("a", "1", "b", "2"), RouteTemplate.parse("/x/{a}/y/{b}").match("/x/1/y/2"));
  }

  @Test
  void anonymousWildcardMatchesAnything() {
    RouteTemplate template = RouteTemplate.parse("/static/*");

    assertEquals(Map.of(), template.match("/static/a/b"));
    assertNull(template.match("/other"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"users", "/users/{id", "/users/id}", "/{*rest}/x", "/{}", "/{a}/{a}", "/x{a}"})
  void invalidTemplatesAreRejectedNamingThem(String template) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RouteTemplate.parse(template));

    assertEquals(true, e.getMessage().contains(template), e.getMessage());
  }

  @Test
  void lowerCaseMethodIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Router.builder().route("get", "/", env -> null));

    assertEquals(
        "route method must be a non-empty upper-case token such as GET, got \"get\"",
        e.getMessage());
  }
}
