package io.owin4j.core;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.FeatureKeys;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OpaqueKeys;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.api.SslKeys;
import io.owin4j.api.WebSocketKeys;
import io.owin4j.api.ext.OpaqueUpgrade;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.api.ext.WebSocketAccept;
import io.owin4j.api.features.AuthenticationFeature;
import io.owin4j.api.features.ConnectionFeature;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.RequestIdentifierFeature;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseBodyFeature;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.api.features.TlsFeature;
import io.owin4j.api.features.ServerCapabilities;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The static table of every well-known environment key: its value type and how {@link
 * OwinEnvironment} reads, writes and clears it through the typed features.
 *
 * <p>{@link #check} is shared by both directions, so a wrongly typed value fails with the same
 * message whether it is put into an {@code OwinEnvironment} or read through an {@link
 * OwinFeatureCollection}.
 *
 * <p>{@link #view} answers null when the backing feature is missing (the key is then absent).
 * {@link #write} answers false when the key has no setter or its feature is missing; the
 * environment then stores the value as an override. {@link #clear} empties an optional value in
 * its feature and answers whether it could.
 */
enum EnvironmentKey {
  REQUEST_BODY(OwinKeys.REQUEST_BODY, true, InputStream.class, "an InputStream") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.request(), RequestFeature::body);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.request(), value, (request, v) -> request.setBody((InputStream) v));
    }
  },
  REQUEST_HEADERS(OwinKeys.REQUEST_HEADERS, true, Map.class, "a Map<String, String[]>") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.request(), RequestFeature::headers);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.request(), value, (request, v) -> request.setHeaders(headers(v)));
    }
  },
  REQUEST_METHOD(OwinKeys.REQUEST_METHOD, true, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.request(), RequestFeature::method);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.request(), value, (request, v) -> request.setMethod((String) v));
    }
  },
  REQUEST_PATH(OwinKeys.REQUEST_PATH, true, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.request(), RequestFeature::path);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.request(), value, (request, v) -> request.setPath((String) v));
    }
  },
  REQUEST_PATH_BASE(OwinKeys.REQUEST_PATH_BASE, true, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.request(), RequestFeature::pathBase);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.request(), value, (request, v) -> request.setPathBase((String) v));
    }
  },
  REQUEST_PROTOCOL(OwinKeys.REQUEST_PROTOCOL, true, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.request(), RequestFeature::protocol);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.request(), value, (request, v) -> request.setProtocol((String) v));
    }
  },
  REQUEST_QUERY_STRING(OwinKeys.REQUEST_QUERY_STRING, true, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return env.queryStringWithoutMark();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      RequestFeature request = env.request();
      if (request == null) {
        return false;
      }
      String raw = (String) value;
      // Always add the mark, so a raw value that itself starts with '?' survives the round trip.
      request.setQueryString(raw.isEmpty() ? "" : "?" + raw);
      return true;
    }
  },
  REQUEST_SCHEME(OwinKeys.REQUEST_SCHEME, true, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.request(), RequestFeature::scheme);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.request(), value, (request, v) -> request.setScheme((String) v));
    }
  },
  REQUEST_ID(OwinKeys.REQUEST_ID, false, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.requestIdentifier(), RequestIdentifierFeature::requestId);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.requestIdentifier(), value, (id, v) -> id.setRequestId((String) v));
    }
  },
  REQUEST_USER(OwinKeys.REQUEST_USER, false, Principal.class, "a Principal") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.authentication(), AuthenticationFeature::user);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(
          env.authenticationOnDemand(),
          value,
          (authentication, v) -> authentication.setUser((Principal) v));
    }

    @Override
    EnvironmentKey twin() {
      return USER;
    }

    @Override
    boolean clear(OwinEnvironment env) {
      AuthenticationFeature authentication = env.authentication();
      if (authentication == null) {
        return false;
      }
      authentication.setUser(null);
      return true;
    }
  },
  RESPONSE_BODY(OwinKeys.RESPONSE_BODY, true, OutputStream.class, "an OutputStream") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.responseBody(), ResponseBodyFeature::stream);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.responseBody(), value, (body, v) -> body.setStream((OutputStream) v));
    }
  },
  RESPONSE_HEADERS(OwinKeys.RESPONSE_HEADERS, true, Map.class, "a Map<String, String[]>") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.response(), ResponseFeature::headers);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.response(), value, (response, v) -> response.setHeaders(headers(v)));
    }
  },
  RESPONSE_STATUS_CODE(
      OwinKeys.RESPONSE_STATUS_CODE, false, Integer.class, "an Integer in [100, 999]") {
    @Override
    Object check(Object value) {
      if (!(value instanceof Integer status) || status < 100 || status > 999) {
        throw wrongValue(value);
      }
      return value;
    }

    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.response(), response -> boxStatus(response.statusCode()));
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.response(), value, (response, v) -> response.setStatusCode((Integer) v));
    }

    @Override
    boolean clear(OwinEnvironment env) {
      ResponseFeature response = env.response();
      if (response == null) {
        return false;
      }
      if (response.statusCode() != 200) {
        response.setStatusCode(200);
      }
      return true;
    }
  },
  RESPONSE_REASON_PHRASE(OwinKeys.RESPONSE_REASON_PHRASE, false, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.response(), ResponseFeature::reasonPhrase);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.response(), value, (response, v) -> response.setReasonPhrase((String) v));
    }

    @Override
    boolean clear(OwinEnvironment env) {
      ResponseFeature response = env.response();
      if (response == null) {
        return false;
      }
      response.setReasonPhrase(null);
      return true;
    }
  },
  RESPONSE_PROTOCOL(OwinKeys.RESPONSE_PROTOCOL, false, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.response(), ResponseFeature::protocol);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.response(), value, (response, v) -> response.setProtocol((String) v));
    }

    @Override
    boolean clear(OwinEnvironment env) {
      ResponseFeature response = env.response();
      if (response == null) {
        return false;
      }
      response.setProtocol(null);
      return true;
    }
  },
  CALL_CANCELLED(OwinKeys.CALL_CANCELLED, true, CancellationToken.class, "a CancellationToken") {
    @Override
    Object view(OwinEnvironment env) {
      RequestLifetimeFeature lifetime = env.lifetime();
      return lifetime == null ? CancellationToken.NONE : lifetime.requestAborted();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(
          env.lifetime(),
          value,
          (lifetime, v) -> lifetime.setRequestAborted((CancellationToken) v));
    }
  },
  VERSION(OwinKeys.VERSION, true, String.class, "a String") {
    @Override
    Object view(OwinEnvironment env) {
      return OwinKeys.VERSION_VALUE;
    }
  },
  REMOTE_IP_ADDRESS(ServerKeys.REMOTE_IP_ADDRESS, false, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.connection(), ConnectionFeature::remoteIpAddress);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(
          env.connection(), value, (connection, v) -> connection.setRemoteIpAddress((String) v));
    }
  },
  REMOTE_PORT(ServerKeys.REMOTE_PORT, false, String.class, EnvironmentKey.PORT_RULE) {
    @Override
    Object check(Object value) {
      return checkPort(value);
    }

    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.connection(), connection -> Integer.toString(connection.remotePort()));
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(
          env.connection(),
          value,
          (connection, v) -> connection.setRemotePort(Integer.parseInt((String) v)));
    }
  },
  LOCAL_IP_ADDRESS(ServerKeys.LOCAL_IP_ADDRESS, false, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.connection(), ConnectionFeature::localIpAddress);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(
          env.connection(), value, (connection, v) -> connection.setLocalIpAddress((String) v));
    }
  },
  LOCAL_PORT(ServerKeys.LOCAL_PORT, false, String.class, EnvironmentKey.PORT_RULE) {
    @Override
    Object check(Object value) {
      return checkPort(value);
    }

    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.connection(), connection -> Integer.toString(connection.localPort()));
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(
          env.connection(),
          value,
          (connection, v) -> connection.setLocalPort(Integer.parseInt((String) v)));
    }
  },
  IS_LOCAL(ServerKeys.IS_LOCAL, false, Boolean.class, "a Boolean") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.connection(), connection -> Boolean.valueOf(connection.isLocal()));
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.connection(), value, (connection, v) -> connection.setLocal((Boolean) v));
    }
  },
  CONNECTION_ID(ServerKeys.CONNECTION_ID, false, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.connection(), ConnectionFeature::connectionId);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(
          env.connection(), value, (connection, v) -> connection.setConnectionId((String) v));
    }
  },
  USER(ServerKeys.USER, false, Principal.class, "a Principal") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return REQUEST_USER.view(env);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return REQUEST_USER.write(env, value);
    }

    @Override
    boolean clear(OwinEnvironment env) {
      return REQUEST_USER.clear(env);
    }

    @Override
    EnvironmentKey twin() {
      return REQUEST_USER;
    }
  },
  ON_SENDING_HEADERS(
      ServerKeys.ON_SENDING_HEADERS, false, OnSendingHeaders.class, "an OnSendingHeaders") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return env.response() == null ? null : env.onSendingHeaders();
    }
  },
  CAPABILITIES(ServerKeys.CAPABILITIES, false, Map.class, "a Map<String, Object>") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.capabilities(), ServerCapabilities::values);
    }
  },
  CLIENT_CERTIFICATE(
      SslKeys.CLIENT_CERTIFICATE, false, X509Certificate.class, "an X509Certificate") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return readFrom(env.tls(), TlsFeature::clientCertificate);
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      return writeTo(env.tls(), value, (tls, v) -> tls.setClientCertificate((X509Certificate) v));
    }

    @Override
    boolean clear(OwinEnvironment env) {
      TlsFeature tls = env.tls();
      if (tls == null) {
        return false;
      }
      tls.setClientCertificate(null);
      return true;
    }
  },
  LOAD_CLIENT_CERT_ASYNC(
      SslKeys.LOAD_CLIENT_CERT_ASYNC,
      false,
      Supplier.class,
      "a Supplier<CompletionStage<Void>>") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return env.tls() == null ? null : env.clientCertificateLoader();
    }
  },
  WEBSOCKET_ACCEPT(WebSocketKeys.ACCEPT, false, WebSocketAccept.class, "a WebSocketAccept") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      // Ask the bridge only when the host offers WebSocket at all: most requests do not.
      return env.webSocket() == null ? null : UpgradeBridge.acceptDelegate(env.features());
    }
  },
  SEND_FILE(SendFileKeys.SEND_ASYNC, false, SendFileAsync.class, "a SendFileAsync") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return env.sendFile() == null ? null : env.sendFileDelegate();
    }
  },
  OPAQUE_UPGRADE(OpaqueKeys.UPGRADE, false, OpaqueUpgrade.class, "an OpaqueUpgrade") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      return env.opaqueUpgrade() == null ? null : UpgradeBridge.upgradeDelegate(env.features());
    }
  },
  FEATURES(FeatureKeys.FEATURES, false, FeatureCollection.class, "a FeatureCollection") {
    @Override
    Object view(OwinEnvironment env) {
      return env.features();
    }

    /** The environment's own collection may be put back; any other is refused. */
    @Override
    boolean write(OwinEnvironment env, Object value) {
      if (value != env.features()) {
        throw new IllegalArgumentException(
            key
                + " is this environment's own feature collection and cannot be replaced, got "
                + EnvironmentValues.describe(value)
                + "; set features on the collection instead");
      }
      return true;
    }
  };

  private static final String PORT_RULE = "a String holding a port number in [0, 65535]";
  private static final EnvironmentKey[] VALUES = values();
  private static final Map<String, EnvironmentKey> BY_NAME = new HashMap<>(VALUES.length * 2);
  // Statuses above 127 are not in Integer's cache; reading one must not allocate.
  private static final Integer[] STATUS_BOXES = new Integer[1000];

  static {
    for (EnvironmentKey key : VALUES) {
      BY_NAME.put(key.key, key);
    }
    for (int status = 100; status < STATUS_BOXES.length; status++) {
      STATUS_BOXES[status] = status;
    }
  }

  /** The environment key, such as {@code owin.RequestPath}. */
  final String key;

  /** Whether OWIN requires the key: putting null fails instead of removing it. */
  final boolean required;

  private final Class<?> type;
  private final String rule;

  EnvironmentKey(String key, boolean required, Class<?> type, String rule) {
    this.key = key;
    this.required = required;
    this.type = type;
    this.rule = rule;
  }

  /** A property of {@code feature}, or null when the feature is missing (the key is absent). */
  private static <F> @Nullable Object readFrom(@Nullable F feature, Function<F, Object> property) {
    return feature == null ? null : property.apply(feature);
  }

  /** Writes a checked value into {@code feature}; false when the feature is missing. */
  private static <F> boolean writeTo(
      @Nullable F feature, Object value, BiConsumer<F, Object> setter) {
    if (feature == null) {
      return false;
    }
    setter.accept(feature, value);
    return true;
  }

  /** The well-known key named {@code name}, or null for any other key. */
  static @Nullable EnvironmentKey of(@Nullable Object name) {
    return name instanceof String string ? BY_NAME.get(string) : null;
  }

  /** The type a value of this key must have. */
  Class<?> type() {
    return type;
  }

  /** Every well-known key, in table order; the array must not be modified. */
  static EnvironmentKey[] all() {
    return VALUES;
  }

  /**
   * Returns {@code value} if it is valid for this key.
   *
   * @throws IllegalArgumentException naming the key, the rule and the value otherwise
   */
  Object check(Object value) {
    if (!type.isInstance(value)) {
      throw wrongValue(value);
    }
    return value;
  }

  /** Reads this key from a plain environment: null when absent, else the checked value. */
  final @Nullable Object read(Map<String, Object> environment) {
    Object value = environment.get(key);
    return value == null ? null : check(value);
  }

  /** The live value from the environment's features, or null when they do not provide it. */
  abstract @Nullable Object view(OwinEnvironment env);

  /** Writes a checked value into the features; false when this key cannot be written there. */
  boolean write(OwinEnvironment env, Object value) {
    return false;
  }

  /**
   * The key that shows the same value as this one ({@code owin.RequestUser} and {@code
   * server.User}), or null; an override of one is an override of both.
   */
  @Nullable EnvironmentKey twin() {
    return null;
  }

  /** Empties this optional value in the features; false when they cannot. */
  boolean clear(OwinEnvironment env) {
    return false;
  }

  /** The failure for a value that breaks this key's rule. */
  final IllegalArgumentException wrongValue(@Nullable Object value) {
    return new IllegalArgumentException(key + " must be " + rule + ", got " + EnvironmentValues.describe(value));
  }

  static Integer boxStatus(int status) {
    return status >= 100 && status < STATUS_BOXES.length ? STATUS_BOXES[status] : status;
  }

  final Object checkPort(Object value) {
    if (value instanceof String text && isPort(text)) {
      return value;
    }
    throw wrongValue(value);
  }

  private static boolean isPort(String text) {
    if (text.isEmpty() || text.length() > 5) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return Integer.parseInt(text) <= 65535;
  }

  @SuppressWarnings("unchecked") // header maps carry String[] values by contract
  private static Map<String, String[]> headers(Object value) {
    return (Map<String, String[]>) value;
  }

}
