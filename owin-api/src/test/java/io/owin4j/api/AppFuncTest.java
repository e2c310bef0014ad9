package io.owin4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class AppFuncTest {
  private final Map<String, Object> env = new HashMap<>();

  @Test
  void invokeSafelyReturnsTheApplicationsOwnStage() {
    CompletableFuture<Void> stage = new CompletableFuture<>();
    assertSame(stage, AppFunc.invokeSafely(e -> stage, env));
  }

  @Test
  void invokeSafelyTurnsASynchronousThrowIntoAFailedStage() {
    IOException boom = new IOException("boom");
    CompletionStage<Void> stage =
        AppFunc.invokeSafely(
            e -> {
              throw boom;
            },
            env);
    CompletionException failure =
        assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
    assertSame(boom, failure.getCause());
  }

  @Test
  void invokeSafelyTurnsANullStageIntoANullPointerFailure() {
    CompletionStage<Void> stage = AppFunc.invokeSafely(e -> null, env);
    CompletionException failure =
        assertThrows(CompletionException.class, () -> stage.toCompletableFuture().join());
    assertTrue(failure.getCause() instanceof NullPointerException);
    assertTrue(failure.getCause().getMessage().contains("returned a null stage"));
  }

  @Test
  void middlewareComposesAroundTheNextApplication() throws Exception {
    MidFunc tag = next -> e -> {
      e.put("before", true);
      return next.invoke(e);
    };
    AppFunc app = tag.apply(e -> {
      e.put("seen", e.get("before"));
      return CompletableFuture.completedFuture(null);
    });
    app.invoke(env).toCompletableFuture().join();
    assertEquals(true, env.get("seen"));
  }
}
