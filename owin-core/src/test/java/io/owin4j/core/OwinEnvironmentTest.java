package io.owin4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.ClientCertificateLoader;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.FeatureKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.api.SslKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.OpaqueUpgrade;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.SendFileFeature;
import io.owin4j.api.features.TlsFeature;
import io.owin4j.features.CancellationTokenSource;
import io.owin4j.features.DefaultFeatureCollection;
import io.owin4j.features.DefaultRequestFeature;
import io.owin4j.features.DefaultTlsFeature;
import io.owin4j.features.HeaderDictionary;
import io.owin4j.api.features.ServerCapabilities;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Typed to dictionary: every well-known key over the Default* features. */
class OwinEnvironmentTest {
  private final TypedRequest typed = new TypedRequest();
  private final OwinEnvironment env = new OwinEnvironment(typed.features);

  // --- reading ---

  static Stream<Arguments> keysAndFeatureValues() {
    return Stream.of(
        read(OwinKeys.REQUEST_METHOD, t -> "POST"),
        read(OwinKeys.REQUEST_SCHEME, t -> "https"),
        read(OwinKeys.REQUEST_PATH_BASE, t -> "/app"),
        read(OwinKeys.REQUEST_PATH, t -> "/items"),
        read(OwinKeys.REQUEST_QUERY_STRING, t -> "a=1&b=two"),
        read(OwinKeys.REQUEST_PROTOCOL, t -> "HTTP/1.1"),
        read(OwinKeys.REQUEST_HEADERS, t -> t.request.headers()),
        read(OwinKeys.REQUEST_BODY, t -> t.request.body()),
        read(OwinKeys.REQUEST_ID, t -> "req-1"),
        read(OwinKeys.REQUEST_USER, t -> t.alice),
        read(OwinKeys.RESPONSE_BODY, t -> t.body),
        read(OwinKeys.RESPONSE_HEADERS, t -> t.response.headers()),
        read(OwinKeys.RESPONSE_STATUS_CODE, t -> 200),
        read(OwinKeys.CALL_CANCELLED, t -> t.cancellation.token()),
        read(OwinKeys.VERSION, t -> "1.0"),
        read(ServerKeys.REMOTE_IP_ADDRESS, t -> "10.0.0.1"),
        read(ServerKeys.REMOTE_PORT, t -> "50000"),
        read(ServerKeys.LOCAL_IP_ADDRESS, t -> "10.0.0.2"),
        read(ServerKeys.LOCAL_PORT, t -> "8080"),
        read(ServerKeys.IS_LOCAL, t -> Boolean.TRUE),
        read(ServerKeys.CONNECTION_ID, t -> "c1"),
        read(ServerKeys.USER, t -> t.alice));
  }

