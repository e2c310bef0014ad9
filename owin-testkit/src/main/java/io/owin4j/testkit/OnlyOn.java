package io.owin4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test, or every test of an {@link OwinHostTest} class, in one mode only; in the other it is
 * reported skipped with {@link #reason()}, never passed. In a class without {@code @OwinHostTest}
 * the test fails, since nothing would run it per mode.
 *
 * <pre>{@code
 * @Test
 * @OnlyOn(value = HostMode.UNDERTOW, reason = "uses the JDK HttpClient directly")
 * void answersHttp2(TestClient client) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@ExtendWith(OnlyOnCheck.class)
public @interface OnlyOn {
  /** The mode to run in. */
  HostMode value();

  /** Why the test cannot run in the other mode; shown as the skip reason. */
  String reason();
}
