package io.owin4j.core;

import static io.owin4j.core.Stages.assertSucceeded;
import static io.owin4j.core.Stages.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.HostKeys;
import io.owin4j.api.MidFunc;
import io.owin4j.api.FeatureKeys;
import io.owin4j.api.OwinKeys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppBuilderTest {
  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  private static AppFunc status(int status) {
    return environment -> {
      environment.put(OwinKeys.RESPONSE_STATUS_CODE, status);
      return DONE;
    };
  }

  private static MidFunc tracing(List<String> trace, String name) {
    return next ->
        environment -> {
          trace.add(name + " in");
          return next.invoke(environment).thenRun(() -> trace.add(name + " out"));
        };
  }

  private static CompletionStage<Void> invoke(AppFunc app, Map<String, Object> environment) {
    return AppFunc.invokeSafely(app, environment);
  }

  @Nested
  class Pipeline {
    @Test
    void firstUsedMiddlewareIsOutermost() {
      List<String> trace = new ArrayList<>();
      AppFunc app =
          AppBuilder.create()
              .use(tracing(trace, "a"))
              .use(tracing(trace, "b"))
              .run(
                  environment -> {
                    trace.add("app");
                    return DONE;
                  })
              .build();

      assertSucceeded(invoke(app, TestEnvironment.valid()));

      assertEquals(List.of("a in", "b in", "app", "b out", "a out"), trace);
    }

    @Test
    void applyRunsAtBuildTimeInnermostFirst() {
      List<String> applied = new ArrayList<>();
      AppBuilder builder = AppBuilder.create();
      builder.use(
          next -> {
            applied.add("a");
            return next;
          });
      builder.use(
          next -> {
            applied.add("b");
            return next;
          });
      assertEquals(List.of(), applied);

      builder.build();

      assertEquals(List.of("b", "a"), applied);
    }

    @Test
    void runAppIsTheEndOfThePipeline() {
      Map<String, Object> environment = TestEnvironment.valid();

      assertSucceeded(invoke(AppBuilder.create().run(status(204)).build(), environment));

      assertEquals(204, environment.get(OwinKeys.RESPONSE_STATUS_CODE));
    }

    @Test
    void contextMiddlewareGetsAContextOverTheEnvironmentAndTheNextApp() {
      Map<String, Object> environment = TestEnvironment.valid();
      AppFunc app =
          AppBuilder.create()
              .use(
                  (context, next) -> {
                    context.setResponseHeader("X-Seen", context.method());
                    return next.invoke(context.environment());
                  })
              .run(status(201))
              .build();

      assertSucceeded(invoke(app, environment));

      assertEquals("GET", TestEnvironment.responseHeaders(environment).get("X-Seen")[0]);
      assertEquals(201, environment.get(OwinKeys.RESPONSE_STATUS_CODE));
    }

    @Test
    void contextMiddlewareThatDoesNotCallNextEndsTheRequest() {
      Map<String, Object> environment = TestEnvironment.valid();
      AppFunc app =
          AppBuilder.create()
              .use((context, next) -> context.setStatusCode(401).writeTextAsync("no"))
              .run(status(200))
              .build();

      assertSucceeded(invoke(app, environment));

      assertEquals(401, environment.get(OwinKeys.RESPONSE_STATUS_CODE));
    }

    @Test
    void useAfterRunFailsNamingTheCall() {
      AppBuilder builder = AppBuilder.create().run(status(200));

      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> builder.use(next -> next));

      assertTrue(
          e.getMessage().startsWith("use(MidFunc) called after run(AppFunc)"), e.getMessage());
    }

    @Test
    void contextUseAfterRunFailsNamingTheCall() {
      AppBuilder builder = AppBuilder.create().run(status(200));

      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> builder.use((context, next) -> next.invoke(context.environment())));

      assertTrue(e.getMessage().startsWith("use(ContextMiddleware) called after"), e.getMessage());
    }

    @Test
    void runAfterRunFailsNamingTheCall() {
      AppBuilder builder = AppBuilder.create().run(status(200));

      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> builder.run(status(201)));

      assertTrue(e.getMessage().startsWith("run(AppFunc) called after"), e.getMessage());
    }

    @Test
    void mapAndMapWhenAfterRunFailNamingTheCall() {
      AppBuilder builder = AppBuilder.create().run(status(200));

      IllegalStateException map =
          assertThrows(IllegalStateException.class, () -> builder.map("/a", branch -> {}));
      IllegalStateException mapWhen =
          assertThrows(
              IllegalStateException.class,
              () -> builder.mapWhen(environment -> true, branch -> {}));

      assertTrue(map.getMessage().startsWith("map(String, Consumer) called after"));
      assertTrue(mapWhen.getMessage().startsWith("mapWhen(Predicate, Consumer) called after"));
    }

    @Test
    void pipelineWithoutRunAnswers404AndChangesNothingElse() {
      Map<String, Object> environment = TestEnvironment.valid();
      Map<String, Object> before = new HashMap<>(environment);

      assertSucceeded(invoke(AppBuilder.create().build(), environment));

      Map<String, Object> expected = new HashMap<>(before);
      expected.put(OwinKeys.RESPONSE_STATUS_CODE, 404);
      // The pipeline leaves the request's features under their key, as OwinFeatureCollection.of.
      expected.put(FeatureKeys.FEATURES, OwinFeatureCollection.of(environment));
      assertEquals(expected, environment);
      assertEquals(0, TestEnvironment.responseBody(environment).size());
      assertTrue(TestEnvironment.responseHeaders(environment).isEmpty());
    }

    @Test
    void middlewareWithoutRunFallsThroughTo404() {
      List<String> trace = new ArrayList<>();
      Map<String, Object> environment = TestEnvironment.valid();

      assertSucceeded(invoke(AppBuilder.create().use(tracing(trace, "a")).build(), environment));

      assertEquals(List.of("a in", "a out"), trace);
      assertEquals(404, environment.get(OwinKeys.RESPONSE_STATUS_CODE));
    }

    @Test
    void applyReturningNullFailsTheBuild() {
      AppBuilder builder = AppBuilder.create().use(next -> null);

      IllegalStateException e = assertThrows(IllegalStateException.class, builder::build);

      assertTrue(e.getMessage().contains("returned null from apply"), e.getMessage());
    }

    @Test
    void eachBuildComposesTheMiddlewareAddedSoFar() {
      List<String> applied = new ArrayList<>();
      AppBuilder builder =
          AppBuilder.create()
              .use(
                  next -> {
                    applied.add("a");
                    return next;
                  });
      AppFunc first = builder.build();
      builder.use(next -> status(202));

      AppFunc second = builder.build();

      assertEquals(List.of("a", "a"), applied);
      assertNotSame(first, second);
      Map<String, Object> firstEnvironment = TestEnvironment.valid();
      Map<String, Object> secondEnvironment = TestEnvironment.valid();
      assertSucceeded(invoke(first, firstEnvironment));
      assertSucceeded(invoke(second, secondEnvironment));
      assertEquals(404, firstEnvironment.get(OwinKeys.RESPONSE_STATUS_CODE));
      assertEquals(202, secondEnvironment.get(OwinKeys.RESPONSE_STATUS_CODE));
    }
  }

  @Nested
  class MapPrefix {
    /** Records the path base and path the branch saw. */
    private final List<String> seen = new ArrayList<>();

    private AppFunc recorder() {
      return environment -> {
        seen.add(
            environment.get(OwinKeys.REQUEST_PATH_BASE)
                + "|"
                + environment.get(OwinKeys.REQUEST_PATH));
        environment.put(OwinKeys.RESPONSE_STATUS_CODE, 200);
        return DONE;
      };
    }

    private AppFunc mapFooToRecorder() {
      return AppBuilder.create().map("/foo", branch -> branch.run(recorder())).build();
    }

    private Map<String, Object> send(AppFunc app, String pathBase, String path) {
      Map<String, Object> environment = TestEnvironment.at(pathBase, path);
      assertSucceeded(invoke(app, environment));
      return environment;
    }

    @Test
    void pathEqualToThePrefixMovesWholeAndLeavesAnEmptyPath() {
      send(mapFooToRecorder(), "", "/foo");

      assertEquals(List.of("/foo|"), seen);
    }

    @Test
    void trailingSlashStaysInThePath() {
      send(mapFooToRecorder(), "", "/foo/");

      assertEquals(List.of("/foo|/"), seen);
    }

    @Test
    void deeperPathKeepsTheRest() {
      send(mapFooToRecorder(), "", "/foo/bar/baz");

      assertEquals(List.of("/foo|/bar/baz"), seen);
    }

    @Test
    void prefixMatchesOnlyWholeSegments() {
      Map<String, Object> environment = send(mapFooToRecorder(), "", "/foobar");

      assertEquals(List.of(), seen);
      assertEquals(404, environment.get(OwinKeys.RESPONSE_STATUS_CODE));
    }

    @Test
    void shorterPathDoesNotMatch() {
      send(mapFooToRecorder(), "", "/fo");

      assertEquals(List.of(), seen);
    }

    @Test
    void prefixMatchesIgnoringCaseAndPathBaseKeepsTheRequestSpelling() {
      send(mapFooToRecorder(), "", "/FoO/Bar");

      assertEquals(List.of("/FoO|/Bar"), seen);
    }

    @Test
    void matchedSegmentIsAppendedToAnExistingPathBase() {
      send(mapFooToRecorder(), "/app", "/foo/x");

      assertEquals(List.of("/app/foo|/x"), seen);
    }

    @Test
    void prefixIsComparedWithTheDecodedPath() {
      AppFunc app = AppBuilder.create().map("/a b", branch -> branch.run(recorder())).build();

      send(app, "", "/a b/c");

      assertEquals(List.of("/a b|/c"), seen);
    }

    @Test
    void pathAndPathBaseAreRestoredWhenTheBranchSucceeds() {
      Map<String, Object> environment = send(mapFooToRecorder(), "/app", "/foo/bar");

      assertEquals("/app", environment.get(OwinKeys.REQUEST_PATH_BASE));
      assertEquals("/foo/bar", environment.get(OwinKeys.REQUEST_PATH));
    }

    @Test
    void pathAndPathBaseStayMovedUntilTheBranchStageCompletes() {
      CompletableFuture<Void> branchDone = new CompletableFuture<>();
      AppFunc app =
          AppBuilder.create().map("/foo", branch -> branch.run(environment -> branchDone)).build();
      Map<String, Object> environment = TestEnvironment.at("", "/foo/bar");

      CompletionStage<Void> stage = invoke(app, environment);

      assertEquals("/foo", environment.get(OwinKeys.REQUEST_PATH_BASE));
      assertEquals("/bar", environment.get(OwinKeys.REQUEST_PATH));
      branchDone.complete(null);
      assertSucceeded(stage);
      assertEquals("", environment.get(OwinKeys.REQUEST_PATH_BASE));
      assertEquals("/foo/bar", environment.get(OwinKeys.REQUEST_PATH));
    }

    @Test
    void pathAndPathBaseAreRestoredWhenTheBranchStageFails() {
      IllegalStateException boom = new IllegalStateException("boom");
      AppFunc app =
          AppBuilder.create()
              .map(
                  "/foo", branch -> branch.run(environment -> CompletableFuture.failedFuture(boom)))
              .build();
      Map<String, Object> environment = TestEnvironment.at("", "/foo/bar");

      CompletionStage<Void> stage = invoke(app, environment);

      assertSame(boom, failureOf(stage));
      assertEquals("", environment.get(OwinKeys.REQUEST_PATH_BASE));
      assertEquals("/foo/bar", environment.get(OwinKeys.REQUEST_PATH));
    }

    @Test
    void pathAndPathBaseAreRestoredWhenTheBranchThrows() {
      IllegalStateException boom = new IllegalStateException("boom");
      AppFunc app =
          AppBuilder.create()
              .map(
                  "/foo",
                  branch ->
                      branch.run(
                          environment -> {
                            throw boom;
                          }))
              .build();
      Map<String, Object> environment = TestEnvironment.at("", "/foo/bar");

      CompletionStage<Void> stage = invoke(app, environment);

      assertSame(boom, failureOf(stage));
      assertEquals("", environment.get(OwinKeys.REQUEST_PATH_BASE));
      assertEquals("/foo/bar", environment.get(OwinKeys.REQUEST_PATH));
    }

    @Test
    void nestedMapsMatchWhatTheOuterMapLeft() {
      AppFunc app = AppBuilder.create().map("/a", a -> a.map("/b", b -> b.run(recorder()))).build();

      Map<String, Object> environment = send(app, "", "/a/b/c");

      assertEquals(List.of("/a/b|/c"), seen);
      assertEquals("", environment.get(OwinKeys.REQUEST_PATH_BASE));
      assertEquals("/a/b/c", environment.get(OwinKeys.REQUEST_PATH));
    }

    @Test
    void branchWithoutRunAnswers404() {
      AppFunc app = AppBuilder.create().map("/foo", branch -> {}).run(status(200)).build();

      Map<String, Object> environment = send(app, "", "/foo");

      assertEquals(404, environment.get(OwinKeys.RESPONSE_STATUS_CODE));
    }

    @Test
    void requestsTheMapDoesNotTakeGoOnDownThePipeline() {
      AppFunc app =
          AppBuilder.create()
              .map("/foo", branch -> branch.run(recorder()))
              .run(status(201))
              .build();

      Map<String, Object> environment = send(app, "", "/bar");

      assertEquals(List.of(), seen);
      assertEquals(201, environment.get(OwinKeys.RESPONSE_STATUS_CODE));
    }

    @Test
    void branchIsConfiguredAtOnceAndComposedAtEachBuild() {
      List<String> events = new ArrayList<>();
      AppBuilder builder =
          AppBuilder.create()
              .map(
                  "/foo",
                  branch -> {
                    events.add("configure");
                    branch.use(
                        next -> {
                          events.add("apply");
                          return next;
                        });
                  });
      assertEquals(List.of("configure"), events);

      builder.build();
      builder.build();

      assertEquals(List.of("configure", "apply", "apply"), events);
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "/foo/", "", "foo/"})
    void prefixMustStartWithSlashAndNotEndWithOne(String prefix) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> AppBuilder.create().map(prefix, branch -> {}));

      assertEquals(
          "map prefix must start with \"/\" and not end with \"/\", got \"" + prefix + "\"",
          e.getMessage());
    }

    @Test
    void rootPrefixIsRejectedPointingToTheRootBuilder() {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> AppBuilder.create().map("/", branch -> {}));

      assertTrue(e.getMessage().contains("add to the root builder instead"), e.getMessage());
    }

  }

  @Nested
  class MapWhen {
    private final AppFunc app =
        AppBuilder.create()
            .mapWhen(
                environment -> "POST".equals(environment.get(OwinKeys.REQUEST_METHOD)),
                branch -> branch.run(status(201)))
            .run(status(200))
            .build();

    @Test
    void requestMatchingThePredicateGoesToTheBranch() {
      Map<String, Object> environment = TestEnvironment.valid();
      environment.put(OwinKeys.REQUEST_METHOD, "POST");

      assertSucceeded(invoke(app, environment));

      assertEquals(201, environment.get(OwinKeys.RESPONSE_STATUS_CODE));
    }

    @Test
    void otherRequestsGoOnDownThePipeline() {
      Map<String, Object> environment = TestEnvironment.valid();

      assertSucceeded(invoke(app, environment));

      assertEquals(200, environment.get(OwinKeys.RESPONSE_STATUS_CODE));
    }

    @Test
    void predicateThatThrowsFailsTheRequest() {
      IllegalStateException boom = new IllegalStateException("boom");
      AppFunc throwing =
          AppBuilder.create()
              .mapWhen(
                  environment -> {
                    throw boom;
                  },
                  branch -> {})
              .build();

      assertSame(boom, failureOf(invoke(throwing, TestEnvironment.valid())));
    }
  }

  @Nested
  class Properties {
    @Test
    void freshPropertiesHoldOwinVersion() {
      assertEquals(
          Map.of(OwinKeys.VERSION, OwinKeys.VERSION_VALUE), AppBuilder.create().properties());
    }

    @Test
    void hostPropertiesAreUsedAsGivenAndGainOwinVersion() {
      Map<String, Object> properties = new HashMap<>();
      properties.put(HostKeys.ADDRESSES, List.of());

      AppBuilder builder = AppBuilder.create(properties);
      builder.properties().put("app.Name", "demo");

      assertSame(properties, builder.properties());
      assertEquals(OwinKeys.VERSION_VALUE, properties.get(OwinKeys.VERSION));
      assertEquals("demo", properties.get("app.Name"));
      assertEquals(List.of(), properties.get(HostKeys.ADDRESSES));
    }

    @Test
    void otherOwinVersionIsRejected() {
      Map<String, Object> properties = new HashMap<>();
      properties.put(OwinKeys.VERSION, "2.0");

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> AppBuilder.create(properties));

      assertEquals(
          "owin.Version in the startup properties must be \"1.0\", got String \"2.0\"",
          e.getMessage());
    }

    @Test
    void branchesShareTheRootProperties() {
      AppBuilder root = AppBuilder.create();
      List<Map<String, Object>> branchProperties = new ArrayList<>();

      root.map("/a", branch -> branchProperties.add(branch.properties()));
      root.mapWhen(environment -> false, branch -> branchProperties.add(branch.properties()));

      assertEquals(2, branchProperties.size());
      assertSame(root.properties(), branchProperties.get(0));
      assertSame(root.properties(), branchProperties.get(1));
    }

    @Test
    void createRejectsNullProperties() {
      NullPointerException e =
          assertThrows(NullPointerException.class, () -> AppBuilder.create(null));

      assertEquals("properties", e.getMessage());
    }
  }
}
