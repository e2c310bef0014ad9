// README:begin testing-poweredby
package io.owin4j.testkit.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.core.OwinContext;
import io.owin4j.testkit.TestEnvironment;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

// Unit-tests one middleware without any server: a real environment, a mocked next.
class PoweredByTest {
  static final MidFunc POWERED_BY =
      next ->
          env -> {
            OwinContext.of(env).setResponseHeader("X-Powered-By", "Owin4J");
            return next.invoke(env);
          };

  @Test
  void setsTheHeaderAndCallsNext() throws Exception {
    AppFunc next = mock(AppFunc.class);
    when(next.invoke(any())).thenReturn(CompletableFuture.completedFuture(null));
    TestEnvironment exchange = TestEnvironment.get("/items").header("Accept", "text/plain").build();

    exchange.run(POWERED_BY.apply(next));

    verify(next).invoke(exchange.environment());
    assertEquals("Owin4J", exchange.response().header("X-Powered-By"));
  }
}
// README:end
