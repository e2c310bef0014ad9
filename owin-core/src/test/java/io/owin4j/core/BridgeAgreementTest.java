package io.owin4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.FeatureKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.api.features.AuthenticationFeature;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.features.DefaultFeatureCollection;
import io.owin4j.features.DefaultRequestFeature;
import io.owin4j.features.DefaultResponseFeature;
import io.owin4j.features.HeaderDictionary;
import io.owin4j.features.ResponseStarter;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The two directions of the bridge agree, however many round trips a request takes, the way a
 * developer porting from ASP.NET Core's OWIN bridge expects.
 */
class BridgeAgreementTest {
  private static final Principal ALICE = () -> "alice";
  private static final Principal BOB = () -> "bob";

  /** A feature a test sets itself, so no built-in view answers for it. */
  interface Marker {}

  @Nested
  class UserWithoutAnAuthenticationFeature {
    private final DefaultFeatureCollection features = new DefaultFeatureCollection();
    private final Map<String, Object> env = OwinEnvironment.of(features);

    @Test
    void serverUserMakesTheFeatureOnDemandSoTypedCodeSeesIt() throws Exception {
      env.put(ServerKeys.USER, ALICE);

      assertSame(ALICE, features.require(AuthenticationFeature.class).user());
    }

    @Test
    void bothUserKeysShowTheLastUserPutUnderEither() throws Exception {
      env.put(OwinKeys.REQUEST_USER, ALICE);
      env.put(ServerKeys.USER, BOB);

      assertSame(BOB, env.get(OwinKeys.REQUEST_USER));
      assertSame(BOB, env.get(ServerKeys.USER));
    }

    @Test
    void removingOneUserKeyRemovesTheUserUnderBoth() throws Exception {
      env.put(OwinKeys.REQUEST_USER, ALICE);

      env.remove(ServerKeys.USER);

      assertNull(env.get(OwinKeys.REQUEST_USER));
      assertNull(features.require(AuthenticationFeature.class).user());
    }
  }

  @Nested
  class NestedRoundTrips {
    @Test
    void entryPutAfterFeaturesMapFeaturesMapIsSeenByEveryMap() throws Exception {
      FeatureCollection features = new TypedRequest().features;
      Map<String, Object> first = OwinEnvironment.of(features);
      FeatureCollection back = OwinFeatureCollection.of(first);
      Map<String, Object> second = OwinEnvironment.of(back);

      second.put("app.trace", "t-1");

      assertEquals("t-1", first.get("app.trace"));
      assertEquals("t-1", OwinEnvironment.of(OwinFeatureCollection.of(second)).get("app.trace"));
    }

    @Test
    void featureSetAfterMapFeaturesMapFeaturesIsSeenByEveryCollection() throws Exception {
      Map<String, Object> env = new DictionaryRequest().env;
      FeatureCollection first = OwinFeatureCollection.of(env);
      Map<String, Object> back = OwinEnvironment.of(first);
      FeatureCollection second = OwinFeatureCollection.of(back);
      Marker marker = new Marker() {};

      second.set(Marker.class, marker);

      assertSame(marker, first.get(Marker.class));
      assertSame(marker, OwinFeatureCollection.of(OwinEnvironment.of(second)).get(Marker.class));
    }

    @Test
    void aTypedHostsCollectionHasOneEnvironment() throws Exception {
      FeatureCollection features = new TypedRequest().features;

      assertSame(OwinEnvironment.of(features), OwinEnvironment.of(features));
    }

    @Test
    void aPlainMapHasOneFeatureCollection() throws Exception {
      Map<String, Object> env = new DictionaryRequest().env;

      assertSame(OwinFeatureCollection.of(env), OwinFeatureCollection.of(env));
    }
  }

  @Nested
  class ReplacedFeatureOverAMap {
    private final DictionaryRequest dictionary = new DictionaryRequest();
    private final Map<String, Object> env = dictionary.env;
    private final FeatureCollection features = OwinFeatureCollection.of(env);

    @Test
    void replacingTheRequestFeatureShowsItsValuesInTheMap() throws Exception {
      DefaultRequestFeature replacement = new DefaultRequestFeature();
      replacement.setMethod("GET");
      replacement.setPath("/rewritten");
      replacement.setQueryString("?page=2");

      features.set(RequestFeature.class, replacement);

      assertEquals("/rewritten", env.get(OwinKeys.REQUEST_PATH));
      assertEquals("GET", env.get(OwinKeys.REQUEST_METHOD));
      assertEquals("page=2", env.get(OwinKeys.REQUEST_QUERY_STRING));
      assertSame(replacement.headers(), env.get(OwinKeys.REQUEST_HEADERS));
      assertSame(replacement, features.get(RequestFeature.class));
    }

