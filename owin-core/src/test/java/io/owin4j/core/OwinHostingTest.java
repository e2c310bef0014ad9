package io.owin4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.api.AppFunc;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The argument checks of {@link OwinHosting#invoke}. Running an application through it needs the
 * upgrade bridge's {@code afterApplication}; those tests belong with the bridge.
 */
class OwinHostingTest {
  private static final AppFunc OK = env -> CompletableFuture.completedFuture(null);

  @Test
  void rejectsNullApplication() {
    NullPointerException e =
        assertThrows(
            NullPointerException.class,
            () -> OwinHosting.invoke(null, new TypedRequest().features));

    assertEquals("app", e.getMessage());
  }

  @Test
  void rejectsNullFeatures() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> OwinHosting.invoke(OK, null));

    assertEquals("features", e.getMessage());
  }
}
