package io.owin4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.ClientCertificateLoader;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.api.SslKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.api.features.AuthenticationFeature;
import io.owin4j.api.features.ConnectionFeature;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.OpaqueUpgradeFeature;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.RequestIdentifierFeature;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseBodyFeature;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.api.features.SendFileFeature;
import io.owin4j.api.features.TlsFeature;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.features.CancellationTokenSource;
import io.owin4j.features.DefaultRequestFeature;
import io.owin4j.features.HeaderDictionary;
import io.owin4j.api.features.ServerCapabilities;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Dictionary to typed: every feature property over a plain {@code HashMap} environment. */
class OwinFeatureCollectionTest {
  private final DictionaryRequest dictionary = new DictionaryRequest();
  private final Map<String, Object> env = dictionary.env;
  private final FeatureCollection features = OwinFeatureCollection.of(env);

  private static RequestFeature request(FeatureCollection f) {
    return f.require(RequestFeature.class);
  }

  private static ResponseFeature response(FeatureCollection f) {
    return f.require(ResponseFeature.class);
  }

  private static ConnectionFeature connection(FeatureCollection f) {
    return f.require(ConnectionFeature.class);
  }

  // --- reading ---

  static Stream<Arguments> propertiesAndKeyValues() {
    return Stream.of(
        read("method", f -> request(f).method(), "POST"),
        read("scheme", f -> request(f).scheme(), "https"),
        read("path base", f -> request(f).pathBase(), "/app"),
        read("path", f -> request(f).path(), "/items"),
        read("query string", f -> request(f).queryString(), "?a=1&b=two"),
        read("protocol", f -> request(f).protocol(), "HTTP/1.1"),
        read("request id", f -> f.require(RequestIdentifierFeature.class).requestId(), "req-1"),
        read("status", f -> response(f).statusCode(), 200),
        read("reason", f -> response(f).reasonPhrase(), null),
        read("response protocol", f -> response(f).protocol(), null),
        read("call cancelled",
            f -> f.require(RequestLifetimeFeature.class).requestAborted(), CancellationToken.NONE),
        read("remote ip", f -> connection(f).remoteIpAddress(), "10.0.0.1"),
        read("remote port", f -> connection(f).remotePort(), 50000),
        read("local ip", f -> connection(f).localIpAddress(), "10.0.0.2"),
        read("local port", f -> connection(f).localPort(), 8080),
        read("is local", f -> connection(f).isLocal(), true),
        read("connection id", f -> connection(f).connectionId(), "c1"));
  }