    @Test
    void replacingTheResponseFeatureShowsItsStatusInTheMap() throws Exception {
      DefaultResponseFeature replacement = new DefaultResponseFeature(new ResponseStarter());
      replacement.setStatusCode(418);

      features.set(ResponseFeature.class, replacement);

      assertEquals(418, env.get(OwinKeys.RESPONSE_STATUS_CODE));
      assertSame(replacement.headers(), env.get(OwinKeys.RESPONSE_HEADERS));
    }
  }

  @Nested
  class OnlyOneWayToWrap {
    @Test
    void neitherBridgeHasAPublicConstructor() throws Exception {
      assertEquals(0, OwinEnvironment.class.getConstructors().length);
      assertEquals(0, OwinFeatureCollection.class.getConstructors().length);
    }
  }

  @Nested
  class FeaturesKey {
    @Test
    void theEnvironmentOfFeaturesShowsThemUnderTheKey() throws Exception {
      FeatureCollection features = new TypedRequest().features;

      Map<String, Object> env = OwinEnvironment.of(features);

      assertSame(features, env.get(FeatureKeys.FEATURES));
      assertSame(features, FeatureCollection.fromEnvironment(env));
    }

    @Test
    void featuresMadeOverAPlainMapAreLeftUnderTheKey() throws Exception {
      Map<String, Object> env = new DictionaryRequest().env;

      FeatureCollection features = OwinFeatureCollection.of(env);

      assertSame(features, env.get(FeatureKeys.FEATURES));
    }

    @Test
    void aReadOnlyMapStillGetsFeatures() throws Exception {
      Map<String, Object> env = Map.of(OwinKeys.REQUEST_PATH, "/items");

      assertEquals("/items", OwinFeatureCollection.of(env).require(RequestFeature.class).path());
    }

    @Test
    void aPlainMapWithoutFeaturesHasNone() throws Exception {
      assertNull(FeatureCollection.fromEnvironment(new DictionaryRequest().env));
    }

    @Test
    void anotherCollectionCannotReplaceTheEnvironmentsOwn() throws Exception {
      Map<String, Object> env = OwinEnvironment.of(new TypedRequest().features);

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> env.put(FeatureKeys.FEATURES, new DefaultFeatureCollection()));

      assertTrue(e.getMessage().startsWith("owin4j.Features is this environment's own"), e.getMessage());
    }

    @Test
    void theLinterAcceptsTheKeyWithAFeatureCollection() throws Exception {
      List<LintViolation> found = new ArrayList<>();
      Map<String, Object> env = TestEnvironment.valid();
      OwinFeatureCollection.of(env);

      OwinLint.middleware(found::add)
          .apply(e -> CompletableFuture.completedFuture(null))
          .invoke(env)
          .toCompletableFuture()
          .join();

      assertEquals(List.of(), found);
    }

