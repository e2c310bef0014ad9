package io.owin4j.core;

import io.owin4j.api.features.AuthenticationFeature;
import io.owin4j.api.features.ConnectionFeature;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.RequestIdentifierFeature;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseBodyFeature;
import io.owin4j.api.features.ResponseFeature;
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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;

/** A request as a typed host builds it: the Default* features over in-memory streams. */
final class TypedRequest {
  final ResponseStarter starter = new ResponseStarter();
  final DefaultRequestFeature request = new DefaultRequestFeature();
  final DefaultResponseFeature response = new DefaultResponseFeature(starter);
  final ByteArrayOutputStream sent = new ByteArrayOutputStream();
  final ResponseBodyStream body = new ResponseBodyStream(sent, starter);
  final DefaultResponseBodyFeature responseBody = new DefaultResponseBodyFeature(body, starter);
  final DefaultConnectionFeature connection = new DefaultConnectionFeature();
  final CancellationTokenSource cancellation = new CancellationTokenSource();
  final DefaultRequestLifetimeFeature lifetime = new DefaultRequestLifetimeFeature(cancellation);
  final DefaultRequestIdentifierFeature requestId = new DefaultRequestIdentifierFeature("req-1");
  final Principal alice = () -> "alice";
  final DefaultAuthenticationFeature authentication = new DefaultAuthenticationFeature(alice);
  final DefaultFeatureCollection features = new DefaultFeatureCollection();

  TypedRequest() {
    request.setMethod("POST");
    request.setScheme("https");
    request.setPathBase("/app");
    request.setPath("/items");
    request.setQueryString("a=1&b=two");
    request.setProtocol("HTTP/1.1");
    ((HeaderDictionary) request.headers()).set("Host", "example.com");
    ((HeaderDictionary) request.headers()).set("X-Name", "World");
    request.setBody(new ByteArrayInputStream("ping".getBytes(StandardCharsets.UTF_8)));
    connection.setConnectionId("c1");
    connection.setRemoteIpAddress("10.0.0.1");
    connection.setRemotePort(50000);
    connection.setLocalIpAddress("10.0.0.2");
    connection.setLocalPort(8080);
    connection.setLocal(true);
    features.set(RequestFeature.class, request);
    features.set(ResponseFeature.class, response);
    features.set(ResponseBodyFeature.class, responseBody);
    features.set(ConnectionFeature.class, connection);
    features.set(RequestLifetimeFeature.class, lifetime);
    features.set(RequestIdentifierFeature.class, requestId);
    features.set(AuthenticationFeature.class, authentication);
  }

  String sentText() {
    return sent.toString(StandardCharsets.UTF_8);
  }
}
