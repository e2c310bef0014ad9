package io.owin4j.core;

import io.owin4j.api.CancellationToken;
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
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.RequestIdentifierFeature;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseBodyFeature;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.api.features.TlsFeature;
import io.owin4j.features.ServerCapabilities;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
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
      RequestFeature request = env.request();
      return request == null ? null : request.body();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      RequestFeature request = env.request();
      if (request == null) {
        return false;
      }
      request.setBody((InputStream) value);
      return true;
    }
  },
  REQUEST_HEADERS(OwinKeys.REQUEST_HEADERS, true, Map.class, "a Map<String, String[]>") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      RequestFeature request = env.request();
      return request == null ? null : request.headers();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      RequestFeature request = env.request();
      if (request == null) {
        return false;
      }
      request.setHeaders(headers(value));
      return true;
    }
  },
  REQUEST_METHOD(OwinKeys.REQUEST_METHOD, true, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      RequestFeature request = env.request();
      return request == null ? null : request.method();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      RequestFeature request = env.request();
      if (request == null) {
        return false;
      }
      request.setMethod((String) value);
      return true;
    }
  },
  REQUEST_PATH(OwinKeys.REQUEST_PATH, true, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      RequestFeature request = env.request();
      return request == null ? null : request.path();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      RequestFeature request = env.request();
      if (request == null) {
        return false;
      }
      request.setPath((String) value);
      return true;
    }
  },
  REQUEST_PATH_BASE(OwinKeys.REQUEST_PATH_BASE, true, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      RequestFeature request = env.request();
      return request == null ? null : request.pathBase();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      RequestFeature request = env.request();
      if (request == null) {
        return false;
      }
      request.setPathBase((String) value);
      return true;
    }
  },
  REQUEST_PROTOCOL(OwinKeys.REQUEST_PROTOCOL, true, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      RequestFeature request = env.request();
      return request == null ? null : request.protocol();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      RequestFeature request = env.request();
      if (request == null) {
        return false;
      }
      request.setProtocol((String) value);
      return true;
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
      RequestFeature request = env.request();
      return request == null ? null : request.scheme();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      RequestFeature request = env.request();
      if (request == null) {
        return false;
      }
      request.setScheme((String) value);
      return true;
    }
  },
  REQUEST_ID(OwinKeys.REQUEST_ID, false, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      RequestIdentifierFeature id = env.requestIdentifier();
      return id == null ? null : id.requestId();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      RequestIdentifierFeature id = env.requestIdentifier();
      if (id == null) {
        return false;
      }
      id.setRequestId((String) value);
      return true;
    }
  },
  REQUEST_USER(OwinKeys.REQUEST_USER, false, Principal.class, "a Principal") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      AuthenticationFeature authentication = env.authentication();
      return authentication == null ? null : authentication.user();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      AuthenticationFeature authentication = env.authentication();
      if (authentication == null) {
        return false;
      }
      authentication.setUser((Principal) value);
      return true;
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
      ResponseBodyFeature body = env.responseBody();
      return body == null ? null : body.stream();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      ResponseBodyFeature body = env.responseBody();
      if (body == null) {
        return false;
      }
      body.setStream((OutputStream) value);
      return true;
    }
  },
  RESPONSE_HEADERS(OwinKeys.RESPONSE_HEADERS, true, Map.class, "a Map<String, String[]>") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      ResponseFeature response = env.response();
      return response == null ? null : response.headers();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      ResponseFeature response = env.response();
      if (response == null) {
        return false;
      }
      response.setHeaders(headers(value));
      return true;
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
      ResponseFeature response = env.response();
      return response == null ? null : boxStatus(response.statusCode());
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      ResponseFeature response = env.response();
      if (response == null) {
        return false;
      }
      response.setStatusCode((Integer) value);
      return true;
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
      ResponseFeature response = env.response();
      return response == null ? null : response.reasonPhrase();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      ResponseFeature response = env.response();
      if (response == null) {
        return false;
      }
      response.setReasonPhrase((String) value);
      return true;
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
      ResponseFeature response = env.response();
      return response == null ? null : response.protocol();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      ResponseFeature response = env.response();
      if (response == null) {
        return false;
      }
      response.setProtocol((String) value);
      return true;
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
      RequestLifetimeFeature lifetime = env.lifetime();
      if (lifetime == null) {
        return false;
      }
      lifetime.setRequestAborted((CancellationToken) value);
      return true;
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
      ConnectionFeature connection = env.connection();
      return connection == null ? null : connection.remoteIpAddress();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      ConnectionFeature connection = env.connection();
      if (connection == null) {
        return false;
      }
      connection.setRemoteIpAddress((String) value);
      return true;
    }
  },
  REMOTE_PORT(ServerKeys.REMOTE_PORT, false, String.class, EnvironmentKey.PORT_RULE) {
    @Override
    Object check(Object value) {
      return checkPort(value);
    }

    @Override
    @Nullable Object view(OwinEnvironment env) {
      ConnectionFeature connection = env.connection();
      return connection == null ? null : Integer.toString(connection.remotePort());
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      ConnectionFeature connection = env.connection();
      if (connection == null) {
        return false;
      }
      connection.setRemotePort(Integer.parseInt((String) value));
      return true;
    }
  },
  LOCAL_IP_ADDRESS(ServerKeys.LOCAL_IP_ADDRESS, false, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      ConnectionFeature connection = env.connection();
      return connection == null ? null : connection.localIpAddress();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      ConnectionFeature connection = env.connection();
      if (connection == null) {
        return false;
      }
      connection.setLocalIpAddress((String) value);
      return true;
    }
  },
  LOCAL_PORT(ServerKeys.LOCAL_PORT, false, String.class, EnvironmentKey.PORT_RULE) {
    @Override
    Object check(Object value) {
      return checkPort(value);
    }

    @Override
    @Nullable Object view(OwinEnvironment env) {
      ConnectionFeature connection = env.connection();
      return connection == null ? null : Integer.toString(connection.localPort());
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      ConnectionFeature connection = env.connection();
      if (connection == null) {
        return false;
      }
      connection.setLocalPort(Integer.parseInt((String) value));
      return true;
    }
  },
  IS_LOCAL(ServerKeys.IS_LOCAL, false, Boolean.class, "a Boolean") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      ConnectionFeature connection = env.connection();
      return connection == null ? null : Boolean.valueOf(connection.isLocal());
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      ConnectionFeature connection = env.connection();
      if (connection == null) {
        return false;
      }
      connection.setLocal((Boolean) value);
      return true;
    }
  },
  CONNECTION_ID(ServerKeys.CONNECTION_ID, false, String.class, "a String") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      ConnectionFeature connection = env.connection();
      return connection == null ? null : connection.connectionId();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      ConnectionFeature connection = env.connection();
      if (connection == null) {
        return false;
      }
      connection.setConnectionId((String) value);
      return true;
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
      ServerCapabilities capabilities = env.capabilities();
      return capabilities == null ? null : capabilities.values();
    }
  },
  CLIENT_CERTIFICATE(
      SslKeys.CLIENT_CERTIFICATE, false, X509Certificate.class, "an X509Certificate") {
    @Override
    @Nullable Object view(OwinEnvironment env) {
      TlsFeature tls = env.tls();
      return tls == null ? null : tls.clientCertificate();
    }

    @Override
    boolean write(OwinEnvironment env, Object value) {
      TlsFeature tls = env.tls();
      if (tls == null) {
        return false;
      }
      tls.setClientCertificate((X509Certificate) value);
      return true;
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

  /** Empties this optional value in the features; false when they cannot. */
  boolean clear(OwinEnvironment env) {
    return false;
  }

  /** The failure for a value that breaks this key's rule. */
  final IllegalArgumentException wrongValue(@Nullable Object value) {
    return new IllegalArgumentException(key + " must be " + rule + ", got " + describe(value));
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

  /** Shows a value's type and content for messages, such as {@code String "200"}. */
  static String describe(@Nullable Object value) {
    if (value == null) {
      return "null";
    }
    String type = value.getClass().getSimpleName();
    if (type.isEmpty()) {
      type = value.getClass().getName();
    }
    String text = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    if (text.length() > 100) {
      text = text.substring(0, 100) + "...";
    }
    return type + " " + text;
  }
}
