package io.owin4j.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class DefaultRequestFeatureTest {
  private final DefaultRequestFeature request = new DefaultRequestFeature();

  @Test
  void hasDocumentedDefaults() throws IOException {
    assertEquals("GET", request.method());
    assertEquals("http", request.scheme());
    assertEquals("", request.pathBase());
    assertEquals("/", request.path());
    assertEquals("", request.queryString());
    assertEquals("HTTP/1.1", request.protocol());
    assertTrue(request.headers() instanceof HeaderDictionary);
    assertEquals(-1, request.body().read());
  }

  @Test
  void queryStringWithoutQuestionMarkGainsOne() {
    request.setQueryString("a=1");

    assertEquals("?a=1", request.queryString());
  }

  @Test
  void queryStringWithQuestionMarkIsKept() {
    request.setQueryString("?a=1");

    assertEquals("?a=1", request.queryString());
  }

  @Test
  void emptyQueryStringStaysEmpty() {
    request.setQueryString("?a=1");

    request.setQueryString("");

    assertEquals("", request.queryString());
  }

  @Test
  void setsEveryProperty() {
    InputStream body = new ByteArrayInputStream(new byte[] {1});
    HeaderDictionary headers = new HeaderDictionary();

    request.setMethod("POST");
    request.setScheme("https");
    request.setPathBase("/app");
    request.setPath("/items");
    request.setProtocol("HTTP/2.0");
    request.setHeaders(headers);
    request.setBody(body);

    assertEquals("POST", request.method());
    assertEquals("https", request.scheme());
    assertEquals("/app", request.pathBase());
    assertEquals("/items", request.path());
    assertEquals("HTTP/2.0", request.protocol());
    assertSame(headers, request.headers());
    assertSame(body, request.body());
  }

  @Test
  void pathBaseMustStartWithSlash() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> request.setPathBase("app"));

    assertEquals(
        "path base must be empty or start with '/' and not end with '/', got \"app\"",
        e.getMessage());
  }

  @Test
  void pathBaseMustNotEndWithSlash() {
    assertThrows(IllegalArgumentException.class, () -> request.setPathBase("/app/"));
  }

  @Test
  void pathMustBeEmptyOrStartWithSlash() {
    request.setPath("");

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> request.setPath("items"));

    assertEquals("path must be empty or start with '/', got \"items\"", e.getMessage());
  }

  @Test
  void settersRejectNull() {
    assertThrows(NullPointerException.class, () -> request.setMethod(null));
    assertThrows(NullPointerException.class, () -> request.setQueryString(null));
    assertThrows(NullPointerException.class, () -> request.setBody(null));
    assertThrows(NullPointerException.class, () -> request.setHeaders(null));
  }
}
