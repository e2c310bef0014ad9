package io.owin4j.testkit.internal;

import io.owin4j.core.host.HttpSyntax;
import io.owin4j.testkit.HostMode;
import io.owin4j.testkit.OpaqueConnection;
import io.owin4j.testkit.TestClient;
import io.owin4j.testkit.TestRequest;
import io.owin4j.testkit.WebSocketRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The {@link TestClient} of every mode: builds requests and hands them to a {@link Transport}. */
public final class Client implements TestClient {
  /** How long a request waits unless the test says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final Transport transport;
  private final @Nullable CookieJar cookies;

  /** Creates a client without cookies. */
  public Client(Transport transport) {
    this(transport, null);
  }

  private Client(Transport transport, @Nullable CookieJar cookies) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.cookies = cookies;
  }

  @Override
  public TestRequest get(String path) {
    return method("GET", path);
  }

  @Override
  public TestRequest post(String path) {
    return method("POST", path);
  }

  @Override
  public TestRequest put(String path) {
    return method("PUT", path);
  }

  @Override
  public TestRequest delete(String path) {
    return method("DELETE", path);
  }

  @Override
  public TestRequest method(String method, String path) {
    return new RequestBuilder(this, new RequestDraft(method, path));
  }

  @Override
  public WebSocketRequest webSocket(String path) {
    return new WebSocketRequestBuilder(this, HttpSyntax.requireTarget(path));
  }

  @Override
  public OpaqueConnection upgrade(String path, String protocol) {
    HttpSyntax.requireTarget(path);
    HttpSyntax.requireToken(protocol, "protocol");
    if (protocol.toLowerCase(Locale.ROOT).equals("websocket")) {
      throw new IllegalArgumentException(
          "protocol must not be websocket, got \"" + protocol + "\"; use webSocket(path) instead");
    }
    OutgoingRequest request =
        withCookies(new OutgoingRequest("GET", path, List.of(), null, null, DEFAULT_TIMEOUT));
    OpaqueConnection connection = transport.upgrade(request, protocol);
    storeCookies(request, connection.handshakeResponse().headers());
    return connection;
  }

  @Override
  public TestClient withCookies() {
    return new Client(transport, new CookieJar());
  }

  @Override
  public URI baseUri() {
    return transport.baseUri();
  }

  @Override
  public HttpClient httpClient() {
    return transport.httpClient();
  }

  @Override
  public HostMode mode() {
    return transport.mode();
  }

  Transport transport() {
    return transport;
  }

  /** Adds the jar's {@code Cookie} header, when this client keeps cookies. */
  OutgoingRequest withCookies(OutgoingRequest request) {
    return cookies == null ? request : cookies.addTo(uriOf(request), request);
  }

  /** Stores the cookies a response set, when this client keeps cookies. */
  void storeCookies(OutgoingRequest request, java.util.Map<String, List<String>> headers) {
    if (cookies != null) {
      cookies.store(uriOf(request), headers);
    }
  }

  private URI uriOf(OutgoingRequest request) {
    return transport.baseUri().resolve(request.target());
  }

  @Override
  public String toString() {
    return "TestClient{"
        + transport.mode().displayName()
        + " "
        + transport.baseUri()
        + (cookies == null ? "" : ", with cookies")
        + "}";
  }
}
