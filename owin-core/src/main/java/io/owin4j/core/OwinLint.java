package io.owin4j.core;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.MidFunc;
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
import io.owin4j.core.host.ExchangeLifecycle;
import io.owin4j.features.HeaderDictionary;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Middleware that checks every request against the OWIN contract, in the manner of Rack's {@code
 * Rack::Lint}: the environment it receives, and what the rest of the pipeline does with the
 * response.
 *
 * <p>Before calling the next application it checks the request environment; after the next
 * application's stage completes it checks the response keys, and whether the status, reason phrase
 * or headers changed after the host sent them. Each rule has an id, a constant of this class, whose
 * Javadoc quotes the sentence of the contract it enforces.
 *
 * <h2>Where to put it</h2>
 *
 * Add it first, so that it sees the host's environment and the whole pipeline's response. Changes
 * after the response started are seen through {@code server.OnSendingHeaders}: the linter registers
 * before anything downstream, so its callback runs last and records what was really sent. A host
 * without {@code server.OnSendingHeaders} gets no {@link #RESPONSE_CHANGED_AFTER_START} checks.
 *
 * <h2>Threading</h2>
 *
 * Request checks run on the thread that invokes the middleware; response checks on the thread that
 * completes the next application's stage. A reporter shared by concurrent requests must be
 * thread-safe. The middleware itself keeps no state between requests.
 */
public final class OwinLint {
  private OwinLint() {}

  /**
   * A required key is absent. Enforces: "Values are non-null unless the key says optional", for
   * {@code owin.Request{Body,Headers,Method,Path,PathBase,Protocol,QueryString,Scheme}}, {@code
   * owin.ResponseBody}, {@code owin.ResponseHeaders}, {@code owin.CallCancelled} and {@code
   * owin.Version}.
   */
  public static final String REQUEST_REQUIRED_KEY = "request.required-key";

  /**
   * A key, required or optional, holds a value that is not of the Java type the contract's key
   * tables give it (such as "{@code owin.RequestBody} | {@code java.io.InputStream}"), or a header
   * map holds a name that is not a String or a value that is not a String[] ("{@code
   * Map<String,String[]>}").
   */
  public static final String REQUEST_KEY_TYPE = "request.key-type";

  /** {@code owin.Version} is not 1.0. Enforces: "{@code owin.Version} | {@code String} | "1.0"". */
  public static final String REQUEST_VERSION = "request.version";

  /** Enforces: "PathBase is empty or starts with {@code /} and does not end with {@code /}". */
  public static final String REQUEST_PATH_BASE_FORMAT = "request.path-base-format";

  /** Enforces: "Path starts with {@code /} (or is empty when PathBase is not)". */
  public static final String REQUEST_PATH_FORMAT = "request.path-format";

  /**
   * Enforces: "{@code owin.RequestQueryString} | {@code String} | no leading {@code ?}, still
   * encoded, may be empty".
   */
  public static final String REQUEST_QUERY_STRING_FORMAT = "request.query-string-format";

  /**
   * Enforces: "The server MUST provide a {@code Host} request header (best guess when the client
   * sent none)"; names compare ignoring case.
   */
  public static final String REQUEST_HOST_HEADER = "request.host-header";

  /**
   * The application removed {@code owin.ResponseBody} or {@code owin.ResponseHeaders}. Enforces:
   * "Values are non-null unless the key says optional".
   */
  public static final String RESPONSE_REQUIRED_KEY = "response.required-key";

  /**
   * After the application, a response key holds a value of the wrong type, as for {@link
   * #REQUEST_KEY_TYPE}: "{@code owin.ResponseStatusCode} | {@code Integer}", "{@code
   * owin.ResponseReasonPhrase} | {@code String}", and so on.
   */
  public static final String RESPONSE_KEY_TYPE = "response.key-type";

  /**
   * Enforces: "{@code owin.ResponseStatusCode}: {@code Integer}, optional, default 200: the
   * response status in [100, 999]".
   */
  public static final String RESPONSE_STATUS_RANGE = "response.status-range";

  /**
   * Enforces: "Status, reason phrase and headers may change until the first write to the response
   * body (or the first sendfile call, or an explicit flush); at that moment the server sends them".
   *
   * <p>Headers that hosts add themselves while sending the head (Date, Connection, Keep-Alive,
   * Transfer-Encoding, Content-Length, Server) may appear afterwards, and so may, on a head sent as
   * 101 Switching Protocols, the handshake headers of the upgrade (Upgrade and the {@code
   * Sec-WebSocket-*} answers: Accept, Protocol, Extensions); a change to a header that was there
   * at the start is always reported.
   */
  public static final String RESPONSE_CHANGED_AFTER_START = "response.changed-after-start";

  /**
   * The application changed a header value array in place and never put it back, which changes
   * nothing: "{@code owin.RequestHeaders} | {@code Map<String,String[]>} | ... a value array is a
   * copy, write back with put/remove". Seen where the header map is a {@link HeaderDictionary},
   * which remembers the copies it handed out (the in-memory test server, {@code TestEnvironment}).
   */
  public static final String HEADER_ARRAY_CHANGED_IN_PLACE = "headers.array-changed-in-place";

  /**
   * The application returned a null stage. Enforces: "The app MUST eventually complete its stage or
   * throw", and {@link AppFunc}'s "The returned stage MUST NOT be null". The request still fails
   * with the {@link NullPointerException} a host would see.
   */
  public static final String APP_STAGE_NULL = "app.stage-null";

  // The key table of OwinEnvironment is the one statement of each key's type and whether OWIN
  // requires it; the linter checks against the same table.
  private static final List<EnvironmentKey> REQUIRED =
      Arrays.stream(EnvironmentKey.all()).filter(key -> key.required).toList();

  private static final List<EnvironmentKey> OPTIONAL =
      Arrays.stream(EnvironmentKey.all()).filter(key -> !key.required).toList();

  private static final List<EnvironmentKey> RESPONSE_REQUIRED =
      List.of(EnvironmentKey.RESPONSE_BODY, EnvironmentKey.RESPONSE_HEADERS);

  private static final List<EnvironmentKey> RESPONSE_OPTIONAL =
      List.of(
          EnvironmentKey.RESPONSE_STATUS_CODE,
          EnvironmentKey.RESPONSE_REASON_PHRASE,
          EnvironmentKey.RESPONSE_PROTOCOL);

  /**
   * Returns a linter that fails a request breaking any rule with an {@link OwinLintException}
   * listing every violation.
   *
   * <p>A request whose environment breaks a rule fails at once, without reaching the next
   * application, which could not rely on it. Otherwise the request fails when the next
   * application's stage completes, if the response broke a rule; the application's own failure, if
   * any, becomes the exception's cause. A request without violations completes exactly as the next
   * application's stage does.
   */
  public static MidFunc middleware() {
    return next -> environment -> lint(next, environment, violation -> {}, true);
  }

  /**
   * Returns a linter that hands each violation to {@code reporter} as it is found and otherwise
   * leaves every request alone: the next application always runs, and the request completes exactly
   * as its stage does.
   */
  public static MidFunc middleware(Consumer<LintViolation> reporter) {
    Objects.requireNonNull(reporter, "reporter");
    return next -> environment -> lint(next, environment, reporter, false);
  }

  private static CompletionStage<Void> lint(
      AppFunc next,
      Map<String, Object> environment,
      Consumer<LintViolation> reporter,
      boolean failOnViolation) {
    List<LintViolation> found = new ArrayList<>();
    Consumer<LintViolation> report =
        violation -> {
          found.add(violation);
          reporter.accept(violation);
        };
    checkRequest(environment, report);
    if (failOnViolation && !found.isEmpty()) {
      return CompletableFuture.failedFuture(new OwinLintException(found, null));
    }
    // A breach the host made, still there after the application, is not the application's.
    Set<String> reportedForRequest = new HashSet<>();
    found.forEach(violation -> reportedForRequest.add(violation.message()));

    AtomicReference<@Nullable Sent> sent = new AtomicReference<>();
    if (environment.get(ServerKeys.ON_SENDING_HEADERS) instanceof OnSendingHeaders onSending) {
      onSending.register(state -> sent.set(Sent.of(environment)), environment);
    }

    CompletionStage<Void> stage;
    try {
      stage = next.invoke(environment);
    } catch (Throwable t) {
      stage = CompletableFuture.failedFuture(t);
    }
    if (stage == null) {
      String message =
          "application " + next + " returned a null stage; return a completed stage instead";
      report.accept(new LintViolation(APP_STAGE_NULL, message));
      stage = CompletableFuture.failedFuture(new NullPointerException(message));
    }

    CompletableFuture<Void> result = new CompletableFuture<>();
    stage.whenComplete(
        (ignored, failure) -> {
          try {
            checkResponse(
                environment,
                sent.get(),
                violation -> {
                  if (!reportedForRequest.contains(violation.message())) {
                    report.accept(violation);
                  }
                });
          } catch (Throwable t) {
            result.completeExceptionally(t);
            return;
          }
          if (failOnViolation && !found.isEmpty()) {
            result.completeExceptionally(new OwinLintException(found, failure == null ? null : ExchangeLifecycle.unwrap(failure)));
          } else if (failure != null) {
            result.completeExceptionally(failure);
          } else {
            result.complete(null);
          }
        });
    return result;
  }

  private static void checkRequest(
      Map<String, Object> environment, Consumer<LintViolation> report) {
    checkTypes(environment, REQUIRED, REQUEST_REQUIRED_KEY, REQUEST_KEY_TYPE, report);
    checkTypes(environment, OPTIONAL, null, REQUEST_KEY_TYPE, report);
    checkHeaderMap(environment, OwinKeys.REQUEST_HEADERS, REQUEST_KEY_TYPE, report);
    checkHeaderMap(environment, OwinKeys.RESPONSE_HEADERS, REQUEST_KEY_TYPE, report);

    if (environment.get(OwinKeys.VERSION) instanceof String version
        && !version.equals(OwinKeys.VERSION_VALUE)) {
      report.accept(
          new LintViolation(
              REQUEST_VERSION,
              OwinKeys.VERSION
                  + " must be \""
                  + OwinKeys.VERSION_VALUE
                  + "\", got \""
                  + version
                  + "\""));
    }
    if (environment.get(OwinKeys.REQUEST_PATH_BASE) instanceof String pathBase) {
      if (!pathBase.isEmpty() && (!pathBase.startsWith("/") || pathBase.endsWith("/"))) {
        report.accept(
            new LintViolation(
                REQUEST_PATH_BASE_FORMAT,
                OwinKeys.REQUEST_PATH_BASE
                    + " must be empty or start with \"/\" and not end with \"/\", got \""
                    + pathBase
                    + "\""));
      }
      if (environment.get(OwinKeys.REQUEST_PATH) instanceof String path
          && !path.startsWith("/")
          && !(path.isEmpty() && !pathBase.isEmpty())) {
        report.accept(
            new LintViolation(
                REQUEST_PATH_FORMAT,
                OwinKeys.REQUEST_PATH
                    + " must start with \"/\", or be empty when "
                    + OwinKeys.REQUEST_PATH_BASE
                    + " is not, got \""
                    + path
                    + "\" under path base \""
                    + pathBase
                    + "\""));
      }
    }
    if (environment.get(OwinKeys.REQUEST_QUERY_STRING) instanceof String query
        && query.startsWith("?")) {
      report.accept(
          new LintViolation(
              REQUEST_QUERY_STRING_FORMAT,
              OwinKeys.REQUEST_QUERY_STRING + " must not start with \"?\", got \"" + query + "\""));
    }
    if (environment.get(OwinKeys.REQUEST_HEADERS) instanceof Map<?, ?> headers) {
      String host = EnvironmentValues.headerName(headers, "Host");
      if (host == null || !(headers.get(host) instanceof String[] values) || values.length == 0) {
        report.accept(
            new LintViolation(
                REQUEST_HOST_HEADER,
                OwinKeys.REQUEST_HEADERS
                    + " must hold a Host header with a value, got names "
                    + headers.keySet()));
      }
    }
  }

  private static void checkResponse(
      Map<String, Object> environment, @Nullable Sent sent, Consumer<LintViolation> report) {
    checkTypes(environment, RESPONSE_REQUIRED, RESPONSE_REQUIRED_KEY, RESPONSE_KEY_TYPE, report);
    checkTypes(environment, RESPONSE_OPTIONAL, null, RESPONSE_KEY_TYPE, report);
    checkHeaderMap(environment, OwinKeys.RESPONSE_HEADERS, RESPONSE_KEY_TYPE, report);
    if (environment.get(OwinKeys.RESPONSE_STATUS_CODE) instanceof Integer status
        && (status < 100 || status > 999)) {
      report.accept(
          new LintViolation(
              RESPONSE_STATUS_RANGE,
              OwinKeys.RESPONSE_STATUS_CODE + " must be in [100, 999], got " + status));
    }
    if (sent != null) {
      sent.compare(Sent.of(environment), report);
    }
    checkChangedCopies(environment, OwinKeys.REQUEST_HEADERS, report);
    checkChangedCopies(environment, OwinKeys.RESPONSE_HEADERS, report);
  }

  private static void checkChangedCopies(
      Map<String, Object> environment, String key, Consumer<LintViolation> report) {
    if (!(environment.get(key) instanceof HeaderDictionary headers)) {
      return;
    }
    headers
        .changedCopies()
        .forEach(
            (name, values) ->
                report.accept(
                    new LintViolation(
                        HEADER_ARRAY_CHANGED_IN_PLACE,
                        key
                            + " value array of "
                            + name
                            + " was changed in place to "
                            + Arrays.toString(values)
                            + ", which changes nothing: the array get returns is a copy; put it"
                            + " back with put(\""
                            + name
                            + "\", values)")));
  }

  private static void checkTypes(
      Map<String, Object> environment,
      List<EnvironmentKey> keys,
      @Nullable String missingRule,
      String typeRule,
      Consumer<LintViolation> report) {
    for (EnvironmentKey key : keys) {
      Object value = environment.get(key.key);
      if (value == null) {
        if (missingRule != null) {
          report.accept(new LintViolation(missingRule, EnvironmentValues.missing(key.key)));
        }
      } else if (!key.type().isInstance(value)) {
        report.accept(
            new LintViolation(typeRule, EnvironmentValues.wrongType(key.key, key.type(), value)));
      }
    }
  }

  private static void checkHeaderMap(
      Map<String, Object> environment, String key, String rule, Consumer<LintViolation> report) {
    if (!(environment.get(key) instanceof Map<?, ?> headers)) {
      return;
    }
    for (Map.Entry<?, ?> header : headers.entrySet()) {
      if (!(header.getKey() instanceof String name)) {
        report.accept(
            new LintViolation(
                rule, EnvironmentValues.wrongType(key + " name", String.class, header.getKey())));
      } else if (!(header.getValue() instanceof String[])) {
        report.accept(
            new LintViolation(
                rule,
                EnvironmentValues.wrongType(
                    key + " entry " + name, String[].class, header.getValue())));
      }
    }
  }


  private static final Set<String> ADDED_BY_SENDING =
      Set.of("date", "connection", "keep-alive", "transfer-encoding", "content-length", "server");

  /** What a host adds to a 101 while it performs an upgrade the application asked for. */
  private static final Set<String> ADDED_BY_UPGRADING =
      Set.of(
          "upgrade", "sec-websocket-accept", "sec-websocket-protocol", "sec-websocket-extensions");

  private static final int SWITCHING_PROTOCOLS = 101;

  /** The status, reason phrase and headers as they stood at one moment. */
  private record Sent(Object status, @Nullable Object reasonPhrase, Map<Object, Object> headers) {
    static Sent of(Map<String, Object> environment) {
      Object status = environment.get(OwinKeys.RESPONSE_STATUS_CODE);
      Map<Object, Object> headers = new LinkedHashMap<>();
      if (environment.get(OwinKeys.RESPONSE_HEADERS) instanceof Map<?, ?> map) {
        // Value arrays are copies or may be changed in place, so compare their contents.
        map.forEach(
            (name, values) ->
                headers.put(
                    name,
                    values instanceof String[] array ? Arrays.asList(array.clone()) : values));
      }
      return new Sent(
          status != null ? status : 200, environment.get(OwinKeys.RESPONSE_REASON_PHRASE), headers);
    }

    void compare(Sent now, Consumer<LintViolation> report) {
      if (!status.equals(now.status)) {
        report.accept(changed(OwinKeys.RESPONSE_STATUS_CODE, status, now.status));
      }
      if (!Objects.equals(reasonPhrase, now.reasonPhrase)) {
        report.accept(changed(OwinKeys.RESPONSE_REASON_PHRASE, reasonPhrase, now.reasonPhrase));
      }
      Set<Object> names = new LinkedHashSet<>(headers.keySet());
      names.addAll(now.headers.keySet());
      for (Object name : names) {
        Object before = headers.get(name);
        Object after = now.headers.get(name);
        if (before == null && isAddedBySending(name, status)) {
          continue;
        }
        if (!Objects.equals(before, after)) {
          report.accept(changed("response header " + name, before, after));
        }
      }
    }

    /**
     * Whether {@code name} is a header that hosts add themselves while sending a head of {@code
     * status} (framing and connection management, the date; on a 101 the upgrade's handshake
     * answer): its appearance after the start is not the app's change.
     */
    private static boolean isAddedBySending(Object name, Object status) {
      if (!(name instanceof String text)) {
        return false;
      }
      String lower = text.toLowerCase(Locale.ROOT);
      return ADDED_BY_SENDING.contains(lower)
          || (status.equals(SWITCHING_PROTOCOLS) && ADDED_BY_UPGRADING.contains(lower));
    }

    private static LintViolation changed(
        String subject, @Nullable Object before, @Nullable Object after) {
      return new LintViolation(
          RESPONSE_CHANGED_AFTER_START,
          subject
              + " changed after the response started, from "
              + shown(before)
              + " to "
              + shown(after));
    }

    private static String shown(@Nullable Object value) {
      if (value == null) {
        return "absent";
      }
      return value instanceof String ? "\"" + value + "\"" : value.toString();
    }
  }
}