  private static Arguments read(String key, Function<TypedRequest, Object> expected) {
    return Arguments.of(key, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keysAndFeatureValues")
  void readsKeyFromItsFeature(String key, Function<TypedRequest, Object> expected) {
    assertEquals(expected.apply(typed), env.get(key));
    assertTrue(env.containsKey(key));
    assertTrue(env.keySet().contains(key));
  }

  @Test
  void readsAreLive() {
    typed.request.setPath("/other");
    typed.response.setStatusCode(404);

    assertEquals("/other", env.get(OwinKeys.REQUEST_PATH));
    assertEquals(404, env.get(OwinKeys.RESPONSE_STATUS_CODE));
  }

  @Test
  void reasonPhraseAndResponseProtocolArePresentOnlyWhenSet() {
    boolean before =
        env.containsKey(OwinKeys.RESPONSE_REASON_PHRASE)
            || env.containsKey(OwinKeys.RESPONSE_PROTOCOL);
    typed.response.setReasonPhrase("Fine");
    typed.response.setProtocol("HTTP/1.0");

    assertFalse(before);
    assertEquals("Fine", env.get(OwinKeys.RESPONSE_REASON_PHRASE));
    assertEquals("HTTP/1.0", env.get(OwinKeys.RESPONSE_PROTOCOL));
  }

  @Test
  void emptyQueryStringReadsEmpty() {
    typed.request.setQueryString("");

    assertEquals("", env.get(OwinKeys.REQUEST_QUERY_STRING));
  }

  @Test
  void repeatedReadOfQueryStringGivesTheSameInstance() {
    assertSame(env.get(OwinKeys.REQUEST_QUERY_STRING), env.get(OwinKeys.REQUEST_QUERY_STRING));
  }

  @Test
  void anonymousRequestHasNoUserKeys() {
    typed.authentication.setUser(null);

    assertFalse(env.containsKey(OwinKeys.REQUEST_USER));
    assertFalse(env.containsKey(ServerKeys.USER));
  }

  @Test
  void seesAFeatureReplacedInTheCollection() {
    assertEquals("POST", env.get(OwinKeys.REQUEST_METHOD));
    DefaultRequestFeature replacement = new DefaultRequestFeature();
    replacement.setMethod("DELETE");

    typed.features.set(RequestFeature.class, replacement);

    assertEquals("DELETE", env.get(OwinKeys.REQUEST_METHOD));
  }

  // --- writing ---

  static Stream<Arguments> keysWrittenToFeatures() {
    InputStream body = new ByteArrayInputStream(new byte[0]);
    OutputStream out = new ByteArrayOutputStream();
    HeaderDictionary headers = new HeaderDictionary();
    Principal bob = () -> "bob";
    CancellationToken token = new CancellationTokenSource().token();
    return Stream.of(
        write(OwinKeys.REQUEST_METHOD, "PUT", t -> t.request.method(), "PUT"),
        write(OwinKeys.REQUEST_SCHEME, "http", t -> t.request.scheme(), "http"),
        write(OwinKeys.REQUEST_PATH_BASE, "/base", t -> t.request.pathBase(), "/base"),
        write(OwinKeys.REQUEST_PATH, "/p", t -> t.request.path(), "/p"),
        write(OwinKeys.REQUEST_QUERY_STRING, "x=1", t -> t.request.queryString(), "?x=1"),
        write(OwinKeys.REQUEST_PROTOCOL, "HTTP/2.0", t -> t.request.protocol(), "HTTP/2.0"),
        write(OwinKeys.REQUEST_HEADERS, headers, t -> t.request.headers(), headers),
        write(OwinKeys.REQUEST_BODY, body, t -> t.request.body(), body),
        write(OwinKeys.REQUEST_USER, bob, t -> t.authentication.user(), bob),
        write(OwinKeys.RESPONSE_BODY, out, t -> t.responseBody.stream(), out),
        write(OwinKeys.RESPONSE_HEADERS, headers, t -> t.response.headers(), headers),
        write(OwinKeys.RESPONSE_STATUS_CODE, 404, t -> t.response.statusCode(), 404),
        write(OwinKeys.RESPONSE_REASON_PHRASE, "Gone", t -> t.response.reasonPhrase(), "Gone"),
        write(OwinKeys.RESPONSE_PROTOCOL, "HTTP/1.0", t -> t.response.protocol(), "HTTP/1.0"),
        write(OwinKeys.CALL_CANCELLED, token, t -> t.lifetime.requestAborted(), token),
        write(ServerKeys.REMOTE_IP_ADDRESS, "::1", t -> t.connection.remoteIpAddress(), "::1"),
        write(ServerKeys.REMOTE_PORT, "1234", t -> t.connection.remotePort(), 1234),
        write(ServerKeys.LOCAL_IP_ADDRESS, "::2", t -> t.connection.localIpAddress(), "::2"),
        write(ServerKeys.LOCAL_PORT, "443", t -> t.connection.localPort(), 443),
        write(ServerKeys.IS_LOCAL, false, t -> t.connection.isLocal(), false),
        write(ServerKeys.CONNECTION_ID, "c9", t -> t.connection.connectionId(), "c9"),
        write(ServerKeys.USER, bob, t -> t.authentication.user(), bob));
  }

  private static Arguments write(
      String key, Object value, Function<TypedRequest, Object> typed, Object expected) {
    return Arguments.of(key, value, typed, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keysWrittenToFeatures")
  void writesKeyToItsFeature(
      String key, Object value, Function<TypedRequest, Object> feature, Object expected) {
    env.put(key, value);

    assertEquals(expected, feature.apply(typed));
    assertEquals(value, env.get(key));
  }

  @Test
  void putReturnsThePreviousValue() {
    assertEquals("POST", env.put(OwinKeys.REQUEST_METHOD, "GET"));
  }

  @Test
  void queryStringStartingWithQuestionMarkSurvivesTheRoundTrip() {
    env.put(OwinKeys.REQUEST_QUERY_STRING, "?odd");

    assertEquals("??odd", typed.request.queryString());
    assertEquals("?odd", env.get(OwinKeys.REQUEST_QUERY_STRING));
  }

  @Test
  void emptyQueryStringWritesEmpty() {
    env.put(OwinKeys.REQUEST_QUERY_STRING, "");

    assertEquals("", typed.request.queryString());
  }

  @Test
  void requestIdCannotChangeOnceSet() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> env.put(OwinKeys.REQUEST_ID, "other"));

    assertEquals(
        "cannot set request id to \"other\": it is already \"req-1\" and never changes once set",
        e.getMessage());
  }

  @Test
  void settingStatusAfterTheResponseStartedFails() throws IOException {
    typed.body.write('x');

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> env.put(OwinKeys.RESPONSE_STATUS_CODE, 500));

    assertEquals("cannot set status code: the response has started", e.getMessage());
  }

  @Test
  void featureValidationStillApplies() {
    assertThrows(IllegalArgumentException.class, () -> env.put(OwinKeys.REQUEST_PATH, "items"));
  }

  // --- wrong types ---

  static Stream<Arguments> wronglyTypedValues() {
    return Stream.of(
        wrong(OwinKeys.REQUEST_BODY, "body", "an InputStream, got String \"body\""),
        wrong(OwinKeys.REQUEST_HEADERS, "h", "a Map<String, String[]>, got String \"h\""),
        wrong(OwinKeys.REQUEST_METHOD, 42, "a String, got Integer 42"),
        wrong(OwinKeys.REQUEST_PATH, 42, "a String, got Integer 42"),
        wrong(OwinKeys.REQUEST_PATH_BASE, 42, "a String, got Integer 42"),
        wrong(OwinKeys.REQUEST_PROTOCOL, 42, "a String, got Integer 42"),
        wrong(OwinKeys.REQUEST_QUERY_STRING, 42, "a String, got Integer 42"),
        wrong(OwinKeys.REQUEST_SCHEME, 42, "a String, got Integer 42"),
        wrong(OwinKeys.REQUEST_ID, 42, "a String, got Integer 42"),
        wrong(OwinKeys.REQUEST_USER, "alice", "a Principal, got String \"alice\""),
        wrong(OwinKeys.RESPONSE_BODY, "out", "an OutputStream, got String \"out\""),
        wrong(OwinKeys.RESPONSE_HEADERS, 42, "a Map<String, String[]>, got Integer 42"),
        wrong(OwinKeys.RESPONSE_STATUS_CODE, "200", "an Integer in [100, 999], got String \"200\""),
        wrong(OwinKeys.RESPONSE_STATUS_CODE, 1000, "an Integer in [100, 999], got Integer 1000"),
        wrong(OwinKeys.RESPONSE_STATUS_CODE, 99, "an Integer in [100, 999], got Integer 99"),
        wrong(OwinKeys.RESPONSE_REASON_PHRASE, 42, "a String, got Integer 42"),
        wrong(OwinKeys.RESPONSE_PROTOCOL, 42, "a String, got Integer 42"),
        wrong(OwinKeys.CALL_CANCELLED, true, "a CancellationToken, got Boolean true"),
        wrong(OwinKeys.VERSION, 1.0, "a String, got Double 1.0"),
        wrong(ServerKeys.REMOTE_IP_ADDRESS, 42, "a String, got Integer 42"),
        wrong(ServerKeys.REMOTE_PORT, 8080,
            "a String holding a port number in [0, 65535], got Integer 8080"),
        wrong(ServerKeys.REMOTE_PORT, "http",
            "a String holding a port number in [0, 65535], got String \"http\""),
        wrong(ServerKeys.LOCAL_IP_ADDRESS, 42, "a String, got Integer 42"),
        wrong(ServerKeys.LOCAL_PORT, "65536",
            "a String holding a port number in [0, 65535], got String \"65536\""),
        wrong(ServerKeys.LOCAL_PORT, "-1",
            "a String holding a port number in [0, 65535], got String \"-1\""),
        wrong(ServerKeys.IS_LOCAL, "true", "a Boolean, got String \"true\""),
        wrong(ServerKeys.CONNECTION_ID, 42, "a String, got Integer 42"),
        wrong(ServerKeys.USER, "alice", "a Principal, got String \"alice\""),
        wrong(ServerKeys.ON_SENDING_HEADERS, "cb", "an OnSendingHeaders, got String \"cb\""),
        wrong(ServerKeys.CAPABILITIES, "caps", "a Map<String, Object>, got String \"caps\""),
        wrong(SslKeys.CLIENT_CERTIFICATE, "cert", "an X509Certificate, got String \"cert\""),
        wrong(SslKeys.LOAD_CLIENT_CERT_ASYNC, "load",
            "a Supplier<CompletionStage<Void>>, got String \"load\""),
        wrong(WebSocketKeys.ACCEPT, "accept", "a WebSocketAccept, got String \"accept\""),
        wrong(SendFileKeys.SEND_ASYNC, "send", "a SendFileAsync, got String \"send\""),
        wrong(OpaqueKeys.UPGRADE, "upgrade", "an OpaqueUpgrade, got String \"upgrade\""));
  }

  private static Arguments wrong(String key, Object value, String rule) {
    return Arguments.of(key, value, key + " must be " + rule);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("wronglyTypedValues")
  void rejectsWronglyTypedValueNamingKeyRuleAndValue(String key, Object value, String message) {
    Object before = env.get(key);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> env.put(key, value));

    assertEquals(message, e.getMessage());
    assertEquals(before, env.get(key));
  }

  // --- missing features ---

  static Stream<String> keysBackedByFeatures() {
    return EnvironmentKeyTable.requestLevelKeys().stream()
        .filter(
            key ->
                !key.equals(OwinKeys.VERSION)
                    && !key.equals(OwinKeys.CALL_CANCELLED)
                    && !key.equals(FeatureKeys.FEATURES));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keysBackedByFeatures")
  void keyWithoutItsFeatureIsAbsent(String key) {
    OwinEnvironment bare = new OwinEnvironment(new DefaultFeatureCollection());

    assertNull(bare.get(key));
    assertFalse(bare.containsKey(key));
    assertFalse(bare.keySet().contains(key));
  }

  @Test
  void versionCallCancelledAndTheFeaturesArePresentWithoutFeatures() {
    DefaultFeatureCollection none = new DefaultFeatureCollection();
    OwinEnvironment bare = new OwinEnvironment(none);

    assertEquals(
        Map.of(
            OwinKeys.VERSION,
            "1.0",
            OwinKeys.CALL_CANCELLED,
            CancellationToken.NONE,
            FeatureKeys.FEATURES,
            none),
        Map.copyOf(bare));
  }

  @Test
  void keyWithoutItsFeatureKeepsAPutValueAsOverride() {
    OwinEnvironment bare = new OwinEnvironment(new DefaultFeatureCollection());

    bare.put(OwinKeys.REQUEST_METHOD, "GET");

    assertEquals("GET", bare.get(OwinKeys.REQUEST_METHOD));
  }

  @Test
  void everyRequestLevelKeyIsInTheTable() {
    for (String key : EnvironmentKeyTable.requestLevelKeys()) {
      assertTrue(EnvironmentKey.of(key) != null, key);
    }
    assertEquals(EnvironmentKey.all().length, EnvironmentKeyTable.requestLevelKeys().size());
  }

  // --- nulls, removal and overrides ---

  @Test
  void puttingNullUnderARequiredKeyFails() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> env.put(OwinKeys.REQUEST_METHOD, null));

    assertEquals("owin.RequestMethod is required and must not be null", e.getMessage());
  }

