package io.owin4j.testkit.internal;

import io.owin4j.api.features.AuthenticationFeature;
import io.owin4j.api.features.ConnectionFeature;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.RequestIdentifierFeature;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseBodyFeature;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.api.features.SendFileFeature;
import io.owin4j.api.features.ServerCapabilities;
import io.owin4j.core.host.ExchangeRules;
import io.owin4j.core.host.HttpSyntax;
import io.owin4j.features.CancellationTokenSource;
import io.owin4j.features.DefaultAuthenticationFeature;
import io.owin4j.features.DefaultConnectionFeature;
import io.owin4j.features.DefaultFeatureCollection;
import io.owin4j.features.DefaultRequestFeature;
import io.owin4j.features.DefaultRequestIdentifierFeature;
import io.owin4j.features.DefaultRequestLifetimeFeature;
import io.owin4j.features.DefaultResponseBodyFeature;
import io.owin4j.features.DefaultResponseFeature;
import io.owin4j.features.HeaderDictionary;
import io.owin4j.features.ResponseBodyStream;
import io.owin4j.features.ResponseStarter;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The typed features of one in-memory request, built the same way for the in-memory host and for
 * unit-test environments: owin-features' defaults, filled from an {@link OutgoingRequest}, with a
 * response body that goes to a given stream and a sendfile that copies into it.
 */
public final class RequestFeatures {
  /** The host name requests carry when the test set no {@code Host} header. */
  public static final String DEFAULT_HOST = "localhost";

  private static final AtomicLong CONNECTIONS = new AtomicLong();

  private final DefaultFeatureCollection features = new DefaultFeatureCollection();
  private final ResponseStarter starter = new ResponseStarter();
  private final DefaultRequestFeature request = new DefaultRequestFeature();
  private final DefaultResponseFeature response = new DefaultResponseFeature(starter);
  private final CancellationTokenSource lifetime = new CancellationTokenSource();
  private final ResponseBodyStream body;

  /**
   * Builds the features.
   *
   * @param outgoing the request; its path is decoded, its query kept encoded, and a {@code Host}
   *     header added when it has none, as well as {@code Content-Length} (a body of bytes) or
   *     {@code Transfer-Encoding: chunked} (a body stream)
   * @param responseTarget where response body bytes go, after the response started
   * @param capabilities the host's capabilities, the same instance for every request
   * @param fileCopier runs sendfile copies
   */
  public RequestFeatures(
      OutgoingRequest outgoing,
      OutputStream responseTarget,
      ServerCapabilities capabilities,
      Executor fileCopier) {
    request.setMethod(outgoing.method());
    request.setPath(HttpSyntax.decodePath(outgoing.rawPath()));
    request.setQueryString(outgoing.rawQuery());
    HeaderDictionary headers = new HeaderDictionary();
    for (Map.Entry<String, String> header : outgoing.headers()) {
      headers.add(header.getKey(), header.getValue());
    }
    if (headers.first("Host") == null) {
      headers.set("Host", DEFAULT_HOST);
    }
    // The framing a client over a socket sends with the body (the JDK client sends these).
    byte[] bytes = outgoing.bodyBytes();
    if (bytes != null && headers.first("Content-Length") == null) {
      headers.set("Content-Length", Integer.toString(bytes.length));
    } else if (outgoing.bodyStream() != null && headers.first("Transfer-Encoding") == null) {
      headers.set("Transfer-Encoding", "chunked");
    }
    request.setHeaders(headers);
    request.setBody(requestBody(outgoing));

    body =
        new ResponseBodyStream(
            ExchangeRules.limitedToDeclaredLength(
                responseTarget, () -> ExchangeRules.declaredLength(response.headers())),
            starter);
    long connection = CONNECTIONS.incrementAndGet();
    DefaultConnectionFeature connectionFeature = new DefaultConnectionFeature();
    connectionFeature.setConnectionId("in-memory-" + connection);
    connectionFeature.setRemoteIpAddress("127.0.0.1");
    connectionFeature.setRemotePort(49152 + (int) (connection % 16384));
    connectionFeature.setLocalIpAddress("127.0.0.1");
    connectionFeature.setLocalPort(80);
    connectionFeature.setLocal(true);
    DefaultRequestLifetimeFeature lifetimeFeature = new DefaultRequestLifetimeFeature(lifetime);

    features.set(RequestFeature.class, request);
    features.set(ResponseFeature.class, response);
    features.set(ResponseBodyFeature.class, new DefaultResponseBodyFeature(body, starter));
    features.set(ConnectionFeature.class, connectionFeature);
    features.set(RequestIdentifierFeature.class, new DefaultRequestIdentifierFeature());
    features.set(RequestLifetimeFeature.class, lifetimeFeature);
    features.set(AuthenticationFeature.class, new DefaultAuthenticationFeature());
    features.set(ServerCapabilities.class, capabilities);
    features.set(SendFileFeature.class, new CopySendFile(body, fileCopier, lifetimeFeature));
  }

  private static InputStream requestBody(OutgoingRequest outgoing) {
    byte[] bytes = outgoing.bodyBytes();
    if (bytes != null) {
      return new ByteArrayInputStream(bytes);
    }
    InputStream stream = outgoing.bodyStream();
    return stream != null ? stream : InputStream.nullInputStream();
  }

  /** The request's features. */
  public DefaultFeatureCollection features() {
    return features;
  }

  /** The gate of the response: started when the headers go out, completed when it ended. */
  public ResponseStarter starter() {
    return starter;
  }

  /** The request line, headers and body. */
  public DefaultRequestFeature request() {
    return request;
  }

  /** The response status, reason and headers. */
  public DefaultResponseFeature response() {
    return response;
  }

  /** The source of {@code owin.CallCancelled}; cancelling it aborts the request. */
  public CancellationTokenSource lifetime() {
    return lifetime;
  }

  /** The host's own response body stream, which middleware may have replaced in the features. */
  public OutputStream body() {
    return body;
  }

  /**
   * The response as it stands, with {@code body}: the status, the reason phrase (the standard one
   * when none was set), the protocol (the request's when none was set) and a copy of the headers.
   */
  public ReceivedResponse responseHead(InputStream body) {
    int status = response.statusCode();
    String reason = response.reasonPhrase();
    String protocol = response.protocol();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    response
        .headers()
        .forEach((name, values) -> headers.put(name, new ArrayList<>(Arrays.asList(values))));
    return new ReceivedResponse(
        status,
        reason != null ? reason : HttpSyntax.reasonPhrase(status),
        protocol != null ? protocol : request.protocol(),
        headers,
        body);
  }

  /** The request identifier. */
  public String requestId() {
    return features.require(RequestIdentifierFeature.class).requestId();
  }
}
