package io.owin4j.core;

import static io.owin4j.core.Stages.assertSucceeded;
import static io.owin4j.core.Stages.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.api.SslKeys;
import java.io.IOException;
import java.security.Principal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OwinLintTest {
  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);
  private static final AppFunc OK = environment -> DONE;

  private final List<LintViolation> found = new ArrayList<>();
  private final Map<String, Object> environment = TestEnvironment.valid();

  /** Runs {@code app} behind a reporting linter and returns the request's stage. */
  private CompletionStage<Void> lint(AppFunc app) {
    return AppFunc.invokeSafely(OwinLint.middleware(found::add).apply(app), environment);
  }

  /** Runs {@link #OK} behind a reporting linter and returns the rules broken. */
  private List<String> lintRequest() {
    assertSucceeded(lint(OK));
    return rules();
  }

  private List<String> rules() {
    return found.stream().map(LintViolation::rule).toList();
  }

  private static AppFunc respond(Consumer<Map<String, Object>> action) {
    return environment -> {
      action.accept(environment);
      return DONE;
    };
  }

  @Nested
  class ValidRequests {
    @Test
    void validEnvironmentAndResponseBreakNoRule() {
      assertSucceeded(lint(environment -> OwinContext.of(environment).writeTextAsync("hi")));

      assertEquals(List.of(), found);
    }

    @Test
    void optionalKeysOfTheRightTypeBreakNoRule() {
      environment.put(OwinKeys.RESPONSE_STATUS_CODE, 200);
      environment.put(OwinKeys.RESPONSE_REASON_PHRASE, "OK");
      environment.put(OwinKeys.RESPONSE_PROTOCOL, "HTTP/1.1");
      environment.put(OwinKeys.REQUEST_ID, "r1");
      environment.put(OwinKeys.REQUEST_USER, (Principal) () -> "ann");
      environment.put(ServerKeys.REMOTE_IP_ADDRESS, "127.0.0.1");
      environment.put(ServerKeys.REMOTE_PORT, "50000");
      environment.put(ServerKeys.LOCAL_IP_ADDRESS, "127.0.0.1");
      environment.put(ServerKeys.LOCAL_PORT, "8080");
      environment.put(ServerKeys.IS_LOCAL, true);
      environment.put(ServerKeys.CONNECTION_ID, "c1");
      environment.put(ServerKeys.CAPABILITIES, Map.of());
      environment.put(SslKeys.LOAD_CLIENT_CERT_ASYNC, (Supplier<CompletionStage<Void>>) () -> DONE);
      SendingHeaders.installIn(environment);

      assertEquals(List.of(), lintRequest());
    }

    @Test
    void emptyPathUnderAPathBaseBreaksNoRule() {
      environment.put(OwinKeys.REQUEST_PATH_BASE, "/app");
      environment.put(OwinKeys.REQUEST_PATH, "");

      assertEquals(List.of(), lintRequest());
    }

    @Test
    void hostHeaderIsFoundIgnoringCase() {
      Map<String, String[]> headers = new HashMap<>();
      headers.put("host", new String[] {"example.test"});
      environment.put(OwinKeys.REQUEST_HEADERS, headers);

      assertEquals(List.of(), lintRequest());
    }

    @Test
    void changesBeforeTheResponseStartsBreakNoRule() {
      SendingHeaders.installIn(environment);

      assertSucceeded(
          lint(
              environment -> {
                OwinContext context = OwinContext.of(environment);
                context.setStatusCode(201).setResponseHeader("X-A", "1");
                return context.writeTextAsync("made");
              }));

      assertEquals(List.of(), found);
    }

    @Test
    void changesMadeByAnOnSendingHeadersCallbackBreakNoRule() {
      SendingHeaders.installIn(environment);

      assertSucceeded(
          lint(
              environment -> {
                OwinContext context = OwinContext.of(environment);
                context.onSendingHeaders(
                    () -> context.setStatusCode(202).setResponseHeader("X-B", "2"));
                return context.writeTextAsync("made");
              }));

      assertEquals(List.of(), found);
    }

    @Test
    void changesWhenTheResponseNeverStartedBreakNoRule() {
      SendingHeaders sending = SendingHeaders.installIn(environment);

      assertSucceeded(
          lint(respond(environment -> environment.put(OwinKeys.RESPONSE_STATUS_CODE, 204))));

      assertFalse(sending.sent());
      assertEquals(List.of(), found);
    }
  }

  @Nested
  class RequestRules {
    @ParameterizedTest
    @ValueSource(
        strings = {
          OwinKeys.REQUEST_BODY,
          OwinKeys.REQUEST_HEADERS,
          OwinKeys.REQUEST_METHOD,
          OwinKeys.REQUEST_PATH,
          OwinKeys.REQUEST_PATH_BASE,
          OwinKeys.REQUEST_PROTOCOL,
          OwinKeys.REQUEST_QUERY_STRING,
          OwinKeys.REQUEST_SCHEME,
          OwinKeys.RESPONSE_BODY,
          OwinKeys.RESPONSE_HEADERS,
          OwinKeys.CALL_CANCELLED,
          OwinKeys.VERSION
        })
    void missingRequiredKeyBreaksRequiredKey(String key) {
      environment.remove(key);

      assertSucceeded(lint(OK));

      assertEquals(
          List.of(
              new LintViolation(
                  OwinLint.REQUEST_REQUIRED_KEY, key + " is missing from the environment")),
          found);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          OwinKeys.REQUEST_BODY,
          OwinKeys.REQUEST_HEADERS,
          OwinKeys.RESPONSE_BODY,
          OwinKeys.CALL_CANCELLED,
          OwinKeys.RESPONSE_STATUS_CODE,
          OwinKeys.REQUEST_USER,
          ServerKeys.IS_LOCAL,
          ServerKeys.ON_SENDING_HEADERS,
          ServerKeys.CAPABILITIES,
          SslKeys.CLIENT_CERTIFICATE
        })
    void valueOfTheWrongTypeBreaksKeyType(String key) {
      environment.put(key, "text");

      assertEquals(List.of(OwinLint.REQUEST_KEY_TYPE), lintRequest());
      assertTrue(found.get(0).message().startsWith(key + " must be "), found.get(0).message());
    }

    @Test
    void keyTypeMessageNamesTheTypeAndShowsTheValue() {
      environment.put(OwinKeys.REQUEST_METHOD, 7);

      lintRequest();

      assertEquals(
          List.of(
              new LintViolation(
                  OwinLint.REQUEST_KEY_TYPE, "owin.RequestMethod must be a String, got Integer 7")),
          found);
    }

    @Test
    void headerValueThatIsNotAStringArrayBreaksKeyType() {
      Map<String, Object> headers = new HashMap<>();
      headers.put("Host", new String[] {"example.test"});
      headers.put("Accept", "text/plain");
      environment.put(OwinKeys.REQUEST_HEADERS, headers);

      lintRequest();

      assertEquals(
          List.of(
              new LintViolation(
                  OwinLint.REQUEST_KEY_TYPE,
                  "owin.RequestHeaders entry Accept must be a String[], got String"
                      + " \"text/plain\"")),
          found);
    }

    @Test
    void otherOwinVersionBreaksVersion() {
      environment.put(OwinKeys.VERSION, "2.0");

      assertEquals(List.of(OwinLint.REQUEST_VERSION), lintRequest());
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "/app/", "/"})
    void pathBaseNotEmptyOrSlashLedWithoutTrailingSlashBreaksPathBaseFormat(String pathBase) {
      environment.put(OwinKeys.REQUEST_PATH_BASE, pathBase);

      assertEquals(List.of(OwinLint.REQUEST_PATH_BASE_FORMAT), lintRequest());
    }

    @Test
    void pathWithoutLeadingSlashBreaksPathFormat() {
      environment.put(OwinKeys.REQUEST_PATH, "items");

      assertEquals(List.of(OwinLint.REQUEST_PATH_FORMAT), lintRequest());
    }

    @Test
    void emptyPathAtTheRootBreaksPathFormat() {
      environment.put(OwinKeys.REQUEST_PATH, "");

      assertEquals(List.of(OwinLint.REQUEST_PATH_FORMAT), lintRequest());
    }

    @Test
    void queryStringWithLeadingQuestionMarkBreaksQueryStringFormat() {
      environment.put(OwinKeys.REQUEST_QUERY_STRING, "?a=1");

      assertEquals(List.of(OwinLint.REQUEST_QUERY_STRING_FORMAT), lintRequest());
    }

    @Test
    void missingHostHeaderBreaksHostHeader() {
      TestEnvironment.requestHeaders(environment).remove("Host");

      assertEquals(List.of(OwinLint.REQUEST_HOST_HEADER), lintRequest());
    }

    @Test
    void hostHeaderWithoutAValueBreaksHostHeader() {
      TestEnvironment.requestHeaders(environment).put("Host", new String[0]);

      assertEquals(List.of(OwinLint.REQUEST_HOST_HEADER), lintRequest());
    }

    @Test
    void everyBrokenRuleIsReported() {
      environment.remove(OwinKeys.REQUEST_METHOD);
      environment.put(OwinKeys.REQUEST_QUERY_STRING, "?");
      TestEnvironment.requestHeaders(environment).clear();

      assertEquals(
          List.of(
              OwinLint.REQUEST_REQUIRED_KEY,
              OwinLint.REQUEST_QUERY_STRING_FORMAT,
              OwinLint.REQUEST_HOST_HEADER),
          lintRequest());
    }

    @Test
    void reportingLinterStillRunsTheAppOnABrokenRequest() {
      environment.remove(OwinKeys.REQUEST_METHOD);
      AtomicBoolean ran = new AtomicBoolean();

      assertSucceeded(
          lint(
              environment -> {
                ran.set(true);
                return DONE;
              }));

      assertTrue(ran.get());
      assertEquals(List.of(OwinLint.REQUEST_REQUIRED_KEY), rules());
    }
  }

  @Nested
  class ResponseRules {
    @ParameterizedTest
    @ValueSource(ints = {99, 1000, 0})
    void statusOutsideTheRangeBreaksStatusRange(int status) {
      assertSucceeded(
          lint(respond(environment -> environment.put(OwinKeys.RESPONSE_STATUS_CODE, status))));

      assertEquals(
          List.of(
              new LintViolation(
                  OwinLint.RESPONSE_STATUS_RANGE,
                  "owin.ResponseStatusCode must be in [100, 999], got " + status)),
          found);
    }

    @Test
    void statusThatIsNotAnIntegerBreaksResponseKeyType() {
      assertSucceeded(
          lint(respond(environment -> environment.put(OwinKeys.RESPONSE_STATUS_CODE, "200"))));

      assertEquals(
          List.of(
              new LintViolation(
                  OwinLint.RESPONSE_KEY_TYPE,
                  "owin.ResponseStatusCode must be an Integer, got String \"200\"")),
          found);
    }

    @Test
    void reasonPhraseThatIsNotAStringBreaksResponseKeyType() {
      assertSucceeded(
          lint(respond(environment -> environment.put(OwinKeys.RESPONSE_REASON_PHRASE, 5))));

      assertEquals(List.of(OwinLint.RESPONSE_KEY_TYPE), rules());
    }

    @Test
    void responseHeaderValueThatIsNotAStringArrayBreaksResponseKeyType() {
      assertSucceeded(
          lint(
              respond(
                  environment -> {
                    Map<String, Object> headers = new HashMap<>();
                    headers.put("X-A", List.of("1"));
                    environment.put(OwinKeys.RESPONSE_HEADERS, headers);
                  })));

      assertEquals(List.of(OwinLint.RESPONSE_KEY_TYPE), rules());
    }

    @Test
    void hostBreachStillThereAfterTheAppIsReportedOnce() {
      environment.put(OwinKeys.RESPONSE_STATUS_CODE, "200");

      assertEquals(List.of(OwinLint.REQUEST_KEY_TYPE), lintRequest());
    }

    @Test
    void appBreachOfAKeyTheHostBrokeIsReportedToo() {
      environment.put(OwinKeys.RESPONSE_STATUS_CODE, "200");

      assertSucceeded(
          lint(respond(environment -> environment.put(OwinKeys.RESPONSE_STATUS_CODE, 1000))));

      assertEquals(List.of(OwinLint.REQUEST_KEY_TYPE, OwinLint.RESPONSE_STATUS_RANGE), rules());
    }

    @Test
    void removedResponseHeadersBreakResponseRequiredKey() {
      assertSucceeded(lint(respond(environment -> environment.remove(OwinKeys.RESPONSE_HEADERS))));

      assertEquals(
          List.of(
              new LintViolation(
                  OwinLint.RESPONSE_REQUIRED_KEY,
                  "owin.ResponseHeaders is missing from the environment")),
          found);
    }

    @Test
    void statusChangedAfterTheFirstWriteBreaksChangedAfterStart() {
      SendingHeaders.installIn(environment);

      assertSucceeded(
          lint(
              environment -> {
                OwinContext context = OwinContext.of(environment);
                context.write(new byte[] {1});
                context.setStatusCode(500);
                return DONE;
              }));

      assertEquals(
          List.of(
              new LintViolation(
                  OwinLint.RESPONSE_CHANGED_AFTER_START,
                  "owin.ResponseStatusCode changed after the response started, from 200 to 500")),
          found);
    }

    @Test
    void reasonPhraseChangedAfterStartBreaksChangedAfterStart() {
      SendingHeaders.installIn(environment);

      assertSucceeded(
          lint(
              environment -> {
                OwinContext context = OwinContext.of(environment);
                context.write(new byte[] {1});
                context.setReasonPhrase("Late");
                return DONE;
              }));

      assertEquals(
          List.of(
              new LintViolation(
                  OwinLint.RESPONSE_CHANGED_AFTER_START,
                  "owin.ResponseReasonPhrase changed after the response started, from absent to"
                      + " \"Late\"")),
          found);
    }

    @Test
    void headersAddedChangedOrRemovedAfterStartEachBreakChangedAfterStart() {
      SendingHeaders.installIn(environment);
      TestEnvironment.responseHeaders(environment).put("X-Changed", new String[] {"1"});
      TestEnvironment.responseHeaders(environment).put("X-Removed", new String[] {"1"});

      assertSucceeded(
          lint(
              environment -> {
                OwinContext context = OwinContext.of(environment);
                context.write(new byte[] {1});
                context.addResponseHeader("X-Changed", "2");
                context.responseHeaders().remove("X-Removed");
                context.setResponseHeader("X-Added", "3");
                return DONE;
              }));

      assertEquals(
          List.of(
              "response header X-Added changed after the response started, from absent to [3]",
              "response header X-Changed changed after the response started, from [1] to [1, 2]",
              "response header X-Removed changed after the response started, from [1] to absent"),
          found.stream().map(LintViolation::message).sorted().toList());
      assertEquals(
          3, rules().stream().filter(OwinLint.RESPONSE_CHANGED_AFTER_START::equals).count());
    }

    @Test
    void framingHeadersTheHostAddsWhileSendingStayQuiet() {
      SendingHeaders.installIn(environment);

      assertSucceeded(
          lint(
              environment -> {
                OwinContext.of(environment).write(new byte[] {1});
                // What a host's connection layer adds to its header map as the head goes out.
                TestEnvironment.responseHeaders(environment)
                    .put("Transfer-Encoding", new String[] {"chunked"});
                TestEnvironment.responseHeaders(environment)
                    .put("Date", new String[] {"Sat, 21 Nov 2026 10:00:00 GMT"});
                return DONE;
              }));

      assertEquals(List.of(), rules());
    }

    @Test
    void handshakeHeadersTheHostAddsToA101StayQuiet() {
      SendingHeaders sending = SendingHeaders.installIn(environment);

      assertSucceeded(
          lint(
              environment -> {
                // The application accepts; the host sends the 101 and adds its handshake answer.
                environment.put(OwinKeys.RESPONSE_STATUS_CODE, 101);
                sending.send();
                TestEnvironment.responseHeaders(environment)
                    .put("Upgrade", new String[] {"websocket"});
                TestEnvironment.responseHeaders(environment)
                    .put("Sec-WebSocket-Accept", new String[] {"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="});
                TestEnvironment.responseHeaders(environment)
                    .put("Sec-WebSocket-Protocol", new String[] {"chat"});
                return DONE;
              }));

      assertEquals(List.of(), rules());
    }

    @Test
    void handshakeHeadersAddedAfterTheStartOfAnOrdinaryResponseAreReported() {
      SendingHeaders.installIn(environment);

      assertSucceeded(
          lint(
              environment -> {
                OwinContext.of(environment).write(new byte[] {1});
                TestEnvironment.responseHeaders(environment)
                    .put("Upgrade", new String[] {"websocket"});
                return DONE;
              }));

      assertEquals(List.of(OwinLint.RESPONSE_CHANGED_AFTER_START), rules());
    }

    @Test
    void aFramingHeaderThatWasSetBeforeTheStartStillMayNotChange() {
      SendingHeaders.installIn(environment);
      TestEnvironment.responseHeaders(environment).put("Content-Length", new String[] {"1"});

      assertSucceeded(
          lint(
              environment -> {
                OwinContext.of(environment).write(new byte[] {1});
                TestEnvironment.responseHeaders(environment)
                    .put("Content-Length", new String[] {"2"});
                return DONE;
              }));

      assertEquals(List.of(OwinLint.RESPONSE_CHANGED_AFTER_START), rules());
    }

    @Test
    void headerValueArrayChangedInPlaceAfterStartBreaksChangedAfterStart() {
      SendingHeaders.installIn(environment);
      String[] values = {"1"};
      TestEnvironment.responseHeaders(environment).put("X-A", values);

      assertSucceeded(
          lint(
              environment -> {
                OwinContext.of(environment).write(new byte[] {1});
                values[0] = "2";
                return DONE;
              }));

      assertEquals(List.of(OwinLint.RESPONSE_CHANGED_AFTER_START), rules());
    }

    @Test
    void nullStageBreaksStageNullAndStillFailsWithTheNullPointerException() {
      AppFunc returnsNull = environment -> null;

      Throwable failure = failureOf(lint(returnsNull));

      assertEquals(List.of(OwinLint.APP_STAGE_NULL), rules());
      assertInstanceOf(NullPointerException.class, failure);
      assertEquals(found.get(0).message(), failure.getMessage());
    }

    @Test
    void synchronousThrowBreaksNoRuleAndPropagatesTheSameFailure() {
      IOException boom = new IOException("boom");

      Throwable failure =
          failureOf(
              lint(
                  environment -> {
                    throw boom;
                  }));

      assertSame(boom, failure);
      assertEquals(List.of(), found);
    }

    @Test
    void failedStagePropagatesTheSameFailure() {
      IllegalStateException boom = new IllegalStateException("boom");

      assertSame(boom, failureOf(lint(environment -> CompletableFuture.failedFuture(boom))));
    }

    @Test
    void responseChecksRunWhenTheAppFails() {
      IllegalStateException boom = new IllegalStateException("boom");

      Throwable failure =
          failureOf(
              lint(
                  environment -> {
                    environment.put(OwinKeys.RESPONSE_STATUS_CODE, 42);
                    throw boom;
                  }));

      assertSame(boom, failure);
      assertEquals(List.of(OwinLint.RESPONSE_STATUS_RANGE), rules());
    }

    @Test
    void responseChecksWaitForTheStage() {
      CompletableFuture<Void> done = new CompletableFuture<>();
      CompletionStage<Void> stage = lint(environment -> done);
      environment.put(OwinKeys.RESPONSE_STATUS_CODE, 42);

      assertEquals(List.of(), found);
      done.complete(null);

      assertSucceeded(stage);
      assertEquals(List.of(OwinLint.RESPONSE_STATUS_RANGE), rules());
    }
  }

  @Nested
  class FailingLinter {
    private CompletionStage<Void> lintFailing(AppFunc app) {
      return AppFunc.invokeSafely(OwinLint.middleware().apply(app), environment);
    }

    @Test
    void validRequestCompletesAsTheAppDid() {
      assertSucceeded(lintFailing(environment -> OwinContext.of(environment).writeTextAsync("hi")));
    }

    @Test
    void appFailureWithoutViolationsPropagatesUnchanged() {
      IllegalStateException boom = new IllegalStateException("boom");

      assertSame(boom, failureOf(lintFailing(environment -> CompletableFuture.failedFuture(boom))));
    }

    @Test
    void brokenRequestFailsAtOnceWithoutRunningTheApp() {
      environment.remove(OwinKeys.REQUEST_METHOD);
      environment.put(OwinKeys.REQUEST_QUERY_STRING, "?a");
      AtomicBoolean ran = new AtomicBoolean();

      Throwable failure =
          failureOf(
              lintFailing(
                  environment -> {
                    ran.set(true);
                    return DONE;
                  }));

      assertFalse(ran.get());
      OwinLintException lint = assertInstanceOf(OwinLintException.class, failure);
      assertEquals(
          List.of(OwinLint.REQUEST_REQUIRED_KEY, OwinLint.REQUEST_QUERY_STRING_FORMAT),
          lint.violations().stream().map(LintViolation::rule).toList());
      assertNull(lint.getCause());
    }

    @Test
    void exceptionMessageListsEveryViolationWithItsRule() {
      environment.remove(OwinKeys.REQUEST_METHOD);
      environment.put(OwinKeys.REQUEST_QUERY_STRING, "?a");

      Throwable failure = failureOf(lintFailing(OK));

      assertEquals(
          "2 OWIN violations:\n"
              + "  request.required-key: owin.RequestMethod is missing from the environment\n"
              + "  request.query-string-format: owin.RequestQueryString must not start with \"?\","
              + " got \"?a\"",
          failure.getMessage());
    }

    @Test
    void brokenResponseFailsTheRequestAfterTheApp() {
      Throwable failure =
          failureOf(
              lintFailing(
                  respond(environment -> environment.put(OwinKeys.RESPONSE_STATUS_CODE, 1000))));

      OwinLintException lint = assertInstanceOf(OwinLintException.class, failure);
      assertEquals(
          List.of(OwinLint.RESPONSE_STATUS_RANGE),
          lint.violations().stream().map(LintViolation::rule).toList());
    }

    @Test
    void appFailureBecomesTheCauseWhenTheResponseBrokeARule() {
      IllegalStateException boom = new IllegalStateException("boom");

      Throwable failure =
          failureOf(
              lintFailing(
                  environment -> {
                    environment.put(OwinKeys.RESPONSE_STATUS_CODE, 1000);
                    return CompletableFuture.failedFuture(boom);
                  }));

      assertSame(boom, assertInstanceOf(OwinLintException.class, failure).getCause());
    }

    @Test
    void nullStageFailsWithTheNullPointerExceptionAsCause() {
      Throwable failure = failureOf(lintFailing(environment -> null));

      OwinLintException lint = assertInstanceOf(OwinLintException.class, failure);
      assertEquals(
          List.of(OwinLint.APP_STAGE_NULL),
          lint.violations().stream().map(LintViolation::rule).toList());
      assertInstanceOf(NullPointerException.class, lint.getCause());
    }
  }

  @Test
  void reporterThatThrowsFailsTheRequest() {
    IllegalStateException boom = new IllegalStateException("reporter down");
    environment.remove(OwinKeys.REQUEST_METHOD);
    AppFunc app =
        OwinLint.middleware(
                violation -> {
                  throw boom;
                })
            .apply(OK);

    assertSame(boom, failureOf(AppFunc.invokeSafely(app, environment)));
  }
}