  private static Arguments read(
      String name, Function<FeatureCollection, Object> property, Object expected) {
    return Arguments.of(name, property, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("propertiesAndKeyValues")
  void readsPropertyFromItsKey(
      String name, Function<FeatureCollection, Object> property, Object expected) {
    assertEquals(expected, property.apply(features));
  }

  @Test
  void headersBodiesAndUserAreTheMapsObjects() {
    assertSame(dictionary.requestHeaders, request(features).headers());
    assertSame(env.get(OwinKeys.REQUEST_BODY), request(features).body());
    assertSame(dictionary.responseHeaders, response(features).headers());
    assertSame(dictionary.body, features.require(ResponseBodyFeature.class).stream());
    assertSame(dictionary.alice, features.require(AuthenticationFeature.class).user());
  }

  @Test
  void readsAreLive() {
    env.put(OwinKeys.REQUEST_PATH, "/other");

    assertEquals("/other", request(features).path());
  }

  @Test
  void userFallsBackToServerUser() {
    Principal bob = () -> "bob";
    env.remove(OwinKeys.REQUEST_USER);
    env.put(ServerKeys.USER, bob);

    assertSame(bob, features.require(AuthenticationFeature.class).user());
  }

  // --- writing ---

  static Stream<Arguments> settersAndKeyValues() {
    InputStream body = new ByteArrayInputStream(new byte[0]);
    HeaderDictionary headers = new HeaderDictionary();
    CancellationToken token = new CancellationTokenSource().token();
    return Stream.of(
        write("method", f -> request(f).setMethod("PUT"), OwinKeys.REQUEST_METHOD, "PUT"),
        write("scheme", f -> request(f).setScheme("http"), OwinKeys.REQUEST_SCHEME, "http"),
        write("path base", f -> request(f).setPathBase("/b"), OwinKeys.REQUEST_PATH_BASE, "/b"),
        write("path", f -> request(f).setPath("/p"), OwinKeys.REQUEST_PATH, "/p"),
        write("query with mark",
            f -> request(f).setQueryString("?x=1"), OwinKeys.REQUEST_QUERY_STRING, "x=1"),
        write("query without mark",
            f -> request(f).setQueryString("x=1"), OwinKeys.REQUEST_QUERY_STRING, "x=1"),
        write("protocol",
            f -> request(f).setProtocol("HTTP/2.0"), OwinKeys.REQUEST_PROTOCOL, "HTTP/2.0"),
        write("request headers",
            f -> request(f).setHeaders(headers), OwinKeys.REQUEST_HEADERS, headers),
        write("request body", f -> request(f).setBody(body), OwinKeys.REQUEST_BODY, body),
        write("status", f -> response(f).setStatusCode(404), OwinKeys.RESPONSE_STATUS_CODE, 404),
        write("reason",
            f -> response(f).setReasonPhrase("Gone"), OwinKeys.RESPONSE_REASON_PHRASE, "Gone"),
        write("response protocol",
            f -> response(f).setProtocol("HTTP/1.0"), OwinKeys.RESPONSE_PROTOCOL, "HTTP/1.0"),
        write("response headers",
            f -> response(f).setHeaders(headers), OwinKeys.RESPONSE_HEADERS, headers),
        write("call cancelled",
            f -> f.require(RequestLifetimeFeature.class).setRequestAborted(token),
            OwinKeys.CALL_CANCELLED, token),
        write("remote ip",
            f -> connection(f).setRemoteIpAddress("::1"), ServerKeys.REMOTE_IP_ADDRESS, "::1"),
        write("remote port",
            f -> connection(f).setRemotePort(1234), ServerKeys.REMOTE_PORT, "1234"),
        write("local ip",
            f -> connection(f).setLocalIpAddress("::2"), ServerKeys.LOCAL_IP_ADDRESS, "::2"),
        write("local port", f -> connection(f).setLocalPort(443), ServerKeys.LOCAL_PORT, "443"),
        write("is local", f -> connection(f).setLocal(false), ServerKeys.IS_LOCAL, false),
        write("connection id",
            f -> connection(f).setConnectionId("c9"), ServerKeys.CONNECTION_ID, "c9"));
  }

  private static Arguments write(
      String name, Consumer<FeatureCollection> setter, String key, Object expected) {
    return Arguments.of(name, setter, key, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settersAndKeyValues")
  void setterWritesItsKey(
      String name, Consumer<FeatureCollection> setter, String key, Object expected) {
    setter.accept(features);

    assertEquals(expected, env.get(key));
  }

  @Test
  void settingTheUserWritesBothUserKeys() {
    Principal bob = () -> "bob";

    features.require(AuthenticationFeature.class).setUser(bob);

    assertSame(bob, env.get(OwinKeys.REQUEST_USER));
    assertSame(bob, env.get(ServerKeys.USER));
  }

  @Test
  void clearingTheUserRemovesBothUserKeys() {
    env.put(ServerKeys.USER, dictionary.alice);

    features.require(AuthenticationFeature.class).setUser(null);

    assertFalse(env.containsKey(OwinKeys.REQUEST_USER));
    assertFalse(env.containsKey(ServerKeys.USER));
  }

  @Test
  void clearingReasonRemovesItsKey() {
    env.put(OwinKeys.RESPONSE_REASON_PHRASE, "Fine");

    response(features).setReasonPhrase(null);

    assertFalse(env.containsKey(OwinKeys.RESPONSE_REASON_PHRASE));
  }

  @Test
  void statusOutOfRangeIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> response(features).setStatusCode(42));

    assertEquals("status code must be in [100, 999], got 42", e.getMessage());
  }

  @Test
  void portOutOfRangeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> connection(features).setLocalPort(70000));
  }

