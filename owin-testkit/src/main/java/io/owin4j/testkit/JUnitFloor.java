package io.owin4j.testkit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Fails an {@link OwinHostTest} class at once, with one message naming the JUnit version needed,
 * when JUnit Jupiter is older than 5.13.
 *
 * <p>{@link OwinHostTest} runs a class once per host through {@code @ClassTemplate}, which JUnit
 * Jupiter added in 5.13. On an older JUnit the extension behind it cannot even be loaded, and JUnit
 * reports a {@code TypeNotPresentException} instead. This extension uses nothing newer than JUnit
 * 5.0 and is registered first, so its constructor runs, and fails, before JUnit tries the other.
 */
final class JUnitFloor implements Extension {
  /** The oldest JUnit Jupiter that {@link OwinHostTest} runs on. */
  static final String MINIMUM = "5.13";

  private static final String CLASS_TEMPLATE = "org.junit.jupiter.api.ClassTemplate";

  JUnitFloor() {
    String problem = check(JUnitFloor.class.getClassLoader(), jupiterVersion());
    if (problem != null) {
      throw new ExtensionConfigurationException(problem);
    }
  }

  /**
   * The complaint about the JUnit Jupiter that {@code loader} sees, or null when it is new enough.
   *
   * @param version the junit-jupiter-api version, for the message
   */
  static @Nullable String check(ClassLoader loader, String version) {
    try {
      Class.forName(CLASS_TEMPLATE, false, loader);
      return null;
    } catch (ClassNotFoundException | LinkageError e) {
      return "@OwinHostTest needs JUnit Jupiter "
          + MINIMUM
          + " or newer (it runs each class once per host with @ClassTemplate), got junit-jupiter-api "
          + version
          + "; import org.junit:junit-bom "
          + MINIMUM
          + ".0 or newer in dependencyManagement";
    }
  }

  private static String jupiterVersion() {
    String version = Test.class.getPackage().getImplementationVersion();
    return version != null ? version : "of an unknown version";
  }
}
