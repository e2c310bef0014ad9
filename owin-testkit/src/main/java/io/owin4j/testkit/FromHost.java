package io.owin4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an instance field of an {@link OwinHostTest} class that the extension sets before each
 * test: a {@link TestClient} or {@link TestServer} (the server of the current mode) or the {@link
 * HostMode}. A field of another type, a static field or a final one fails the test.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface FromHost {}
