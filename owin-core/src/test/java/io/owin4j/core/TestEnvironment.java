package io.owin4j.core;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;

/** Builds environments for unit tests: plain, case-sensitive maps, as a minimal host would. */
final class TestEnvironment {
  private TestEnvironment() {}

  /** Returns a valid environment for {@code GET http://example.test/} with an empty body. */
  static Map<String, Object> valid() {
    Map<String, String[]> requestHeaders = new HashMap<>();
    requestHeaders.put("Host", new String[] {"example.test"});
    Map<String, Object> environment = new HashMap<>();
    environment.put(OwinKeys.REQUEST_BODY, new ByteArrayInputStream(new byte[0]));
    environment.put(OwinKeys.REQUEST_HEADERS, requestHeaders);
    environment.put(OwinKeys.REQUEST_METHOD, "GET");
    environment.put(OwinKeys.REQUEST_PATH, "/");
    environment.put(OwinKeys.REQUEST_PATH_BASE, "");
    environment.put(OwinKeys.REQUEST_PROTOCOL, "HTTP/1.1");
    environment.put(OwinKeys.REQUEST_QUERY_STRING, "");
    environment.put(OwinKeys.REQUEST_SCHEME, "http");
    environment.put(OwinKeys.RESPONSE_BODY, new ByteArrayOutputStream());
    environment.put(OwinKeys.RESPONSE_HEADERS, new HashMap<String, String[]>());
    environment.put(OwinKeys.CALL_CANCELLED, CancellationToken.NONE);
    environment.put(OwinKeys.VERSION, OwinKeys.VERSION_VALUE);
    return environment;
  }

  /** Returns a valid environment for the given path base and path. */
  static Map<String, Object> at(String pathBase, String path) {
    Map<String, Object> environment = valid();
    environment.put(OwinKeys.REQUEST_PATH_BASE, pathBase);
    environment.put(OwinKeys.REQUEST_PATH, path);
    return environment;
  }

  @SuppressWarnings("unchecked")
  static Map<String, String[]> requestHeaders(Map<String, Object> environment) {
    return (Map<String, String[]>) environment.get(OwinKeys.REQUEST_HEADERS);
  }

  @SuppressWarnings("unchecked")
  static Map<String, String[]> responseHeaders(Map<String, Object> environment) {
    return (Map<String, String[]>) environment.get(OwinKeys.RESPONSE_HEADERS);
  }

  static ByteArrayOutputStream responseBody(Map<String, Object> environment) {
    return (ByteArrayOutputStream) environment.get(OwinKeys.RESPONSE_BODY);
  }
}
