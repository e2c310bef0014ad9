package io.owin4j.core;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.FeatureKeys;
import io.owin4j.api.OnSendingHeaders;
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
import io.owin4j.api.features.ServerCapabilities;
import io.owin4j.api.features.TlsFeature;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.features.DefaultRequestIdentifierFeature;
import io.owin4j.features.HeaderDictionary;
import io.owin4j.features.ResponseBodyStream;
import io.owin4j.features.ResponseStarter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The typed features of a plain OWIN environment map, so code written against features runs on a
 * host that only speaks the dictionary.
 *
 * <p>The features are live views: reading {@link RequestFeature#path()} reads {@code
 * owin.RequestPath}, {@link ResponseFeature#setStatusCode} puts {@code owin.ResponseStatusCode}.
 * {@link #of} is the only way to get them: it leaves them in the map under {@link
 * FeatureKeys#FEATURES owin4j.Features}, so one request has one collection however many round trips
 * it takes, and a map that came from features gives those features back.
 *
 * <h2>Which features</h2>
 *
 * Always: {@link RequestFeature}, {@link ResponseFeature}, {@link ResponseBodyFeature}, {@link
 * ConnectionFeature}, {@link RequestIdentifierFeature}, {@link RequestLifetimeFeature} and {@link
 * AuthenticationFeature}. {@link TlsFeature} only when the scheme is {@code https} and the map holds
 * {@code ssl.ClientCertificate} or {@code ssl.LoadClientCertAsync}; {@link SendFileFeature} only
 * with {@code sendfile.SendAsync}; {@link WebSocketFeature} only with {@code websocket.Accept};
 * {@link OpaqueUpgradeFeature} only with {@code opaque.Upgrade}; {@link ServerCapabilities} only
 * with {@code server.Capabilities}. {@link #set} stores an override (null hides a feature), which
 * {@link #get} and iteration then show.
 *
 * <h2>Replacing a built-in feature</h2>
 *
 * The map holds values, not features. Setting a feature that replaces a built-in one writes what it
 * says at that moment into the keys it maps to ({@code owin.RequestPath} and the other request keys
 * for a {@link RequestFeature}, the status, reason phrase, protocol and headers for a {@link
 * ResponseFeature}, and so on), so dictionary code sees the current feature; {@link SendFileFeature}
 * becomes a {@code sendfile.SendAsync} delegate that calls it. Header maps, body streams and tokens
 * are shared objects, so they stay live; a string or number the replacement changes later reaches
 * the map when the feature is set again. Hiding a feature (setting null) leaves the map as it is; the
 * WebSocket and opaque upgrade features are not written to the map (it keeps the host's delegates).
 *
 * <h2>Missing and wrong values</h2>
 *
 * A missing key reads as a default, never as a {@link NullPointerException}: status 200, empty
 * strings, port 0, not local, an empty request body, {@link CancellationToken#NONE}, no user. A
 * missing header map is created as an empty {@link HeaderDictionary} and put into the map, so
 * headers written to it are not lost. A missing request id is generated and put into the map. A
 * missing {@code owin.ResponseBody} fails with {@link IllegalStateException}. A value of the wrong
 * type fails with {@link IllegalArgumentException} naming the key, the rule and the value, such as
 * {@code owin.ResponseStatusCode must be an Integer in [100, 999], got String "200"}.
 *
 * <h2>What a dictionary cannot do</h2>
 *
 * What the bridge can emulate faithfully, it does; only what it cannot fails, naming the
 * alternative.
 *
 * <ul>
 *   <li>{@link ResponseFeature#onStarting} registers through {@code server.OnSendingHeaders}.
 *       {@link ResponseFeature#hasStarted()} is tracked by a callback registered there when the
 *       response feature is first used; it turns true once the host runs that callback (callbacks
 *       registered through this feature run before it), or at once if the host refuses the
 *       registration because the headers were sent.
 *   <li>A map without {@code server.OnSendingHeaders} gets one when the response feature is first
 *       used: {@code owin.ResponseBody} (and {@code sendfile.SendAsync}) are wrapped so that the
 *       callbacks run before the first byte, flush or file reaches the host, which is when an OWIN
 *       host sends the headers. This is exact when the response feature is first used before the
 *       response started, as in a pipeline built by {@link AppBuilder}; without a body to wrap,
 *       {@code onStarting} and {@code hasStarted} fail with {@link UnsupportedOperationException}.
 *   <li>{@link ResponseFeature#onCompleted} callbacks run when the stage of the {@link AppBuilder}
 *       pipeline the request entered completes, last registered first, each even if another
 *       fails; failures are logged ({@code java.util.logging}, this class's name, WARNING).
 *       Outside such a pipeline registering fails with {@link UnsupportedOperationException}: OWIN
 *       has no completion hook.
 *   <li>{@link RequestLifetimeFeature#abort()} always fails with {@link
 *       UnsupportedOperationException}: OWIN has no abort delegate; an application aborts the
 *       connection by failing its stage after the response started.
 *   <li>{@link ResponseBodyFeature#start()} flushes {@code owin.ResponseBody}.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * Not thread-safe, like the map under it. {@link #revision()} moves on every {@link #set} and
 * whenever one of the optional features above appears or disappears.
 */
public final class OwinFeatureCollection implements FeatureCollection {
  private static final List<Class<?>> BUILT_IN =
      List.of(
          RequestFeature.class,
          ResponseFeature.class,
          ResponseBodyFeature.class,
          ConnectionFeature.class,
          TlsFeature.class,
          RequestIdentifierFeature.class,
          RequestLifetimeFeature.class,
          AuthenticationFeature.class,
          SendFileFeature.class,
          WebSocketFeature.class,
          OpaqueUpgradeFeature.class,
          ServerCapabilities.class);

  private static final Logger LOG = Logger.getLogger(OwinFeatureCollection.class.getName());

  private final Map<String, Object> environment;
  private @Nullable Map<Class<?>, @Nullable Object> overrides;
  /** Non-null once a pipeline that runs them took this request; see {@link #enterPipeline}. */
  private @Nullable List<Runnable> completedCallbacks;
  private boolean completed;
  private long ownRevision;

  private @Nullable RequestView request;
  private @Nullable ResponseView response;
  private @Nullable ResponseBodyView responseBody;
  private @Nullable ConnectionView connection;
  private @Nullable TlsView tls;
  private @Nullable RequestIdentifierView requestIdentifier;
  private @Nullable LifetimeView lifetime;
  private @Nullable AuthenticationView authentication;
  private @Nullable SendFileView sendFile;
  private @Nullable WebSocketFeature webSocket;
  private @Nullable OpaqueUpgradeFeature opaqueUpgrade;
  private @Nullable ServerCapabilities capabilities;

  // Not public: of() is the only way in, so no caller can wrap a map twice.
  private OwinFeatureCollection(Map<String, Object> environment) {
    this.environment = environment;
  }

  /**
   * Returns the features of {@code environment}, the same collection for the whole request however
   * many times it is asked for.
   *
   * <p>When {@code environment} is an {@link OwinEnvironment}, that is the collection under it.
   * Otherwise it is the collection under {@link FeatureKeys#FEATURES owin4j.Features}: the host's
   * own, or one made here by an earlier call. The first call on a map without the key makes an
   * {@code OwinFeatureCollection} and puts it there, so every later call, and portable middleware
   * reading the key, finds the same one (a read-only map, which refuses the key, gets a new
   * collection on every call).
   *
   * @throws IllegalArgumentException if {@code owin4j.Features} holds something other than a
   *     feature collection
   */
  public static FeatureCollection of(Map<String, Object> environment) {
    Objects.requireNonNull(environment, "environment");
    if (environment instanceof OwinEnvironment owin) {
      return owin.features();
    }
    Object known = EnvironmentKey.FEATURES.read(environment);
    if (known instanceof OwinFeatureCollection own && own.environment != environment) {
      // A copy of another request's map: its features must read and write this map.
      known = null;
    }
    if (known != null) {
      return (FeatureCollection) known;
    }
    OwinFeatureCollection created = new OwinFeatureCollection(environment);
    try {
      environment.put(FeatureKeys.FEATURES, created);
    } catch (UnsupportedOperationException readOnly) {
      // OWIN environments are mutable; a read-only map still gets correct features, not shared ones.
    }
    return created;
  }

  /**
   * The features of a request entering a pipeline built by {@link AppBuilder}, which runs their
   * on-completed callbacks when its stage completes; null when the request's features are a typed
   * host's, or an enclosing pipeline runs them already.
   */
  static @Nullable OwinFeatureCollection enterPipeline(Map<String, Object> environment) {
    if (!(of(environment) instanceof OwinFeatureCollection features)
        || features.completedCallbacks != null) {
      return null;
    }
    features.completedCallbacks = new ArrayList<>(2);
    return features;
  }

  /**
   * Runs the on-completed callbacks, last registered first, each even if another fails; failures
   * are logged, as the request they belong to has ended. Later registrations fail.
   */
  void runCompletedCallbacks() {
    List<Runnable> callbacks = completedCallbacks;
    if (callbacks == null || completed) {
      return;
    }
    completed = true;
    for (int i = callbacks.size() - 1; i >= 0; i--) {
      try {
        callbacks.get(i).run();
      } catch (RuntimeException | Error failure) {
        LOG.log(Level.WARNING, "an on-completed callback failed", failure);
      }
    }
    callbacks.clear();
  }

  /** The environment map these features read and write. */
  public Map<String, Object> environment() {
    return environment;
  }

  @Override
  public <T> @Nullable T get(Class<T> type) {
    Objects.requireNonNull(type, "type");
    Map<Class<?>, @Nullable Object> set = overrides;
    if (set != null && set.containsKey(type)) {
      return type.cast(set.get(type));
    }
    return type.cast(builtIn(type));
  }

  @Override
  public <T> void set(Class<T> type, @Nullable T feature) {
    Objects.requireNonNull(type, "type");
    if (feature != null && !type.isInstance(feature)) {
      throw new IllegalArgumentException(
          "feature for "
              + type.getName()
              + " must be an instance of it, got "
              + feature.getClass().getName());
    }
    Map<Class<?>, @Nullable Object> set = overrides;
    if (set == null) {
      set = new IdentityHashMap<>();
      overrides = set;
    }
    set.put(type, feature);
    ownRevision++;
    if (feature != null) {
      publish(feature);
    }
  }

  /**
   * Writes the values of a feature that replaces a built-in one into the map, so dictionary code
   * sees the current feature: the map holds values, not the feature, so this is what the feature
   * says now.
   */
  private void publish(Object feature) {
    if (feature instanceof RequestFeature request) {
      put(EnvironmentKey.REQUEST_METHOD, request.method());
      put(EnvironmentKey.REQUEST_SCHEME, request.scheme());
      put(EnvironmentKey.REQUEST_PATH_BASE, request.pathBase());
      put(EnvironmentKey.REQUEST_PATH, request.path());
      String query = request.queryString();
      put(EnvironmentKey.REQUEST_QUERY_STRING, query.startsWith("?") ? query.substring(1) : query);
      put(EnvironmentKey.REQUEST_PROTOCOL, request.protocol());
      put(EnvironmentKey.REQUEST_HEADERS, request.headers());
      put(EnvironmentKey.REQUEST_BODY, request.body());
    }
    if (feature instanceof ResponseFeature response) {
      put(EnvironmentKey.RESPONSE_STATUS_CODE, EnvironmentKey.boxStatus(response.statusCode()));
      putOrRemove(EnvironmentKey.RESPONSE_REASON_PHRASE, response.reasonPhrase());
      putOrRemove(EnvironmentKey.RESPONSE_PROTOCOL, response.protocol());
      put(EnvironmentKey.RESPONSE_HEADERS, response.headers());
    }
    if (feature instanceof ResponseBodyFeature body) {
      put(EnvironmentKey.RESPONSE_BODY, body.stream());
    }
    if (feature instanceof ConnectionFeature connection) {
      put(EnvironmentKey.CONNECTION_ID, connection.connectionId());
      put(EnvironmentKey.REMOTE_IP_ADDRESS, connection.remoteIpAddress());
      put(EnvironmentKey.REMOTE_PORT, Integer.toString(connection.remotePort()));
      put(EnvironmentKey.LOCAL_IP_ADDRESS, connection.localIpAddress());
      put(EnvironmentKey.LOCAL_PORT, Integer.toString(connection.localPort()));
      put(EnvironmentKey.IS_LOCAL, connection.isLocal());
    }
    if (feature instanceof TlsFeature tlsFeature) {
      putOrRemove(EnvironmentKey.CLIENT_CERTIFICATE, tlsFeature.clientCertificate());
    }
    if (feature instanceof RequestIdentifierFeature identifier) {
      put(EnvironmentKey.REQUEST_ID, identifier.requestId());
    }
    if (feature instanceof RequestLifetimeFeature lifetimeFeature) {
      put(EnvironmentKey.CALL_CANCELLED, lifetimeFeature.requestAborted());
    }
    if (feature instanceof AuthenticationFeature authenticationFeature) {
      Principal user = authenticationFeature.user();
      putOrRemove(EnvironmentKey.REQUEST_USER, user);
      putOrRemove(EnvironmentKey.USER, user);
    }
    if (feature instanceof SendFileFeature sendFileFeature) {
      // A delegate, so this one stays live: every call reaches the replacement.
      put(EnvironmentKey.SEND_FILE, (SendFileAsync) sendFileFeature::sendFile);
    }
    if (feature instanceof ServerCapabilities serverCapabilities) {
      put(EnvironmentKey.CAPABILITIES, serverCapabilities.values());
    }
  }

  @Override
  public long revision() {
    // The optional features come and go with keys of the map; fold their presence in.
    long present = 0;
    if (hasTls()) {
      present |= 1;
    }
    if (environment.get(EnvironmentKey.SEND_FILE.key) != null) {
      present |= 2;
    }
    if (environment.get(EnvironmentKey.WEBSOCKET_ACCEPT.key) != null) {
      present |= 4;
    }
    if (environment.get(EnvironmentKey.OPAQUE_UPGRADE.key) != null) {
      present |= 8;
    }
    if (environment.get(EnvironmentKey.CAPABILITIES.key) != null) {
      present |= 16;
    }
    return (ownRevision << 5) | present;
  }

  @Override
  public Iterator<Map.Entry<Class<?>, Object>> iterator() {
    List<Map.Entry<Class<?>, Object>> entries = new ArrayList<>();
    for (Class<?> type : BUILT_IN) {
      addIfPresent(entries, type);
    }
    Map<Class<?>, @Nullable Object> set = overrides;
    if (set != null) {
      for (Class<?> type : set.keySet()) {
        if (!BUILT_IN.contains(type)) {
          addIfPresent(entries, type);
        }
      }
    }
    return entries.iterator();
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("OwinFeatureCollection[");
    String separator = "";
    for (Map.Entry<Class<?>, Object> entry : this) {
      out.append(separator).append(entry.getKey().getSimpleName());
      separator = ", ";
    }
    return out.append(']').toString();
  }

  private void addIfPresent(List<Map.Entry<Class<?>, Object>> entries, Class<?> type) {
    Object feature = get(type);
    if (feature != null) {
      entries.add(new AbstractMap.SimpleImmutableEntry<>(type, feature));
    }
  }

  private @Nullable Object builtIn(Class<?> type) {
    if (type == RequestFeature.class) {
      return request != null ? request : (request = new RequestView());
    }
    if (type == ResponseFeature.class) {
      return response != null ? response : (response = new ResponseView());
    }
    if (type == ResponseBodyFeature.class) {
      return responseBody != null ? responseBody : (responseBody = new ResponseBodyView());
    }
    if (type == ConnectionFeature.class) {
      return connection != null ? connection : (connection = new ConnectionView());
    }
    if (type == TlsFeature.class) {
      return !hasTls() ? null : tls != null ? tls : (tls = new TlsView());
    }
    if (type == RequestIdentifierFeature.class) {
      return requestIdentifier != null
          ? requestIdentifier
          : (requestIdentifier = new RequestIdentifierView());
    }
    if (type == RequestLifetimeFeature.class) {
      return lifetime != null ? lifetime : (lifetime = new LifetimeView());
    }
    if (type == AuthenticationFeature.class) {
      return authentication != null ? authentication : (authentication = new AuthenticationView());
    }
    if (type == SendFileFeature.class) {
      if (environment.get(EnvironmentKey.SEND_FILE.key) == null) {
        return null;
      }
      return sendFile != null ? sendFile : (sendFile = new SendFileView());
    }
    if (type == WebSocketFeature.class) {
      if (environment.get(EnvironmentKey.WEBSOCKET_ACCEPT.key) == null) {
        return null;
      }
      return webSocket != null ? webSocket : (webSocket = UpgradeBridge.webSocketFeature(environment));
    }
    if (type == OpaqueUpgradeFeature.class) {
      if (environment.get(EnvironmentKey.OPAQUE_UPGRADE.key) == null) {
        return null;
      }
      return opaqueUpgrade != null
          ? opaqueUpgrade
          : (opaqueUpgrade = UpgradeBridge.opaqueFeature(environment));
    }
    if (type == ServerCapabilities.class) {
      return capabilities();
    }
    return null;
  }

  private boolean hasTls() {
    // Read raw: revision() asks this and must not fail on a wrongly typed scheme.
    return environment.get(EnvironmentKey.REQUEST_SCHEME.key) instanceof String scheme
        && "https".equalsIgnoreCase(scheme)
        && (environment.get(EnvironmentKey.CLIENT_CERTIFICATE.key) != null
            || environment.get(EnvironmentKey.LOAD_CLIENT_CERT_ASYNC.key) != null);
  }

  private @Nullable ServerCapabilities capabilities() {
    Map<String, Object> values = map(EnvironmentKey.CAPABILITIES);
    if (values == null) {
      return null;
    }
    ServerCapabilities known = capabilities;
    if (known == null || known.values() != values) {
      known = new ServerCapabilities(values);
      capabilities = known;
    }
    return known;
  }

  // Typed reads of the map: absent gives the documented default, a wrong type fails loudly.

  private @Nullable Object read(EnvironmentKey key) {
    return key.read(environment);
  }

  private String string(EnvironmentKey key) {
    Object value = key.read(environment);
    return value == null ? "" : (String) value;
  }

  private @Nullable String optionalString(EnvironmentKey key) {
    return (String) key.read(environment);
  }

  private int port(EnvironmentKey key) {
    Object value = key.read(environment);
    return value == null ? 0 : Integer.parseInt((String) value);
  }

  @SuppressWarnings("unchecked") // the key's rule checked it is a Map; entries are by contract
  private <V> @Nullable Map<String, V> map(EnvironmentKey key) {
    return (Map<String, V>) key.read(environment);
  }

  /** The header map under {@code key}, made and put into the map when missing. */
  private Map<String, String[]> headers(EnvironmentKey key) {
    Map<String, String[]> headers = map(key);
    if (headers == null) {
      headers = new HeaderDictionary();
      environment.put(key.key, headers);
    }
    return headers;
  }

  private void put(EnvironmentKey key, Object value) {
    environment.put(key.key, value);
  }

  private void putOrRemove(EnvironmentKey key, @Nullable Object value) {
    if (value == null) {
      environment.remove(key.key);
    } else {
      environment.put(key.key, value);
    }
  }

  /**
   * Gives a map without {@code server.OnSendingHeaders} one: {@code owin.ResponseBody} (and {@code
   * sendfile.SendAsync}) are wrapped so that the callbacks run before the first byte, flush or file
   * reaches the host, which is when an OWIN host sends the headers. Null without a body to wrap.
   */
  private @Nullable OnSendingHeaders emulateOnSendingHeaders() {
    if (!(read(EnvironmentKey.RESPONSE_BODY) instanceof OutputStream body)) {
      return null;
    }
    ResponseStarter starter = new ResponseStarter();
    OnSendingHeaders register =
        (callback, state) -> {
          Objects.requireNonNull(callback, "callback");
          starter.onStarting(() -> callback.accept(state));
        };
    put(EnvironmentKey.RESPONSE_BODY, ResponseBodyStream.of(body, starter));
    if (read(EnvironmentKey.SEND_FILE) instanceof SendFileAsync sendFile) {
      put(
          EnvironmentKey.SEND_FILE,
          (SendFileAsync)
              (path, offset, count, cancel) -> {
                starter.start();
                return sendFile.sendFileAsync(path, offset, count, cancel);
              });
    }
    put(EnvironmentKey.ON_SENDING_HEADERS, register);
    return register;
  }

  private static int checkPort(String what, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(what + " must be in [0, 65535], got " + port);
    }
    return port;
  }

  private final class RequestView implements RequestFeature {
    private @Nullable String typedQuery;
    private @Nullable String rawQuery;

    @Override
    public String method() {
      return string(EnvironmentKey.REQUEST_METHOD);
    }

    @Override
    public void setMethod(String method) {
      put(EnvironmentKey.REQUEST_METHOD, Objects.requireNonNull(method, "method"));
    }

    @Override
    public String scheme() {
      return string(EnvironmentKey.REQUEST_SCHEME);
    }

    @Override
    public void setScheme(String scheme) {
      put(EnvironmentKey.REQUEST_SCHEME, Objects.requireNonNull(scheme, "scheme"));
    }

    @Override
    public String pathBase() {
      return string(EnvironmentKey.REQUEST_PATH_BASE);
    }

    @Override
    public void setPathBase(String pathBase) {
      put(EnvironmentKey.REQUEST_PATH_BASE, Objects.requireNonNull(pathBase, "pathBase"));
    }

    @Override
    public String path() {
      return string(EnvironmentKey.REQUEST_PATH);
    }

    @Override
    public void setPath(String path) {
      put(EnvironmentKey.REQUEST_PATH, Objects.requireNonNull(path, "path"));
    }

    @Override
    public String queryString() {
      String raw = string(EnvironmentKey.REQUEST_QUERY_STRING);
      if (raw != rawQuery) {
        rawQuery = raw;
        typedQuery = raw.isEmpty() ? "" : "?" + raw;
      }
      return Objects.requireNonNull(typedQuery);
    }

    @Override
    public void setQueryString(String queryString) {
      Objects.requireNonNull(queryString, "queryString");
      put(
          EnvironmentKey.REQUEST_QUERY_STRING,
          queryString.startsWith("?") ? queryString.substring(1) : queryString);
    }

    @Override
    public String protocol() {
      return string(EnvironmentKey.REQUEST_PROTOCOL);
    }

    @Override
    public void setProtocol(String protocol) {
      put(EnvironmentKey.REQUEST_PROTOCOL, Objects.requireNonNull(protocol, "protocol"));
    }

    @Override
    public Map<String, String[]> headers() {
      return OwinFeatureCollection.this.headers(EnvironmentKey.REQUEST_HEADERS);
    }

    @Override
    public void setHeaders(Map<String, String[]> headers) {
      put(EnvironmentKey.REQUEST_HEADERS, Objects.requireNonNull(headers, "headers"));
    }

    @Override
    public InputStream body() {
      Object body = read(EnvironmentKey.REQUEST_BODY);
      return body == null ? InputStream.nullInputStream() : (InputStream) body;
    }

    @Override
    public void setBody(InputStream body) {
      put(EnvironmentKey.REQUEST_BODY, Objects.requireNonNull(body, "body"));
    }
  }

  private final class ResponseView implements ResponseFeature {
    private boolean tracking;
    // Set by the host's thread that sends the headers.
    private volatile boolean started;

    ResponseView() {
      track();
    }

    @Override
    public int statusCode() {
      Object status = read(EnvironmentKey.RESPONSE_STATUS_CODE);
      return status == null ? 200 : (Integer) status;
    }

    @Override
    public void setStatusCode(int statusCode) {
      if (statusCode < 100 || statusCode > 999) {
        throw new IllegalArgumentException("status code must be in [100, 999], got " + statusCode);
      }
      checkNotStarted("status code");
      put(EnvironmentKey.RESPONSE_STATUS_CODE, EnvironmentKey.boxStatus(statusCode));
    }

    @Override
    public @Nullable String reasonPhrase() {
      return optionalString(EnvironmentKey.RESPONSE_REASON_PHRASE);
    }

    @Override
    public void setReasonPhrase(@Nullable String reasonPhrase) {
      checkNotStarted("reason phrase");
      putOrRemove(EnvironmentKey.RESPONSE_REASON_PHRASE, reasonPhrase);
    }

    @Override
    public @Nullable String protocol() {
      return optionalString(EnvironmentKey.RESPONSE_PROTOCOL);
    }

    @Override
    public void setProtocol(@Nullable String protocol) {
      checkNotStarted("protocol");
      putOrRemove(EnvironmentKey.RESPONSE_PROTOCOL, protocol);
    }

    @Override
    public Map<String, String[]> headers() {
      return OwinFeatureCollection.this.headers(EnvironmentKey.RESPONSE_HEADERS);
    }

    @Override
    public void setHeaders(Map<String, String[]> headers) {
      Objects.requireNonNull(headers, "headers");
      checkNotStarted("headers");
      put(EnvironmentKey.RESPONSE_HEADERS, headers);
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnsupportedOperationException if the environment has no {@code
     *     server.OnSendingHeaders} to track the start with
     */
    @Override
    public boolean hasStarted() {
      if (!started && !tracking) {
        track();
        if (!tracking && !started) {
          throw new UnsupportedOperationException(
              "cannot tell whether the response has started: the environment has no "
                  + EnvironmentKey.ON_SENDING_HEADERS.key
                  + ", and no "
                  + EnvironmentKey.RESPONSE_BODY.key
                  + " to watch instead");
        }
      }
      return started;
    }

    @Override
    public void onStarting(Runnable callback) {
      Objects.requireNonNull(callback, "callback");
      OnSendingHeaders register = onSendingHeaders();
      if (register == null) {
        throw new UnsupportedOperationException(
            "cannot register an on-starting callback: the environment has no "
                + EnvironmentKey.ON_SENDING_HEADERS.key
                + ", and no "
                + EnvironmentKey.RESPONSE_BODY.key
                + " to watch instead");
      }
      register.register(state -> callback.run(), callback);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Over a plain OWIN map the callbacks run when the stage of the pipeline built by {@link
     * AppBuilder} that the request entered completes, last registered first; a failing callback is
     * logged and the others still run.
     *
     * @throws UnsupportedOperationException outside such a pipeline: OWIN has no completion hook
     * @throws IllegalStateException if that pipeline's stage has completed
     */
    @Override
    public void onCompleted(Runnable callback) {
      Objects.requireNonNull(callback, "callback");
      List<Runnable> callbacks = completedCallbacks;
      if (callbacks == null) {
        throw new UnsupportedOperationException(
            "cannot register an on-completed callback: OWIN has no completion hook, and this"
                + " request did not enter a pipeline built by AppBuilder, which runs them when its"
                + " stage completes; build the pipeline with AppBuilder, or chain the work to the"
                + " stage of the next application");
      }
      if (completed) {
        throw new IllegalStateException(
            "cannot register an on-completed callback: the request has completed");
      }
      callbacks.add(callback);
    }

    private void track() {
      OnSendingHeaders register = onSendingHeaders();
      if (register == null) {
        return;
      }
      try {
        register.register(state -> started = true, this);
        tracking = true;
      } catch (IllegalStateException headersAlreadySent) {
        started = true;
      }
    }

    private @Nullable OnSendingHeaders onSendingHeaders() {
      OnSendingHeaders register = (OnSendingHeaders) read(EnvironmentKey.ON_SENDING_HEADERS);
      return register != null ? register : emulateOnSendingHeaders();
    }

    private void checkNotStarted(String what) {
      if (started) {
        throw new IllegalStateException("cannot set " + what + ": the response has started");
      }
    }
  }

  private final class ResponseBodyView implements ResponseBodyFeature {
    @Override
    public OutputStream stream() {
      Object stream = read(EnvironmentKey.RESPONSE_BODY);
      if (stream == null) {
        throw new IllegalStateException(
            "the environment has no " + EnvironmentKey.RESPONSE_BODY.key);
      }
      return (OutputStream) stream;
    }

    @Override
    public void setStream(OutputStream stream) {
      put(EnvironmentKey.RESPONSE_BODY, Objects.requireNonNull(stream, "stream"));
    }

    /** Flushes {@code owin.ResponseBody}: an OWIN host sends the headers on the first flush. */
    @Override
    public void start() throws IOException {
      stream().flush();
    }
  }

  private final class ConnectionView implements ConnectionFeature {
    @Override
    public String connectionId() {
      return string(EnvironmentKey.CONNECTION_ID);
    }

    @Override
    public void setConnectionId(String connectionId) {
      put(EnvironmentKey.CONNECTION_ID, Objects.requireNonNull(connectionId, "connectionId"));
    }

    @Override
    public String remoteIpAddress() {
      return string(EnvironmentKey.REMOTE_IP_ADDRESS);
    }

    @Override
    public void setRemoteIpAddress(String remoteIpAddress) {
      put(
          EnvironmentKey.REMOTE_IP_ADDRESS,
          Objects.requireNonNull(remoteIpAddress, "remoteIpAddress"));
    }

    @Override
    public int remotePort() {
      return port(EnvironmentKey.REMOTE_PORT);
    }

    @Override
    public void setRemotePort(int remotePort) {
      put(EnvironmentKey.REMOTE_PORT, Integer.toString(checkPort("remote port", remotePort)));
    }

    @Override
    public String localIpAddress() {
      return string(EnvironmentKey.LOCAL_IP_ADDRESS);
    }

    @Override
    public void setLocalIpAddress(String localIpAddress) {
      put(
          EnvironmentKey.LOCAL_IP_ADDRESS,
          Objects.requireNonNull(localIpAddress, "localIpAddress"));
    }

    @Override
    public int localPort() {
      return port(EnvironmentKey.LOCAL_PORT);
    }

    @Override
    public void setLocalPort(int localPort) {
      put(EnvironmentKey.LOCAL_PORT, Integer.toString(checkPort("local port", localPort)));
    }

    @Override
    public boolean isLocal() {
      return Boolean.TRUE.equals(read(EnvironmentKey.IS_LOCAL));
    }

    @Override
    public void setLocal(boolean local) {
      put(EnvironmentKey.IS_LOCAL, local);
    }
  }

  private final class TlsView implements TlsFeature {
    @Override
    public @Nullable X509Certificate clientCertificate() {
      return (X509Certificate) read(EnvironmentKey.CLIENT_CERTIFICATE);
    }

    @Override
    public void setClientCertificate(@Nullable X509Certificate certificate) {
      putOrRemove(EnvironmentKey.CLIENT_CERTIFICATE, certificate);
    }

    @Override
    public CompletionStage<@Nullable X509Certificate> loadClientCertificate() {
      X509Certificate known = clientCertificate();
      if (known != null) {
        return CompletableFuture.completedFuture(known);
      }
      Supplier<?> loader = (Supplier<?>) read(EnvironmentKey.LOAD_CLIENT_CERT_ASYNC);
      if (loader == null) {
        return CompletableFuture.completedFuture(null);
      }
      if (!(loader.get() instanceof CompletionStage<?> loading)) {
        throw new IllegalStateException(
            EnvironmentKey.LOAD_CLIENT_CERT_ASYNC.key + " must return a CompletionStage");
      }
      return loading.thenApply(done -> clientCertificate());
    }
  }

  private final class RequestIdentifierView implements RequestIdentifierFeature {
    @Override
    public String requestId() {
      String id = optionalString(EnvironmentKey.REQUEST_ID);
      if (id == null) {
        id = DefaultRequestIdentifierFeature.newRequestId();
        put(EnvironmentKey.REQUEST_ID, id);
      }
      return id;
    }

    @Override
    public void setRequestId(String requestId) {
      Objects.requireNonNull(requestId, "requestId");
      String existing = optionalString(EnvironmentKey.REQUEST_ID);
      if (existing != null) {
        throw new IllegalStateException(
            "cannot set request id to \""
                + requestId
                + "\": it is already \""
                + existing
                + "\" and never changes once set");
      }
      put(EnvironmentKey.REQUEST_ID, requestId);
    }
  }

  private final class LifetimeView implements RequestLifetimeFeature {
    @Override
    public CancellationToken requestAborted() {
      Object token = read(EnvironmentKey.CALL_CANCELLED);
      return token == null ? CancellationToken.NONE : (CancellationToken) token;
    }

    @Override
    public void setRequestAborted(CancellationToken token) {
      put(EnvironmentKey.CALL_CANCELLED, Objects.requireNonNull(token, "token"));
    }

    @Override
    public void abort() {
      throw new UnsupportedOperationException(
          "abort is not offered over an OWIN environment: OWIN has no abort delegate; to abort"
              + " the connection, fail the application's stage after the response started, which"
              + " makes an OWIN host abort it");
    }
  }

  private final class AuthenticationView implements AuthenticationFeature {
    @Override
    public @Nullable Principal user() {
      Object user = read(EnvironmentKey.REQUEST_USER);
      return (Principal) (user != null ? user : read(EnvironmentKey.USER));
    }

    /** Sets both {@code owin.RequestUser} and the OWIN 1.0 {@code server.User}. */
    @Override
    public void setUser(@Nullable Principal user) {
      putOrRemove(EnvironmentKey.REQUEST_USER, user);
      putOrRemove(EnvironmentKey.USER, user);
    }
  }

  private final class SendFileView implements SendFileFeature {
    @Override
    public CompletionStage<Void> sendFile(
        String path, long offset, @Nullable Long count, CancellationToken cancel) {
      SendFileAsync delegate = (SendFileAsync) read(EnvironmentKey.SEND_FILE);
      if (delegate == null) {
        throw new IllegalStateException(
            "the environment no longer has " + EnvironmentKey.SEND_FILE.key);
      }
      return delegate.sendFileAsync(path, offset, count, cancel);
    }
  }
}
