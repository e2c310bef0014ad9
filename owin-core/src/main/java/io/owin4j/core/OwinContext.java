package io.owin4j.core;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.RoutingKeys;
import io.owin4j.api.ServerKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A typed view of one request's environment map, in the manner of Katana's {@code OwinContext}.
 *
 * <p>The map stays the truth: every getter reads it and every setter writes it, so the view never
 * goes stale and code that works on the map directly sees the same request. Creating a context is
 * cheap; make one wherever it helps.
 *
 * <h2>Errors</h2>
 *
 * A getter for a required key throws {@link IllegalStateException} naming the key when it is absent
 * ({@code owin.RequestPath is missing from the environment}); any getter throws {@link
 * IllegalArgumentException} when the value has the wrong type ({@code owin.RequestPath must be a
 * String, got Integer 5}).
 *
 * <h2>Threading</h2>
 *
 * A context is as thread-safe as its map, which for a request environment means one thread at a
 * time. The body methods block; call them on a worker thread, never on a host's IO thread.
 */
public final class OwinContext {
  private static final String CONTENT_TYPE = "Content-Type";
  private static final String TEXT_PLAIN_UTF8 = "text/plain; charset=utf-8";
  private static final Consumer<Object> RUN_STATE = state -> ((Runnable) state).run();

  private final Map<String, Object> environment;

  private OwinContext(Map<String, Object> environment) {
    this.environment = environment;
  }

  /** Returns a context over {@code environment}; nothing is read or copied until asked. */
  public static OwinContext of(Map<String, Object> environment) {
    return new OwinContext(Objects.requireNonNull(environment, "environment"));
  }

  /** Returns the environment map this context reads and writes. */
  public Map<String, Object> environment() {
    return environment;
  }

