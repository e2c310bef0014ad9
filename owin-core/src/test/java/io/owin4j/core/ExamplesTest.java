package io.owin4j.core;

import static io.owin4j.core.Stages.assertSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The examples in this module's Javadoc, kept here so the build proves they compile and work. */
class ExamplesTest {
  /** The example in {@link AppBuilder}'s class Javadoc. */
  private static AppFunc appBuilderExample() {
    AppFunc app =
        AppBuilder.create()
            .use(OwinLint.middleware())
            .map("/health", branch -> branch.run(env -> OwinContext.of(env).writeTextAsync("ok")))
            .use(
                (context, next) -> {
                  context.setResponseHeader("X-Powered-By", "Owin4J");
                  return next.invoke(context.environment());
                })
            .run(env -> OwinContext.of(env).writeTextAsync("hello"))
            .build();
    return app;
  }

  @Test
  void appBuilderExampleAnswersTheHealthBranch() throws Exception {
    Map<String, Object> environment = TestEnvironment.at("", "/health");

    assertSucceeded(appBuilderExample().invoke(environment));

    assertEquals("ok", TestEnvironment.responseBody(environment).toString(StandardCharsets.UTF_8));
    assertNull(TestEnvironment.responseHeaders(environment).get("X-Powered-By"));
  }

  @Test
  void appBuilderExampleAnswersOtherPathsThroughTheMiddleware() throws Exception {
    Map<String, Object> environment = TestEnvironment.at("", "/anything");

    assertSucceeded(appBuilderExample().invoke(environment));

    assertEquals(
        "hello", TestEnvironment.responseBody(environment).toString(StandardCharsets.UTF_8));
    assertEquals("Owin4J", TestEnvironment.responseHeaders(environment).get("X-Powered-By")[0]);
    assertNull(environment.get(OwinKeys.RESPONSE_STATUS_CODE));
  }

  @Test
  void contextMiddlewareExampleAddsItsHeader() throws Exception {
    AppBuilder app = AppBuilder.create();
    // The example in ContextMiddleware's Javadoc.
    app.use(
        (context, next) -> {
          context.setResponseHeader("X-Powered-By", "Owin4J");
          return next.invoke(context.environment());
        });
    Map<String, Object> environment = TestEnvironment.valid();

    assertSucceeded(app.build().invoke(environment));

    assertEquals("Owin4J", TestEnvironment.responseHeaders(environment).get("X-Powered-By")[0]);
  }
}