    @Test
    void theLinterFlagsTheKeyWithAnotherType() throws Exception {
      List<LintViolation> found = new ArrayList<>();
      Map<String, Object> env = TestEnvironment.valid();
      env.put(FeatureKeys.FEATURES, "features");

      OwinLint.middleware(found::add)
          .apply(e -> CompletableFuture.completedFuture(null))
          .invoke(env);

      assertEquals(
          List.of(
              new LintViolation(
                  OwinLint.REQUEST_KEY_TYPE,
                  "owin4j.Features must be a FeatureCollection, got String \"features\"")),
          found);
    }
  }

  @Nested
  class MapWithoutAPath {
    @Test
    void mapSendsARequestWithoutAPathOnDownThePipelineLikeAMiss() throws Exception {
      Map<String, Object> env = TestEnvironment.valid();
      env.remove(OwinKeys.REQUEST_PATH);
      AppFunc app =
          AppBuilder.create()
              .map("/api", branch -> branch.run(e -> { throw new AssertionError("branch ran"); }))
              .build();

      app.invoke(env).toCompletableFuture().join();

      assertEquals(404, env.get(OwinKeys.RESPONSE_STATUS_CODE));
    }
  }

  @Nested
  class HeaderArrays {
    private final List<LintViolation> found = new ArrayList<>();
    private final Map<String, Object> env = TestEnvironment.valid();
    private final HeaderDictionary headers = new HeaderDictionary();

    HeaderArrays() {
      headers.set("X-Count", "1");
      env.put(OwinKeys.RESPONSE_HEADERS, headers);
    }

    private void lint(AppFunc app) throws Exception {
      OwinLint.middleware(found::add).apply(app).invoke(env).toCompletableFuture().join();
    }

    @Test
    void getHandsOutACopy() throws Exception {
      headers.get("X-Count")[0] = "2";

      assertEquals("1", headers.first("X-Count"));
    }

    @Test
    void theLinterFlagsACopyChangedInPlaceAndNeverPutBack() throws Exception {
      lint(
          e -> {
            TestEnvironment.responseHeaders(e).get("X-Count")[0] = "2";
            return CompletableFuture.completedFuture(null);
          });

      assertEquals(
          List.of(
              new LintViolation(
                  "headers.array-changed-in-place",
                  "owin.ResponseHeaders value array of X-Count was changed in place to [2], which"
                      + " changes nothing: the array get returns is a copy; put it back with"
                      + " put(\"X-Count\", values)")),
          found);
    }

    @Test
    void theLinterAcceptsACopyThatWasPutBack() throws Exception {
      lint(
          e -> {
            String[] values = TestEnvironment.responseHeaders(e).get("X-Count");
            values[0] = "2";
            TestEnvironment.responseHeaders(e).put("X-Count", values);
            return CompletableFuture.completedFuture(null);
          });

      assertEquals(List.of(), found);
    }
  }

  @Nested
  class EmulatedOverADictionaryHost {
    private final DictionaryRequest dictionary = new DictionaryRequest();
    private final Map<String, Object> env = dictionary.env;

    @Test
    void onCompletedRunsWhenTheBuiltPipelineCompletes() throws Exception {
      List<String> calls = new ArrayList<>();
      AppFunc app =
          AppBuilder.create()
              .run(
                  e -> {
                    ResponseFeature response =
                        OwinFeatureCollection.of(e).require(ResponseFeature.class);
                    response.onCompleted(() -> calls.add("first"));
                    response.onCompleted(() -> calls.add("second"));
                    calls.add("app");
                    return CompletableFuture.completedFuture(null);
                  })
              .build();

      CompletableFuture<Void> stage = app.invoke(env).toCompletableFuture();

      assertTrue(stage.isDone());
      assertEquals(List.of("app", "second", "first"), calls);
    }

    @Test
    void aFailingOnCompletedCallbackIsLoggedAndTheOthersStillRun() throws Exception {
      List<String> calls = new ArrayList<>();
      List<LogRecord> logged = new ArrayList<>();
      Logger logger = Logger.getLogger(OwinFeatureCollection.class.getName());
      Handler handler =
          new Handler() {
            @Override
            public void publish(LogRecord record) {
              logged.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
          };
      logger.addHandler(handler);
      try {
        AppFunc app =
            AppBuilder.create()
                .run(
                    e -> {
                      ResponseFeature response =
                          OwinFeatureCollection.of(e).require(ResponseFeature.class);
                      response.onCompleted(() -> calls.add("survivor"));
                      response.onCompleted(
                          () -> {
                            throw new IllegalStateException("callback broke");
                          });
                      return CompletableFuture.completedFuture(null);
                    })
                .build();

        app.invoke(env).toCompletableFuture().join();
      } finally {
        logger.removeHandler(handler);
      }

      assertEquals(List.of("survivor"), calls);
      assertEquals(1, logged.size());
      assertEquals("callback broke", logged.get(0).getThrown().getMessage());
    }

    @Test
    void onCompletedOutsideABuiltPipelineFailsNamingTheAlternative() throws Exception {
      ResponseFeature response = OwinFeatureCollection.of(env).require(ResponseFeature.class);

      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, () -> response.onCompleted(() -> {}));

      assertTrue(e.getMessage().contains("AppBuilder"), e.getMessage());
    }

    @Test
    void onStartingWithoutOnSendingHeadersRunsBeforeTheFirstWrite() throws Exception {
      env.remove(ServerKeys.ON_SENDING_HEADERS);
      ResponseFeature response = OwinFeatureCollection.of(env).require(ResponseFeature.class);
      List<String> calls = new ArrayList<>();
      response.onStarting(() -> calls.add("starting, sent " + dictionary.sent.size()));
      boolean before = response.hasStarted();

      ((OutputStream) env.get(OwinKeys.RESPONSE_BODY)).write("hi".getBytes(StandardCharsets.UTF_8));

      assertFalse(before);
      assertTrue(response.hasStarted());
      assertEquals(List.of("starting, sent 0"), calls);
      assertEquals("hi", dictionary.sentText());
    }

    @Test
    void abortFailsNamingTheAlternative() throws Exception {
      RequestLifetimeFeature lifetime =
          OwinFeatureCollection.of(env).require(RequestLifetimeFeature.class);

      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, lifetime::abort);

      assertTrue(e.getMessage().contains("fail the application's stage"), e.getMessage());
    }
  }
}