  @Test
  void requestIdCannotChangeOnceSet() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> features.require(RequestIdentifierFeature.class).setRequestId("other"));

    assertEquals(
        "cannot set request id to \"other\": it is already \"req-1\" and never changes once set",
        e.getMessage());
  }

  // --- missing keys ---

  @Test
  void missingKeysReadAsDocumentedDefaults() throws IOException {
    FeatureCollection empty = OwinFeatureCollection.of(new HashMap<>());

    assertEquals("", request(empty).method());
    assertEquals("", request(empty).path());
    assertEquals("", request(empty).queryString());
    assertEquals(-1, request(empty).body().read());
    assertEquals(200, response(empty).statusCode());
    assertNull(response(empty).reasonPhrase());
    assertEquals(0, connection(empty).remotePort());
    assertFalse(connection(empty).isLocal());
    assertSame(
        CancellationToken.NONE, empty.require(RequestLifetimeFeature.class).requestAborted());
    assertNull(empty.require(AuthenticationFeature.class).user());
  }

  @Test
  void missingHeaderMapIsCreatedInTheEnvironment() {
    Map<String, Object> bare = new HashMap<>();
    FeatureCollection empty = OwinFeatureCollection.of(bare);

    Map<String, String[]> headers = response(empty).headers();
    headers.put("X-Kept", new String[] {"1"});

    assertSame(headers, bare.get(OwinKeys.RESPONSE_HEADERS));
    assertArrayEquals(new String[] {"1"}, headers.get("x-kept"));
  }

  @Test
  void missingRequestIdIsGeneratedAndKept() {
    Map<String, Object> bare = new HashMap<>();
    RequestIdentifierFeature id =
        OwinFeatureCollection.of(bare).require(RequestIdentifierFeature.class);

    String generated = id.requestId();

    assertFalse(generated.isEmpty());
    assertEquals(generated, bare.get(OwinKeys.REQUEST_ID));
    assertEquals(generated, id.requestId());
  }

  @Test
  void missingResponseBodyFailsClearly() {
    ResponseBodyFeature body =
        OwinFeatureCollection.of(new HashMap<>()).require(ResponseBodyFeature.class);

    IllegalStateException e = assertThrows(IllegalStateException.class, body::stream);

    assertEquals("the environment has no owin.ResponseBody", e.getMessage());
  }

  // --- wrong types in the map ---

  static Stream<Arguments> wronglyTypedKeys() {
    return Stream.of(
        wrongRead(OwinKeys.RESPONSE_STATUS_CODE, "200", f -> response(f).statusCode(),
            "owin.ResponseStatusCode must be an Integer in [100, 999], got String \"200\""),
        wrongRead(OwinKeys.REQUEST_METHOD, 7, f -> request(f).method(),
            "owin.RequestMethod must be a String, got Integer 7"),
        wrongRead(OwinKeys.REQUEST_HEADERS, "h", f -> request(f).headers(),
            "owin.RequestHeaders must be a Map<String, String[]>, got String \"h\""),
        wrongRead(OwinKeys.REQUEST_BODY, "b", f -> request(f).body(),
            "owin.RequestBody must be an InputStream, got String \"b\""),
        wrongRead(ServerKeys.REMOTE_PORT, 50000, f -> connection(f).remotePort(),
            "server.RemotePort must be a String holding a port number in [0, 65535],"
                + " got Integer 50000"),
        wrongRead(ServerKeys.IS_LOCAL, "yes", f -> connection(f).isLocal(),
            "server.IsLocal must be a Boolean, got String \"yes\""),
        wrongRead(OwinKeys.REQUEST_USER, "alice",
            f -> f.require(AuthenticationFeature.class).user(),
            "owin.RequestUser must be a Principal, got String \"alice\""),
        wrongRead(OwinKeys.CALL_CANCELLED, "never",
            f -> f.require(RequestLifetimeFeature.class).requestAborted(),
            "owin.CallCancelled must be a CancellationToken, got String \"never\""),
        wrongRead(OwinKeys.RESPONSE_BODY, 1, f -> f.require(ResponseBodyFeature.class).stream(),
            "owin.ResponseBody must be an OutputStream, got Integer 1"));
  }

  private static Arguments wrongRead(
      String key, Object value, Function<FeatureCollection, Object> read, String message) {
    return Arguments.of(key, value, read, message);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("wronglyTypedKeys")
  void wronglyTypedValueFailsWhenRead(
      String key, Object value, Function<FeatureCollection, Object> read, String message) {
    env.put(key, value);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> read.apply(features));

    assertEquals(message, e.getMessage());
  }

  // --- which features exist ---

  @Test
  void coreFeaturesAreAlwaysPresent() {
    FeatureCollection empty = OwinFeatureCollection.of(new HashMap<>());

    for (Class<?> type :
        List.of(RequestFeature.class, ResponseFeature.class, ResponseBodyFeature.class,
            ConnectionFeature.class, RequestIdentifierFeature.class,
            RequestLifetimeFeature.class, AuthenticationFeature.class)) {
      assertNotNull(empty.get(type), type.getSimpleName());
    }
  }

  @Test
  void optionalFeaturesAreAbsentWithoutTheirKeys() {
    for (Class<?> type :
        List.of(TlsFeature.class, SendFileFeature.class, WebSocketFeature.class,
            OpaqueUpgradeFeature.class, ServerCapabilities.class)) {
      assertNull(features.get(type), type.getSimpleName());
    }
  }

  @Test
  void tlsFeatureNeedsHttpsAndACertificateOrLoader() {
    env.put(SslKeys.CLIENT_CERTIFICATE, mock(X509Certificate.class));
    boolean overHttps = features.get(TlsFeature.class) != null;

    env.put(OwinKeys.REQUEST_SCHEME, "http");

    assertTrue(overHttps);
    assertNull(features.get(TlsFeature.class));
  }

  @Test
  void tlsFeatureReadsTheCertificate() {
    X509Certificate certificate = mock(X509Certificate.class);
    env.put(SslKeys.CLIENT_CERTIFICATE, certificate);

    TlsFeature tls = features.require(TlsFeature.class);

    assertSame(certificate, tls.clientCertificate());
    assertSame(certificate, tls.loadClientCertificate().toCompletableFuture().join());
  }

  @Test
  void tlsFeatureLoadsThroughTheLoaderKey() {
    X509Certificate certificate = mock(X509Certificate.class);
    ClientCertificateLoader loader =
        () -> {
          env.put(SslKeys.CLIENT_CERTIFICATE, certificate);
          return CompletableFuture.completedFuture(null);
        };
    env.put(SslKeys.LOAD_CLIENT_CERT_ASYNC, loader);

    X509Certificate loaded =
        features.require(TlsFeature.class).loadClientCertificate().toCompletableFuture().join();

    assertSame(certificate, loaded);
  }

  @Test
  void sendFileFeatureCallsTheDelegate() {
    List<Object> calls = new ArrayList<>();
    SendFileAsync delegate =
        (path, offset, count, cancel) -> {
          calls.addAll(List.of(path, offset, cancel));
          calls.add(String.valueOf(count));
          return CompletableFuture.completedFuture(null);
        };
    env.put(SendFileKeys.SEND_ASYNC, delegate);

    features
        .require(SendFileFeature.class)
        .sendFile("/f", 0, null, CancellationToken.NONE)
        .toCompletableFuture()
        .join();

    assertEquals(List.of("/f", 0L, CancellationToken.NONE, "null"), calls);
  }

  @Test
  void capabilitiesFeatureHoldsTheMapsCapabilities() {
    Map<String, Object> capabilities = Map.of(SendFileKeys.VERSION, SendFileKeys.VERSION_VALUE);
    env.put(ServerKeys.CAPABILITIES, capabilities);

    assertSame(capabilities, features.require(ServerCapabilities.class).values());
  }

  @Test
  void revisionMovesWhenAnOptionalFeatureAppears() {
    long before = features.revision();

    env.put(SendFileKeys.SEND_ASYNC, (SendFileAsync) (p, o, c, t) -> null);

    assertNotEquals(before, features.revision());
  }

  @Test
  void revisionDoesNotFailOnAWronglyTypedScheme() {
    env.put(OwinKeys.REQUEST_SCHEME, 443);
    env.put(SslKeys.CLIENT_CERTIFICATE, mock(X509Certificate.class));

    features.revision();

    assertNull(features.get(TlsFeature.class));
  }

  @Test
  void extensionKeysAreRecognisedWithoutTouchingThem() {
    assertFalse(env.containsKey(WebSocketKeys.ACCEPT));
    assertFalse(env.containsKey(OpaqueKeys.UPGRADE));
    assertNull(features.get(WebSocketFeature.class));
  }

  // --- overrides ---

  @Test
  void setStoresAnOverrideThatGetAndIterationShow() {
    DefaultRequestFeature custom = new DefaultRequestFeature();

    features.set(RequestFeature.class, custom);

    assertSame(custom, features.get(RequestFeature.class));
    List<Object> listed = new ArrayList<>();
    for (Map.Entry<Class<?>, Object> entry : features) {
      listed.add(entry.getValue());
    }
    assertTrue(listed.contains(custom));
  }

  @Test
  void setNullHidesABuiltInFeature() {
    features.set(ConnectionFeature.class, null);

    assertNull(features.get(ConnectionFeature.class));
  }

  @Test
  void setOfAnotherTypeIsListed() {
    features.set(StringBuilder.class, new StringBuilder("extra"));

    List<Class<?>> types = new ArrayList<>();
    features.forEach(entry -> types.add(entry.getKey()));

    assertTrue(types.contains(StringBuilder.class));
    assertTrue(types.contains(RequestFeature.class));
  }

  @Test
  void setMovesTheRevision() {
    long before = features.revision();

    features.set(StringBuilder.class, new StringBuilder());

    assertNotEquals(before, features.revision());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @Test
  void setRejectsAFeatureOfTheWrongType() {
    Class raw = RequestFeature.class;

    assertThrows(IllegalArgumentException.class, () -> features.set(raw, "not a feature"));
  }

  // --- response lifecycle over a dictionary ---

  @Test
  void onStartingRegistersThroughOnSendingHeaders() throws IOException {
    List<String> calls = new ArrayList<>();
    response(features).onStarting(() -> calls.add("typed"));

    dictionary.body.write('x');

    assertEquals(List.of("typed"), calls);
  }

  @Test
  void onStartingCallbackMayStillSetTheStatus() {
    ResponseFeature response = response(features);
    response.onStarting(() -> response.setStatusCode(201));

    dictionary.sendHeaders();

    assertEquals(201, dictionary.statusSent);
  }

  @Test
  void hasStartedTurnsTrueWhenTheHostSendsTheHeaders() {
    ResponseFeature response = response(features);
    boolean before = response.hasStarted();

    dictionary.sendHeaders();

    assertFalse(before);
    assertTrue(response.hasStarted());
  }

  @Test
  void settingTheStatusAfterTheStartFails() {
    ResponseFeature response = response(features);
    dictionary.sendHeaders();

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> response.setStatusCode(500));

    assertEquals("cannot set status code: the response has started", e.getMessage());
  }

  @Test
  void responseFirstUsedAfterTheStartKnowsItStarted() {
    dictionary.sendHeaders();

    assertTrue(response(features).hasStarted());
  }

  @Test
  void withoutOnSendingHeadersOrABodyStartTrackingIsUnsupported() {
    env.remove(ServerKeys.ON_SENDING_HEADERS);
    env.remove(OwinKeys.RESPONSE_BODY);
    ResponseFeature response = response(features);

    UnsupportedOperationException started =
        assertThrows(UnsupportedOperationException.class, response::hasStarted);
    UnsupportedOperationException starting =
        assertThrows(UnsupportedOperationException.class, () -> response.onStarting(() -> {}));

    assertEquals(
        "cannot tell whether the response has started: the environment has no"
            + " server.OnSendingHeaders, and no owin.ResponseBody to watch instead",
        started.getMessage());
    assertEquals(
        "cannot register an on-starting callback: the environment has no server.OnSendingHeaders,"
            + " and no owin.ResponseBody to watch instead",
        starting.getMessage());
  }

  @Test
  void onCompletedOutsideABuiltPipelineIsUnsupported() {
    UnsupportedOperationException e =
        assertThrows(
            UnsupportedOperationException.class, () -> response(features).onCompleted(() -> {}));

    assertEquals(
        "cannot register an on-completed callback: OWIN has no completion hook, and this request"
            + " did not enter a pipeline built by AppBuilder, which runs them when its stage"
            + " completes; build the pipeline with AppBuilder, or chain the work to the stage of the"
            + " next application",
        e.getMessage());
  }

  @Test
  void abortIsUnsupported() {
    UnsupportedOperationException e =
        assertThrows(
            UnsupportedOperationException.class,
            () -> features.require(RequestLifetimeFeature.class).abort());

    assertEquals(
        "abort is not offered over an OWIN environment: OWIN has no abort delegate; to abort the"
            + " connection, fail the application's stage after the response started, which makes an"
            + " OWIN host abort it",
        e.getMessage());
  }

  @Test
  void bodyStartFlushesTheResponseBody() throws IOException {
    List<String> calls = new ArrayList<>();
    response(features).onStarting(() -> calls.add("sending"));

    features.require(ResponseBodyFeature.class).start();

    assertEquals(List.of("sending"), calls);
    assertEquals(0, dictionary.sent.size());
  }

  @Test
  void bodyStreamCanBeReplaced() {
    ByteArrayOutputStream replacement = new ByteArrayOutputStream();

    features.require(ResponseBodyFeature.class).setStream(replacement);

    assertSame(replacement, env.get(OwinKeys.RESPONSE_BODY));
  }

  @Test
  void ofReturnsANewCollectionForPlainMaps() {
    FeatureCollection collection = OwinFeatureCollection.of(env);

    assertTrue(collection instanceof OwinFeatureCollection);
    assertSame(env, ((OwinFeatureCollection) collection).environment());
  }
}
