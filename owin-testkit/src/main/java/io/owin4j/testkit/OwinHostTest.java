package io.owin4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs every test of the class once per {@link HostMode}: in memory and on a real Undertow server
 * on {@code 127.0.0.1} and an ephemeral port, with the mode in the display name.
 *
 * <pre>{@code
 * @OwinHostTest
 * class GreetingTest {
 *   @TestApplication
 *   static AppFunc app() {
 *     return env -> OwinContext.of(env).writeTextAsync("hello");
 *   }
 *
 *   @Test
 *   void greets(TestClient client) {
 *     assertEquals("hello", client.get("/").send().bodyAsText());
 *   }
 * }
 * }</pre>
 *
 * <h2>JUnit version</h2>
 *
 * Needs JUnit Jupiter 5.13 or newer (6.x included): it is a {@code @ClassTemplate}. On an older
 * JUnit every annotated class fails with one message naming the version needed.
 *
 * <h2>The application</h2>
 *
 * The class (or a superclass) has exactly one static, parameterless method annotated {@link
 * TestApplication} returning an {@code AppFunc} or a {@code Consumer<AppBuilder>}; anything else
 * fails the class naming the member. Each mode starts one {@link TestServer} for the class, before
 * its first test, and closes it after its last.
 *
 * <h2>What tests get</h2>
 *
 * Test methods, lifecycle methods and constructors may take a {@link TestClient}, {@link
 * TestServer} or {@link HostMode} parameter; instance fields of those types annotated {@link
 * FromHost} are set before each test. A field annotated {@code @FromHost} of another type, or
 * static, or final, fails the test instead of being skipped. A test or class marked {@link OnlyOn}
 * is skipped, with its reason, in the other mode.
 *
 * <h2>Leak gate</h2>
 *
 * After each test, every request the test made must have finished within a short grace; otherwise
 * the test fails, naming each request still running and where it was sent from.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ClassTemplate
// First, so an older JUnit gets one clear message instead of a TypeNotPresentException.
@ExtendWith(JUnitFloor.class)
@ExtendWith(OwinHostExtension.class)
public @interface OwinHostTest {
  /** The modes to run in, in this order; both unless set. */
  HostMode[] modes() default {HostMode.IN_MEMORY, HostMode.UNDERTOW};

  /** Whether {@link io.owin4j.core.OwinLint} checks every request; see {@link TestServer}. */
  boolean lint() default true;

  /** Whether the application's exceptions reach the test; see {@link TestServer}. */
  boolean propagateExceptions() default true;
}