  /**
   * Returns the value under {@code key} as a {@code type}, or null when the key is absent.
   *
   * @throws IllegalArgumentException if the value is not a {@code type}
   */
  public <T> @Nullable T get(String key, Class<T> type) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    return EnvironmentValues.get(environment, key, type);
  }

  /**
   * Puts {@code value} under {@code key}.
   *
   * @return this context
   */
  public OwinContext set(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    environment.put(key, value);
    return this;
  }

  // Request

  /** Returns {@code owin.RequestMethod}, such as {@code GET}. */
  public String method() {
    return requireString(OwinKeys.REQUEST_METHOD);
  }

  /** Returns {@code owin.RequestScheme}: {@code http} or {@code https}. */
  public String scheme() {
    return requireString(OwinKeys.REQUEST_SCHEME);
  }

  /** Returns {@code owin.RequestPathBase}, decoded; empty at the root. */
  public String pathBase() {
    return requireString(OwinKeys.REQUEST_PATH_BASE);
  }

  /** Returns {@code owin.RequestPath}, decoded. */
  public String path() {
    return requireString(OwinKeys.REQUEST_PATH);
  }

  /**
   * Returns {@code owin.RequestQueryString} as the map holds it: still encoded, without {@code ?}.
   */
  public String queryString() {
    return requireString(OwinKeys.REQUEST_QUERY_STRING);
  }

  /** Returns {@code owin.RequestProtocol}, such as {@code HTTP/1.1}. */
  public String protocol() {
    return requireString(OwinKeys.REQUEST_PROTOCOL);
  }

  /** Returns the live {@code owin.RequestHeaders} map. */
  public Map<String, String[]> requestHeaders() {
    return headers(OwinKeys.REQUEST_HEADERS);
  }

  /**
   * Returns the first value of the request header {@code name}, compared ignoring case, or null
   * when the header is absent or has no value.
   *
   * <p>Works on a header map that compares names exactly, too: an exact miss falls back to a scan.
   */
  public @Nullable String requestHeader(String name) {
    Objects.requireNonNull(name, "name");
    Map<String, String[]> headers = requestHeaders();
    String[] values =
        headerValues(
            OwinKeys.REQUEST_HEADERS, headers, EnvironmentValues.headerName(headers, name));
    return values.length == 0 ? null : values[0];
  }

  /**
   * Returns the first value of the query parameter {@code name}, or null when it is absent.
   *
   * @throws IllegalArgumentException as {@link #queryParameters()}
   */
  public @Nullable String query(String name) {
    Objects.requireNonNull(name, "name");
    List<String> values = queryParameters().get(name);
    return values == null ? null : values.get(0);
  }

  /**
   * Parses the query string by the {@code application/x-www-form-urlencoded} rules: pairs split on
   * {@code &}, name and value split on the first {@code =} (a pair without one has the empty
   * value), {@code +} is a space, {@code %XX} escapes are UTF-8 bytes, and empty pairs are skipped.
   *
   * <p>Names compare exactly. The query string is parsed again on every call.
   *
   * @return an unmodifiable map from each name to its values, both in the order they appear
   * @throws IllegalArgumentException naming the query string if an escape is not {@code %} and two
   *     hex digits, or the escaped bytes are not UTF-8
   */
  public Map<String, List<String>> queryParameters() {
    return QueryStrings.parse(queryString());
  }

  /**
   * Returns the parameters a router matched in the path ({@value RoutingKeys#PARAMETERS}), or an
   * empty map when no router matched this request.
   *
   * @throws IllegalArgumentException if the value under the key is not a map
   */
  @SuppressWarnings("unchecked") // the key's value type is fixed by RoutingKeys
  public Map<String, String> routeParameters() {
    Map<String, String> parameters = get(RoutingKeys.PARAMETERS, Map.class);
    return parameters == null ? Map.of() : parameters;
  }

  /**
   * Returns the route parameter {@code name} a router matched in the path, or null when there is
   * none of that name.
   *
   * @throws IllegalArgumentException as {@link #routeParameters()}
   */
  public @Nullable String routeParameter(String name) {
    Objects.requireNonNull(name, "name");
    return routeParameters().get(name);
  }

  /** Returns {@code owin.RequestBody}. */
  public InputStream requestBody() {
    return EnvironmentValues.require(environment, OwinKeys.REQUEST_BODY, InputStream.class);
  }

  /**
   * Reads the rest of the request body and decodes it with the charset of the {@code Content-Type}
   * request header, or UTF-8 when it names none.
   *
   * <p>Blocks until the body ends.
   *
   * @throws IOException if reading fails
   * @throws MalformedBodyException if the bytes are not valid in the charset: the client's fault,
   *     which error-handling middleware answers with 400
   * @throws IllegalArgumentException if the charset is unknown to this JVM
   */
  public String readBodyAsText() throws IOException {
    String contentType = requestHeader(CONTENT_TYPE);
    Charset charset = StandardCharsets.UTF_8;
    if (contentType != null) {
      String name = charsetParameter(contentType);
      if (name != null) {
        charset = charsetNamed(name, contentType);
      }
    }
    byte[] bytes = requestBody().readAllBytes();
    try {
      return charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedBodyException(charset, e);
    }
  }

  /** Returns {@code owin.CallCancelled}. */
  public CancellationToken callCancelled() {
    return EnvironmentValues.require(environment, OwinKeys.CALL_CANCELLED, CancellationToken.class);
  }

  /**
   * Returns the authenticated user: {@code owin.RequestUser}, or else the OWIN 1.0 {@code
   * server.User}, or null when neither is present.
   */
  public @Nullable Principal user() {
    Principal user = get(OwinKeys.REQUEST_USER, Principal.class);
    return user != null ? user : get(ServerKeys.USER, Principal.class);
  }

  // Response

  /** Returns {@code owin.ResponseStatusCode}, or 200 when it is absent. */
  public int statusCode() {
    Integer status = get(OwinKeys.RESPONSE_STATUS_CODE, Integer.class);
    return status == null ? 200 : status;
  }

  /**
   * Sets {@code owin.ResponseStatusCode}.
   *
   * @return this context
   * @throws IllegalArgumentException if {@code statusCode} is not in [100, 999]
   */
  public OwinContext setStatusCode(int statusCode) {
    if (statusCode < 100 || statusCode > 999) {
      throw new IllegalArgumentException("status code must be in [100, 999], got " + statusCode);
    }
    environment.put(OwinKeys.RESPONSE_STATUS_CODE, statusCode);
    return this;
  }

  /** Returns {@code owin.ResponseReasonPhrase}, or null when the host's default applies. */
  public @Nullable String reasonPhrase() {
    return get(OwinKeys.RESPONSE_REASON_PHRASE, String.class);
  }

  /**
   * Sets {@code owin.ResponseReasonPhrase}.
   *
   * @return this context
   */
  public OwinContext setReasonPhrase(String reasonPhrase) {
    return set(
        OwinKeys.RESPONSE_REASON_PHRASE, Objects.requireNonNull(reasonPhrase, "reasonPhrase"));
  }

  /** Returns the live {@code owin.ResponseHeaders} map. */
  public Map<String, String[]> responseHeaders() {
    return headers(OwinKeys.RESPONSE_HEADERS);
  }

  /**
   * Sets the response header {@code name} to the single {@code value}, replacing any values it had.
   *
   * <p>An existing header whose name differs only in case keeps its spelling.
   *
   * @return this context
   */
  public OwinContext setResponseHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, String[]> headers = responseHeaders();
    String existing = EnvironmentValues.headerName(headers, name);
    headers.put(existing != null ? existing : name, new String[] {value});
    return this;
  }

  /**
   * Appends {@code value} to the response header {@code name}, creating it when absent.
   *
   * <p>The value array is copied and written back, since a map may hand out copies.
   *
   * @return this context
   */
  public OwinContext addResponseHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, String[]> headers = responseHeaders();
    String existing = EnvironmentValues.headerName(headers, name);
    String[] values = headerValues(OwinKeys.RESPONSE_HEADERS, headers, existing);
    String[] added = Arrays.copyOf(values, values.length + 1);
    added[values.length] = value;
    headers.put(existing != null ? existing : name, added);
    return this;
  }

  /**
   * Sets the {@code Content-Type} response header.
   *
   * @return this context
   */
  public OwinContext setContentType(String contentType) {
    return setResponseHeader(CONTENT_TYPE, Objects.requireNonNull(contentType, "contentType"));
  }

  /** Returns {@code owin.ResponseBody}. */
  public OutputStream responseBody() {
    return EnvironmentValues.require(environment, OwinKeys.RESPONSE_BODY, OutputStream.class);
  }

  /**
   * Writes {@code bytes} to the response body; the first write sends the status and headers.
   *
   * @throws IOException if the body fails
   */
  public void write(byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes");
    responseBody().write(bytes);
  }

  /**
   * Writes {@code text} to the response body as UTF-8.
   *
   * <p>When the response has no {@code Content-Type} yet, sets {@code text/plain; charset=utf-8}
   * first. It never sets {@code Content-Length}: the text may be one of several writes, so it
   * leaves the choice between a length and chunked framing to the application or, failing that, the
   * host.
   *
   * @throws IllegalStateException if the {@code Content-Type} already set names a charset other
   *     than UTF-8; write the encoded bytes with {@link #write(byte[])} instead
   * @throws IOException if the body fails
   */
  public void writeText(String text) throws IOException {
    Objects.requireNonNull(text, "text");
    Map<String, String[]> headers = responseHeaders();
    String[] values =
        headerValues(
            OwinKeys.RESPONSE_HEADERS,
            headers,
            EnvironmentValues.headerName(headers, CONTENT_TYPE));
    if (values.length == 0) {
      setContentType(TEXT_PLAIN_UTF8);
    } else {
      String charset = charsetParameter(values[0]);
      if (charset != null && !charsetNamed(charset, values[0]).equals(StandardCharsets.UTF_8)) {
        throw new IllegalStateException(
            "Content-Type \""
                + values[0]
                + "\" names charset "
                + charset
                + " but writeText writes UTF-8; write the encoded bytes with write(byte[])"
                + " instead");
      }
    }
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes {@code text} as {@link #writeText(String)} does and returns a stage that is already
   * complete, or already failed with the {@link IOException}; convenient as an application's
   * result.
   *
   * @throws IllegalStateException as {@link #writeText(String)}
   */
  public CompletionStage<Void> writeTextAsync(String text) {
    try {
      writeText(text);
      return CompletableFuture.completedFuture(null);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Registers {@code callback} to run just before the host sends the status and headers, through
   * {@code server.OnSendingHeaders}; callbacks run last registered first.
   *
   * @throws UnsupportedOperationException if the host offers no {@code server.OnSendingHeaders}
   * @throws IllegalStateException if the headers were already sent
   */
  public void onSendingHeaders(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    OnSendingHeaders register = get(ServerKeys.ON_SENDING_HEADERS, OnSendingHeaders.class);
    if (register == null) {
      throw new UnsupportedOperationException(
          "the host offers no " + ServerKeys.ON_SENDING_HEADERS + " in this environment");
    }
    register.register(RUN_STATE, callback);
  }

  private String requireString(String key) {
    return EnvironmentValues.require(environment, key, String.class);
  }

  @SuppressWarnings("unchecked") // the value type of the header maps is fixed by the spec
  private Map<String, String[]> headers(String key) {
    return EnvironmentValues.require(environment, key, Map.class);
  }

  /** Returns the values under {@code name} as found by {@link EnvironmentValues#headerName}. */
  private static String[] headerValues(
      String key, Map<String, String[]> headers, @Nullable String name) {
    if (name == null) {
      return new String[0];
    }
    Object values = ((Map<?, ?>) headers).get(name);
    if (!(values instanceof String[] array)) {
      throw new IllegalArgumentException(
          EnvironmentValues.wrongType(key + " entry " + name, String[].class, values));
    }
    return array;
  }

  /** Returns the unquoted {@code charset} parameter of a media type, or null when it has none. */
  private static @Nullable String charsetParameter(String mediaType) {
    for (String parameter : mediaType.split(";")) {
      int equals = parameter.indexOf('=');
      if (equals >= 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("charset")) {
        String value = parameter.substring(equals + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return null;
  }

  private static Charset charsetNamed(String name, String contentType) {
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new IllegalArgumentException(
          "Content-Type \""
              + contentType
              + "\" names charset \""
              + name
              + "\", which this JVM does not support",
          e);
    }
  }
}