  @Test
  void puttingNullUnderAnOptionalKeyRemovesIt() {
    typed.response.setReasonPhrase("Fine");

    Object previous = env.put(OwinKeys.RESPONSE_REASON_PHRASE, null);

    assertEquals("Fine", previous);
    assertNull(typed.response.reasonPhrase());
    assertFalse(env.containsKey(OwinKeys.RESPONSE_REASON_PHRASE));
  }

  @Test
  void puttingNullUnderAnUnknownKeyFails() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> env.put("app.key", null));

    assertEquals("value of app.key must not be null; remove the key instead", e.getMessage());
  }

  @Test
  void removingTheUserClearsItForBothUserKeys() {
    env.remove(OwinKeys.REQUEST_USER);

    assertNull(typed.authentication.user());
    assertFalse(env.containsKey(ServerKeys.USER));
  }

  @Test
  void removingTheStatusRestoresTheDefaultAndHidesTheKey() {
    env.put(OwinKeys.RESPONSE_STATUS_CODE, 404);

    Object removed = env.remove(OwinKeys.RESPONSE_STATUS_CODE);

    assertEquals(404, removed);
    assertEquals(200, typed.response.statusCode());
    assertFalse(env.containsKey(OwinKeys.RESPONSE_STATUS_CODE));
  }

  @Test
  void puttingARemovedKeyShowsItAgain() {
    env.remove(OwinKeys.RESPONSE_STATUS_CODE);

    env.put(OwinKeys.RESPONSE_STATUS_CODE, 201);

    assertEquals(201, env.get(OwinKeys.RESPONSE_STATUS_CODE));
    assertEquals(201, typed.response.statusCode());
  }

  @Test
  void removingARequiredKeyHidesItButLeavesTheFeature() {
    Object removed = env.remove(OwinKeys.REQUEST_METHOD);

    assertEquals("POST", removed);
    assertFalse(env.containsKey(OwinKeys.REQUEST_METHOD));
    assertEquals("POST", typed.request.method());
  }

  @Test
  void removingAnAbsentKeyAnswersNull() {
    assertNull(env.remove(OwinKeys.RESPONSE_REASON_PHRASE));
    assertNull(env.remove("app.missing"));
  }

  @Test
  void readOnlyKeyCanBeOverriddenByPut() {
    OnSendingHeaders wrapper = (callback, state) -> {};

    Object original = env.put(ServerKeys.ON_SENDING_HEADERS, wrapper);

    assertNotSame(wrapper, original);
    assertSame(wrapper, env.get(ServerKeys.ON_SENDING_HEADERS));
  }

  @Test
  void removingAnOverriddenKeyLeavesItAbsent() {
    env.put(OwinKeys.VERSION, "1.1");

    env.remove(OwinKeys.VERSION);

    assertFalse(env.containsKey(OwinKeys.VERSION));
    assertNull(env.get(OwinKeys.VERSION));
  }

  @Test
  void extensionDelegatesCanBeProvidedByPutWhenNoFeatureOffersThem() {
    OwinEnvironment bare = new OwinEnvironment(new DefaultFeatureCollection());
    WebSocketAccept accept = (parameters, callback) -> {};
    OpaqueUpgrade upgrade = (parameters, callback) -> {};

    bare.put(WebSocketKeys.ACCEPT, accept);
    bare.put(OpaqueKeys.UPGRADE, upgrade);

    assertSame(accept, bare.get(WebSocketKeys.ACCEPT));
    assertSame(upgrade, bare.get(OpaqueKeys.UPGRADE));
  }

  // --- unknown keys ---

  @Test
  void unknownKeysLiveInTheSideMap() {
    env.put("app.answer", 42);

    assertEquals(42, env.get("app.answer"));
    assertTrue(env.keySet().contains("app.answer"));
    assertEquals(42, env.remove("app.answer"));
    assertFalse(env.containsKey("app.answer"));
  }

  @Test
  void sizeKeySetAndEntrySetAgree() {
    env.put("app.answer", 42);
    env.remove(OwinKeys.REQUEST_METHOD);

    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, Object> entry : env.entrySet()) {
      keys.add(entry.getKey());
      assertEquals(entry.getValue(), env.get(entry.getKey()));
    }

    assertEquals(env.size(), keys.size());
    assertEquals(new HashSet<>(keys), env.keySet());
    assertEquals(new HashSet<>(keys).size(), keys.size());
    assertTrue(keys.contains("app.answer"));
    assertFalse(keys.contains(OwinKeys.REQUEST_METHOD));
  }

  @Test
  void entrySetValueWritesThroughToTheFeature() {
    for (Map.Entry<String, Object> entry : env.entrySet()) {
      if (entry.getKey().equals(OwinKeys.RESPONSE_STATUS_CODE)) {
        entry.setValue(418);
      }
    }

    assertEquals(418, typed.response.statusCode());
  }

  // --- delegates ---

  @Test
  void onSendingHeadersRunsWithItsStateWhenTheResponseStarts() throws IOException {
    List<Object> calls = new ArrayList<>();
    OnSendingHeaders register = (OnSendingHeaders) env.get(ServerKeys.ON_SENDING_HEADERS);

    register.register(calls::add, "state");
    typed.body.write('x');

    assertEquals(List.of("state"), calls);
  }

  @Test
  void onSendingHeadersAndTypedCallbacksRunLastRegisteredFirst() throws IOException {
    List<String> calls = new ArrayList<>();
    OnSendingHeaders register = (OnSendingHeaders) env.get(ServerKeys.ON_SENDING_HEADERS);
    register.register(state -> calls.add("dictionary 1"), "");
    typed.response.onStarting(() -> calls.add("typed"));
    register.register(state -> calls.add("dictionary 2"), "");

    typed.body.flush();

    assertEquals(List.of("dictionary 2", "typed", "dictionary 1"), calls);
  }

  @Test
  void onSendingHeadersFailsOnceTheResponseStarted() throws IOException {
    OnSendingHeaders register = (OnSendingHeaders) env.get(ServerKeys.ON_SENDING_HEADERS);
    typed.body.flush();

    assertThrows(IllegalStateException.class, () -> register.register(state -> {}, ""));
  }

  @Test
  void repeatedReadOfOnSendingHeadersGivesTheSameDelegate() {
    assertSame(env.get(ServerKeys.ON_SENDING_HEADERS), env.get(ServerKeys.ON_SENDING_HEADERS));
  }

  @Test
  void sendFileDelegateCallsTheFeature() {
    List<Object> calls = new ArrayList<>();
    SendFileFeature sendFile =
        (path, offset, count, cancel) -> {
          calls.addAll(List.of(path, offset, count, cancel));
          return CompletableFuture.completedFuture(null);
        };
    typed.features.set(SendFileFeature.class, sendFile);

    ((SendFileAsync) env.get(SendFileKeys.SEND_ASYNC))
        .sendFileAsync("/tmp/f", 3L, 7L, CancellationToken.NONE)
        .toCompletableFuture()
        .join();

    assertEquals(List.of("/tmp/f", 3L, 7L, CancellationToken.NONE), calls);
  }

  @Test
  void clientCertificateComesFromTheTlsFeature() {
    X509Certificate certificate = mock(X509Certificate.class);
    typed.features.set(TlsFeature.class, new DefaultTlsFeature(certificate));

    assertSame(certificate, env.get(SslKeys.CLIENT_CERTIFICATE));
    assertTrue(env.get(SslKeys.LOAD_CLIENT_CERT_ASYNC) instanceof ClientCertificateLoader);
  }

  @Test
  void loadClientCertAsyncMakesTheCertificateVisible() {
    X509Certificate certificate = mock(X509Certificate.class);
    typed.features.set(
        TlsFeature.class,
        new DefaultTlsFeature(null, () -> CompletableFuture.completedFuture(certificate)));
    boolean before = env.containsKey(SslKeys.CLIENT_CERTIFICATE);

    @SuppressWarnings("unchecked")
    Supplier<CompletionStage<Void>> load =
        (Supplier<CompletionStage<Void>>) env.get(SslKeys.LOAD_CLIENT_CERT_ASYNC);
    load.get().toCompletableFuture().join();

    assertFalse(before);
    assertSame(certificate, env.get(SslKeys.CLIENT_CERTIFICATE));
  }

  @Test
  void loadClientCertAsyncShowsCertificateOfAFeatureThatOnlyReturnsIt() {
    X509Certificate certificate = mock(X509Certificate.class);
    TlsFeature returningOnly =
        new TlsFeature() {
          private X509Certificate stored;

          @Override
          public X509Certificate clientCertificate() {
            return stored;
          }

          @Override
          public void setClientCertificate(X509Certificate value) {
            stored = value;
          }

          @Override
          public CompletionStage<X509Certificate> loadClientCertificate() {
            return CompletableFuture.completedFuture(certificate);
          }
        };
    typed.features.set(TlsFeature.class, returningOnly);

    ((ClientCertificateLoader) env.get(SslKeys.LOAD_CLIENT_CERT_ASYNC))
        .get()
        .toCompletableFuture()
        .join();

    assertSame(certificate, env.get(SslKeys.CLIENT_CERTIFICATE));
  }

  @Test
  void capabilitiesAreTheSameInstanceInEveryRequest() {
    ServerCapabilities capabilities =
        new ServerCapabilities(Map.of(SendFileKeys.VERSION, SendFileKeys.VERSION_VALUE));
    TypedRequest other = new TypedRequest();
    typed.features.set(ServerCapabilities.class, capabilities);
    other.features.set(ServerCapabilities.class, capabilities);

    Object first = env.get(ServerKeys.CAPABILITIES);
    Object second = new OwinEnvironment(other.features).get(ServerKeys.CAPABILITIES);

    assertSame(capabilities.values(), first);
    assertSame(first, second);
  }

  @Test
  void writingTheBodyStartsTheResponse() throws IOException {
    OutputStream body = (OutputStream) env.get(OwinKeys.RESPONSE_BODY);

    body.write("hi".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertTrue(typed.response.hasStarted());
    assertEquals("hi", typed.sentText());
  }

  @Test
  void ofReturnsANewEnvironmentForOrdinaryFeatures() {
    Map<String, Object> environment = OwinEnvironment.of(typed.features);

    assertTrue(environment instanceof OwinEnvironment);
    assertSame(typed.features, ((OwinEnvironment) environment).features());
  }

  /** The request-level keys of the owin-api key holders. */
  static final class EnvironmentKeyTable {
    private EnvironmentKeyTable() {}

    static Set<String> requestLevelKeys() {
      Set<String> keys = new HashSet<>();
      for (Class<?> holder :
          List.of(OwinKeys.class, ServerKeys.class, SslKeys.class, FeatureKeys.class)) {
        for (Field field : holder.getFields()) {
          if (Modifier.isStatic(field.getModifiers())
              && field.getType() == String.class
              && !field.getName().endsWith("_VALUE")) {
            try {
              keys.add((String) field.get(null));
            } catch (IllegalAccessException e) {
              throw new AssertionError(e);
            }
          }
        }
      }
      keys.addAll(List.of(WebSocketKeys.ACCEPT, SendFileKeys.SEND_ASYNC, OpaqueKeys.UPGRADE));
      return keys;
    }
  }
}
