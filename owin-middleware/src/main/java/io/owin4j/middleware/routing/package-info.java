/**
 * Routing by method and path template: {@link io.owin4j.middleware.routing.Router}.
 *
 * <p>The parameters a route matched are put into the environment under {@link
 * io.owin4j.api.RoutingKeys#PARAMETERS}, where {@code OwinContext.routeParameters()} reads them.
 */
@NullMarked
package io.owin4j.middleware.routing;

import org.jspecify.annotations.NullMarked;
