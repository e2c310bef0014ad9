package io.owin4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class JUnitFloorTest {
  /** Sees every class but {@code @ClassTemplate}, like a JUnit older than 5.13. */
  private static final class BeforeClassTemplates extends ClassLoader {
    BeforeClassTemplates() {
      super(JUnitFloorTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.equals("org.junit.jupiter.api.ClassTemplate")) {
        throw new ClassNotFoundException(name);
      }
      return super.loadClass(name, resolve);
    }
  }

  @Test
  void olderJUnitGetsOneMessageNamingTheVersionNeeded() {
    assertEquals(
        "@OwinHostTest needs JUnit Jupiter 5.13 or newer (it runs each class once per host with"
            + " @ClassTemplate), got junit-jupiter-api 5.11.4; import org.junit:junit-bom 5.13.0"
            + " or newer in dependencyManagement",
        JUnitFloor.check(new BeforeClassTemplates(), "5.11.4"));
  }

  @Test
  void currentJUnitPasses() {
    assertNull(JUnitFloor.check(JUnitFloorTest.class.getClassLoader(), "6.0.1"));
  }
}
