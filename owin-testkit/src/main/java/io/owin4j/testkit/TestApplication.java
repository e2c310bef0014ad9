package io.owin4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the static, parameterless method of an {@link OwinHostTest} class that gives the
 * application under test: an {@code io.owin4j.api.AppFunc}, or a {@code
 * Consumer<io.owin4j.core.AppBuilder>} that configures the host's builder (and may read its startup
 * properties). It is called once per mode.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TestApplication {}
