/**
 * Testing Owin4J applications: an in-memory host, the same tests against a real Undertow server,
 * fluent HTTP, WebSocket and opaque-upgrade clients, and environments for unit-testing one
 * middleware.
 *
 * <p>{@link io.owin4j.testkit.TestServer} runs an application and is its own {@link
 * io.owin4j.testkit.TestClient}; {@link io.owin4j.testkit.OwinHostTest} runs a test class once per
 * {@link io.owin4j.testkit.HostMode}; {@link io.owin4j.testkit.TestEnvironment} builds one
 * request's environment without any server.
 */
@NullMarked
package io.owin4j.testkit;

import org.jspecify.annotations.NullMarked;
