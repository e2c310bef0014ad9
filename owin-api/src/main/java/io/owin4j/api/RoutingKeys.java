package io.owin4j.api;

/**
 * The keys a router puts into the environment of the request it dispatches.
 *
 * <p>They are not part of OWIN 1.0; they let code that is not the router (an endpoint, a later
 * middleware, a typed view such as {@code OwinContext}) read what the router matched without
 * depending on the router.
 */
public final class RoutingKeys {
  private RoutingKeys() {}

  /**
   * {@code Map<String, String>}: the parameters of the route template that matched, by name, such
   * as {@code id -> "42"} for the template {@code /users/{id}} and the path {@code /users/42}.
   * Values are percent-decoded (the request path already is); a trailing wildcard's value is the
   * rest of the path without its leading {@code /}, possibly empty. The map is unmodifiable, and
   * empty for a template without parameters. Absent when no router matched the request.
   */
  public static final String PARAMETERS = "routing.Parameters";

  /**
   * {@code String}: the template of the route that matched, as it was registered, such as {@code
   * /users/{id}}; convenient for logs and metrics. Absent when no router matched the request.
   */
  public static final String TEMPLATE = "routing.Template";
}
