package io.owin4j.core;

import static io.owin4j.core.Stages.assertSucceeded;
import static io.owin4j.core.Stages.failureOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.RoutingKeys;
import io.owin4j.api.ServerKeys;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OwinContextTest {
  private final Map<String, Object> environment = TestEnvironment.valid();
  private final OwinContext context = OwinContext.of(environment);

  private static Principal principal(String name) {
    return () -> name;
  }

  @Nested
  class RouteParameters {
    @Test
    void withoutARouterThereAreNone() {
      assertEquals(Map.of(), context.routeParameters());
      assertNull(context.routeParameter("id"));
    }

    @Test
    void theRoutersParametersAreReadFromTheDocumentedKey() {
      environment.put(RoutingKeys.PARAMETERS, Map.of("id", "42"));

      assertEquals(Map.of("id", "42"), context.routeParameters());
      assertEquals("42", context.routeParameter("id"));
      assertNull(context.routeParameter("name"));
    }

    @Test
    void aValueOfTheWrongTypeIsRejectedNamingTheKey() {
      environment.put(RoutingKeys.PARAMETERS, "id=42");

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, context::routeParameters);

      assertTrue(e.getMessage().startsWith(RoutingKeys.PARAMETERS), e.getMessage());
    }
  }

  @Nested
  class Environment {
    @Test
    void environmentIsTheMapItself() {
      assertSame(environment, context.environment());
    }

    @Test
    void getReturnsTheTypedValue() {
      environment.put("app.Count", 3);

      assertEquals(3, context.get("app.Count", Integer.class));
    }

    @Test
    void getReturnsNullForAnAbsentKey() {
      assertNull(context.get("app.Absent", String.class));
    }

    @Test
    void getOfTheWrongTypeNamesKeyTypeAndValue() {
      environment.put("app.Count", "3");

      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> context.get("app.Count", Integer.class));

      assertEquals("app.Count must be an Integer, got String \"3\"", e.getMessage());
    }

    @Test
    void setWritesThroughToTheMap() {
      context.set("app.Name", "demo");

      assertEquals("demo", environment.get("app.Name"));
    }

    @Test
    void setRejectsNull() {
      NullPointerException e =
          assertThrows(NullPointerException.class, () -> context.set("app.Name", null));

      assertEquals("value", e.getMessage());
    }

    @Test
    void readsSeeChangesMadeToTheMap() {
      environment.put(OwinKeys.REQUEST_PATH, "/changed");

      assertEquals("/changed", context.path());
    }
  }

  @Nested
  class Request {
    @Test
    void requestLineAccessorsReadTheirKeys() {
      environment.put(OwinKeys.REQUEST_METHOD, "POST");
      environment.put(OwinKeys.REQUEST_SCHEME, "https");
      environment.put(OwinKeys.REQUEST_PATH_BASE, "/app");
      environment.put(OwinKeys.REQUEST_PATH, "/items/1");
      environment.put(OwinKeys.REQUEST_QUERY_STRING, "a=1");
      environment.put(OwinKeys.REQUEST_PROTOCOL, "HTTP/2.0");

      assertEquals("POST", context.method());
      assertEquals("https", context.scheme());
      assertEquals("/app", context.pathBase());
      assertEquals("/items/1", context.path());
      assertEquals("a=1", context.queryString());
      assertEquals("HTTP/2.0", context.protocol());
    }

    @Test
    void missingRequiredKeyNamesTheKey() {
      environment.remove(OwinKeys.REQUEST_PATH);

      IllegalStateException e = assertThrows(IllegalStateException.class, context::path);

      assertEquals("owin.RequestPath is missing from the environment", e.getMessage());
    }

    @Test
    void requiredKeyOfTheWrongTypeNamesTheKey() {
      environment.put(OwinKeys.REQUEST_METHOD, 5);

      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, context::method);

      assertEquals("owin.RequestMethod must be a String, got Integer 5", e.getMessage());
    }

    @Test
    void requestHeadersIsTheLiveMap() {
      assertSame(environment.get(OwinKeys.REQUEST_HEADERS), context.requestHeaders());
    }

    @Test
    void requestHeaderIgnoresCaseOnACaseSensitiveMap() {
      assertEquals("example.test", context.requestHeader("host"));
    }

    @Test
    void requestHeaderReturnsTheFirstValue() {
      TestEnvironment.requestHeaders(environment).put("Accept", new String[] {"a/b", "c/d"});

      assertEquals("a/b", context.requestHeader("Accept"));
    }

    @Test
    void requestHeaderPrefersTheExactName() {
      TestEnvironment.requestHeaders(environment).put("host", new String[] {"lower.test"});

      assertEquals("example.test", context.requestHeader("Host"));
      assertEquals("lower.test", context.requestHeader("host"));
    }

    @Test
    void requestHeaderWorksOnACaseInsensitiveMap() {
      Map<String, String[]> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.put("Content-Type", new String[] {"text/plain"});
      environment.put(OwinKeys.REQUEST_HEADERS, headers);

      assertEquals("text/plain", context.requestHeader("CONTENT-TYPE"));
    }

    @Test
    void requestHeaderIsNullWhenAbsentOrEmpty() {
      TestEnvironment.requestHeaders(environment).put("X-Empty", new String[0]);

      assertNull(context.requestHeader("X-Absent"));
      assertNull(context.requestHeader("X-Empty"));
    }

    @Test
    void requestHeaderValueOfTheWrongTypeNamesTheHeader() {
      Map<String, Object> headers = new HashMap<>();
      headers.put("X-Bad", "plain");
      environment.put(OwinKeys.REQUEST_HEADERS, headers);

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> context.requestHeader("x-bad"));

      assertEquals(
          "owin.RequestHeaders entry X-Bad must be a String[], got String \"plain\"",
          e.getMessage());
    }

    @Test
    void requestBodyIsTheStream() {
      InputStream body = new ByteArrayInputStream(new byte[] {1});
      environment.put(OwinKeys.REQUEST_BODY, body);

      assertSame(body, context.requestBody());
    }

    @Test
    void callCancelledIsTheToken() {
      assertSame(CancellationToken.NONE, context.callCancelled());
    }

    @Test
    void userIsRequestUser() {
      Principal user = principal("ann");
      environment.put(OwinKeys.REQUEST_USER, user);
      environment.put(ServerKeys.USER, principal("bob"));

      assertSame(user, context.user());
    }

    @Test
    void userFallsBackToServerUser() {
      Principal user = principal("bob");
      environment.put(ServerKeys.USER, user);

      assertSame(user, context.user());
    }

    @Test
    void userIsNullWhenNoneIsPresent() {
      assertNull(context.user());
    }
  }

  @Nested
  class Body {
    private void body(String contentType, byte[] bytes) {
      TestEnvironment.requestHeaders(environment).put("Content-Type", new String[] {contentType});
      environment.put(OwinKeys.REQUEST_BODY, new ByteArrayInputStream(bytes));
    }

    @Test
    void bodyWithoutContentTypeIsReadAsUtf8() throws IOException {
      environment.put(
          OwinKeys.REQUEST_BODY,
          new ByteArrayInputStream("héllo".getBytes(StandardCharsets.UTF_8)));

      assertEquals("héllo", context.readBodyAsText());
    }

    @Test
    void bodyIsDecodedWithTheContentTypeCharset() throws IOException {
      body("text/plain; charset=ISO-8859-1", "héllo".getBytes(StandardCharsets.ISO_8859_1));

      assertEquals("héllo", context.readBodyAsText());
    }

    @Test
    void quotedCharsetIsUnquoted() throws IOException {
      body("text/plain;Charset=\"UTF-16BE\"", "hi".getBytes(StandardCharsets.UTF_16BE));

      assertEquals("hi", context.readBodyAsText());
    }

    @Test
    void contentTypeWithoutCharsetMeansUtf8() throws IOException {
      body("application/json", "{\"é\":1}".getBytes(StandardCharsets.UTF_8));

      assertEquals("{\"é\":1}", context.readBodyAsText());
    }

    @Test
    void bytesInvalidInTheCharsetFailInsteadOfBeingReplaced() {
      body("text/plain; charset=utf-8", new byte[] {(byte) 0xC3, (byte) 0x28});

      CharacterCodingException e =
          assertThrows(CharacterCodingException.class, context::readBodyAsText);

      assertEquals(MalformedBodyException.class, e.getClass());
      assertEquals("the request body is not valid UTF-8 text", e.getMessage());
    }

    @Test
    void unknownCharsetIsRejectedNamingIt() {
      body("text/plain; charset=no-such-charset", new byte[0]);

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, context::readBodyAsText);

      assertEquals(
          "Content-Type \"text/plain; charset=no-such-charset\" names charset \"no-such-charset\","
              + " which this JVM does not support",
          e.getMessage());
    }
  }

  @Nested
  class Query {
    private Map<String, List<String>> parse(String query) {
      environment.put(OwinKeys.REQUEST_QUERY_STRING, query);
      return context.queryParameters();
    }

    @Test
    void emptyQueryHasNoParameters() {
      assertEquals(Map.of(), parse(""));
    }

    @Test
    void repeatedNamesKeepEveryValueInOrder() {
      assertEquals(Map.of("a", List.of("1", "3"), "b", List.of("2")), parse("a=1&b=2&a=3"));
    }

    @Test
    void namesKeepTheirFirstAppearanceOrder() {
      assertEquals(List.of("z", "a", "m"), new ArrayList<>(parse("z=1&a=2&z=3&m=4").keySet()));
    }

    @Test
    void plusIsASpaceAndEscapesAreUtf8() {
      assertEquals(Map.of("full name", List.of("Zoë Ä+")), parse("full+name=Zo%C3%AB%20%c3%84%2B"));
    }

    @Test
    void plusIsASpaceBesideEscapes() {
      assertEquals(Map.of("q", List.of("a b!")), parse("q=a+b%21"));
    }

    @Test
    void pairWithoutEqualsHasTheEmptyValue() {
      assertEquals(Map.of("flag", List.of("")), parse("flag"));
    }

    @Test
    void onlyTheFirstEqualsSplitsNameFromValue() {
      assertEquals(Map.of("a", List.of("b=c")), parse("a=b=c"));
    }

    @Test
    void emptyNameIsKept() {
      assertEquals(Map.of("", List.of("x")), parse("=x"));
    }

    @Test
    void emptyPairsAreSkipped() {
      assertEquals(Map.of("a", List.of("1"), "b", List.of("")), parse("&&a=1&&b&"));
    }

    @Test
    void unescapedNonAsciiPassesThrough() {
      assertEquals(Map.of("q", List.of("café ok")), parse("q=café%20ok"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%zz", "a=%4", "a=%", "a=b%g1"})
    void malformedEscapeIsRejectedNamingTheQueryString(String query) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(query));

      assertTrue(
          e.getMessage()
              .startsWith(
                  "owin.RequestQueryString \""
                      + query
                      + "\" must use %XX escapes with two hex digits"),
          e.getMessage());
    }

    @Test
    void malformedEscapeMessageShowsTheEscapeAndItsIndex() {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> parse("ok=1&a=%zz"));

      assertEquals(
          "owin.RequestQueryString \"ok=1&a=%zz\" must use %XX escapes with two hex digits,"
              + " got \"%zz\" at index 7",
          e.getMessage());
    }

    @Test
    void escapesThatAreNotUtf8AreRejected() {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> parse("a=%FF"));

      assertEquals(
          "owin.RequestQueryString \"a=%FF\" must percent-encode UTF-8, but \"%FF\" does not"
              + " decode as UTF-8",
          e.getMessage());
    }

    @Test
    void queryReturnsTheFirstValue() {
      environment.put(OwinKeys.REQUEST_QUERY_STRING, "a=1&a=2");

      assertEquals("1", context.query("a"));
    }

    @Test
    void queryIsNullForAnAbsentName() {
      environment.put(OwinKeys.REQUEST_QUERY_STRING, "a=1");

      assertNull(context.query("b"));
    }

    @Test
    void parametersAreUnmodifiable() {
      Map<String, List<String>> parameters = parse("a=1");

      assertThrows(UnsupportedOperationException.class, () -> parameters.put("b", List.of()));
      assertThrows(UnsupportedOperationException.class, () -> parameters.get("a").add("2"));
    }
  }

  @Nested
  class Response {
    @Test
    void statusCodeIs200WhenAbsent() {
      assertEquals(200, context.statusCode());
    }

    @Test
    void setStatusCodeWritesTheKey() {
      context.setStatusCode(418);

      assertEquals(418, environment.get(OwinKeys.RESPONSE_STATUS_CODE));
      assertEquals(418, context.statusCode());
    }

    @ParameterizedTest
    @ValueSource(ints = {99, 1000, -1})
    void statusCodeOutsideTheRangeIsRejected(int status) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> context.setStatusCode(status));

      assertEquals("status code must be in [100, 999], got " + status, e.getMessage());
    }

    @Test
    void statusCodeOfTheWrongTypeNamesTheKey() {
      environment.put(OwinKeys.RESPONSE_STATUS_CODE, "200");

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, context::statusCode);

      assertEquals(
          "owin.ResponseStatusCode must be an Integer, got String \"200\"", e.getMessage());
    }

    @Test
    void reasonPhraseIsReadAndWritten() {
      assertNull(context.reasonPhrase());

      context.setReasonPhrase("Fine");

      assertEquals("Fine", environment.get(OwinKeys.RESPONSE_REASON_PHRASE));
      assertEquals("Fine", context.reasonPhrase());
    }

    @Test
    void responseHeadersIsTheLiveMap() {
      assertSame(environment.get(OwinKeys.RESPONSE_HEADERS), context.responseHeaders());
    }

    @Test
    void setResponseHeaderReplacesEveryValue() {
      TestEnvironment.responseHeaders(environment).put("X-A", new String[] {"1", "2"});

      context.setResponseHeader("X-A", "3");

      assertArrayEquals(
          new String[] {"3"}, TestEnvironment.responseHeaders(environment).get("X-A"));
    }

    @Test
    void setResponseHeaderKeepsTheSpellingOfAnExistingName() {
      TestEnvironment.responseHeaders(environment).put("x-a", new String[] {"1"});

      context.setResponseHeader("X-A", "2");

      assertEquals(Map.of("x-a", List.of("2")), headersAsLists());
    }

    @Test
    void addResponseHeaderAppendsToAnExistingHeaderIgnoringCase() {
      TestEnvironment.responseHeaders(environment).put("Vary", new String[] {"Accept"});

      context.addResponseHeader("vary", "Origin");

      assertEquals(Map.of("Vary", List.of("Accept", "Origin")), headersAsLists());
    }

    @Test
    void addResponseHeaderCreatesAnAbsentHeader() {
      context.addResponseHeader("Vary", "Origin");

      assertEquals(Map.of("Vary", List.of("Origin")), headersAsLists());
    }

    @Test
    void addResponseHeaderDoesNotChangeTheArrayItWasGiven() {
      String[] original = {"Accept"};
      TestEnvironment.responseHeaders(environment).put("Vary", original);

      context.addResponseHeader("Vary", "Origin");

      assertArrayEquals(new String[] {"Accept"}, original);
    }

    @Test
    void setContentTypeSetsTheHeader() {
      context.setContentType("application/json");

      assertEquals(Map.of("Content-Type", List.of("application/json")), headersAsLists());
    }

    @Test
    void responseBodyIsTheStream() {
      OutputStream body = new ByteArrayOutputStream();
      environment.put(OwinKeys.RESPONSE_BODY, body);

      assertSame(body, context.responseBody());
    }

    @Test
    void writeWritesTheBytes() throws IOException {
      context.write(new byte[] {1, 2});

      assertArrayEquals(new byte[] {1, 2}, TestEnvironment.responseBody(environment).toByteArray());
    }

    @Test
    void writeTextWritesUtf8AndSetsPlainTextWhenNoContentType() throws IOException {
      context.writeText("héllo");

      assertEquals(
          "héllo", TestEnvironment.responseBody(environment).toString(StandardCharsets.UTF_8));
      assertEquals(Map.of("Content-Type", List.of("text/plain; charset=utf-8")), headersAsLists());
    }

    @Test
    void writeTextKeepsAnExistingContentType() throws IOException {
      context.setContentType("text/html");

      context.writeText("<p>");

      assertEquals(Map.of("Content-Type", List.of("text/html")), headersAsLists());
    }

    @Test
    void writeTextAcceptsAContentTypeNamingUtf8() throws IOException {
      TestEnvironment.responseHeaders(environment)
          .put("content-type", new String[] {"text/html; charset=UTF8"});

      context.writeText("é");

      assertEquals("é", TestEnvironment.responseBody(environment).toString(StandardCharsets.UTF_8));
    }

    @Test
    void writeTextRefusesAContentTypeNamingAnotherCharset() {
      context.setContentType("text/plain; charset=ISO-8859-1");

      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> context.writeText("é"));

      assertEquals(
          "Content-Type \"text/plain; charset=ISO-8859-1\" names charset ISO-8859-1 but writeText"
              + " writes UTF-8; write the encoded bytes with write(byte[]) instead",
          e.getMessage());
      assertEquals(0, TestEnvironment.responseBody(environment).size());
    }

    @Test
    void writeTextDoesNotSetContentLength() throws IOException {
      context.writeText("hello");

      assertNull(TestEnvironment.responseHeaders(environment).get("Content-Length"));
    }

    @Test
    void writeTextAsyncReturnsACompletedStage() {
      assertSucceeded(context.writeTextAsync("ok"));

      assertEquals(
          "ok", TestEnvironment.responseBody(environment).toString(StandardCharsets.UTF_8));
    }

    @Test
    void writeTextAsyncFailsTheStageWhenTheBodyFails() {
      IOException broken = new IOException("broken pipe");
      environment.put(
          OwinKeys.RESPONSE_BODY,
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              throw broken;
            }
          });

      assertSame(broken, failureOf(context.writeTextAsync("ok")));
    }

    @Test
    void onSendingHeadersCallbacksRunWhenTheHeadersAreSent() throws IOException {
      SendingHeaders sending = SendingHeaders.installIn(environment);
      List<String> order = new ArrayList<>();
      context.onSendingHeaders(() -> order.add("first"));
      context.onSendingHeaders(() -> order.add("second"));

      context.write(new byte[] {1});

      assertTrue(sending.sent());
      assertEquals(List.of("second", "first"), order);
    }

    @Test
    void onSendingHeadersWithoutTheKeyIsUnsupported() {
      UnsupportedOperationException e =
          assertThrows(
              UnsupportedOperationException.class, () -> context.onSendingHeaders(() -> {}));

      assertEquals(
          "the host offers no server.OnSendingHeaders in this environment", e.getMessage());
    }

    private Map<String, List<String>> headersAsLists() {
      Map<String, List<String>> lists = new TreeMap<>();
      TestEnvironment.responseHeaders(environment)
          .forEach((name, values) -> lists.put(name, List.of(values)));
      return lists;
    }
  }
}
