package io.owin4j.middleware.diagnostics;

import io.owin4j.api.AppFunc;
import io.owin4j.api.MidFunc;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ServerKeys;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.core.OwinContext;
import io.owin4j.core.OwinFeatureCollection;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Logs one line per request in the Common or Combined Log Format of the Apache HTTP Server.
 *
 * <pre>
 * 127.0.0.1 - - [01/Dec/2026:10:49:12 +0000] "GET /files/a.txt HTTP/1.1" 200 1234
 * 127.0.0.1 - - [01/Dec/2026:10:49:12 +0000] "GET / HTTP/1.1" 200 512 "-" "curl/8.5.0"
 * </pre>
 *
 * <p>The fields: {@code server.RemoteIpAddress}, {@code -} (identd), the user ({@code
 * owin.RequestUser} or {@code server.User}, else {@code -}), the time the request arrived, the
 * request line as the path base, path and query string make it, the status, and the body bytes
 * written ({@code -} for none); Combined adds {@code Referer} and {@code User-Agent}. Quotes,
 * backslashes and control characters from the request are escaped, so a client cannot forge a
 * line.
 *
 * <h2>When</h2>
 *
 * The status and byte count are known only at the end, so the line is written when the host says
 * the response is complete (the response feature's on-completed callback), or, on a host without
 * one, when the application's stage completes. Bytes are counted at this middleware's place in the
 * pipeline: put it outermost (first) to log what went on the wire after compression. Bytes sent
 * with sendfile are counted by the range asked for.
 *
 * <p>Lines go to the {@link System.Logger} named {@value #LOGGER_NAME} at {@code INFO} unless
 * another sink is given. Immutable; any number of requests at once.
 */
public final class AccessLog implements MidFunc {
  /** The name of the logger the lines go to by default. */
  public static final String LOGGER_NAME = "io.owin4j.access";

  private static final DateTimeFormatter CLF_DATE =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

  /** The two formats. */
  public enum Format {
    /** {@code host ident user [time] "request" status bytes}. */
    COMMON,
    /** Common, then {@code "referer" "user-agent"}. */
    COMBINED
  }

  private final Format format;
  private final Consumer<String> sink;

  private AccessLog(Format format, Consumer<String> sink) {
    this.format = format;
    this.sink = sink;
  }

  /** Returns an access log in {@code format} to the logger {@value #LOGGER_NAME}. */
  public static AccessLog create(Format format) {
    System.Logger logger = System.getLogger(LOGGER_NAME);
    return to(format, line -> logger.log(Level.INFO, line));
  }

  /**
   * Returns an access log in {@code format} that hands each line to {@code sink}, on whichever
   * thread completes the request; the sink must not throw.
   */
  public static AccessLog to(Format format, Consumer<String> sink) {
    return new AccessLog(Objects.requireNonNull(format, "format"), Objects.requireNonNull(sink, "sink"));
  }

  @Override
  public AppFunc apply(AppFunc next) {
    Objects.requireNonNull(next, "next");
    return env -> {
      OwinContext context = OwinContext.of(env);
      ZonedDateTime arrived = ZonedDateTime.now();
      String prefix = prefix(context, arrived);
      AtomicLong bytes = new AtomicLong();
      AtomicBoolean logged = new AtomicBoolean();
      // [0]: the status as sent; [1]: 1 once the headers went out
      int[] status = {200, 0};
      OnSendingHeaders onSending =
          context.get(ServerKeys.ON_SENDING_HEADERS, OnSendingHeaders.class);
      if (onSending != null) {
        onSending.register(
            state -> {
              status[0] = context.statusCode();
              status[1] = 1;
            },
            status);
      }
      OutputStream original = context.responseBody();
      env.put(OwinKeys.RESPONSE_BODY, new CountingBody(original, bytes));
      SendFileAsync sendFile = context.get(SendFileKeys.SEND_ASYNC, SendFileAsync.class);
      if (sendFile != null) {
        SendFileAsync counting =
            (path, offset, count, cancel) -> {
              long sent = count != null ? count : sizeFrom(path, offset);
              return sendFile
                  .sendFileAsync(path, offset, count, cancel)
                  .thenRun(() -> bytes.addAndGet(sent));
            };
        env.put(SendFileKeys.SEND_ASYNC, counting);
      }
      Runnable log =
          () -> {
            if (logged.compareAndSet(false, true)) {
              sink.accept(line(prefix, status[0], bytes.get(), context));
            }
          };
      boolean hooked = false;
      ResponseFeature response = OwinFeatureCollection.of(env).get(ResponseFeature.class);
      if (response != null) {
        try {
          response.onCompleted(log);
          hooked = true;
        } catch (UnsupportedOperationException noCompletionHook) {
          hooked = false;
        }
      }
      boolean onCompletedHooked = hooked;
      return AppFunc.invokeSafely(next, env)
          .whenComplete(
              (ignored, failure) -> {
                if (status[1] == 0) {
                  // not started: a failure becomes the host's 500, success the status as set
                  status[0] = failure != null ? 500 : context.statusCode();
                }
                if (!onCompletedHooked) {
                  log.run();
                }
              });
    };
  }

  private static long sizeFrom(String path, long offset) {
    try {
      return Math.max(0, Files.size(Path.of(path)) - offset);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private String prefix(OwinContext context, ZonedDateTime arrived) {
    String remote = context.get(ServerKeys.REMOTE_IP_ADDRESS, String.class);
    Principal user = context.user();
    String query = context.queryString();
    String request =
        context.method()
            + " "
            + context.pathBase()
            + context.path()
            + (query.isEmpty() ? "" : "?" + query)
            + " "
            + context.protocol();
    return (remote == null || remote.isEmpty() ? "-" : escape(remote))
        + " - "
        + (user == null ? "-" : escape(user.getName()))
        + " ["
        + CLF_DATE.format(arrived)
        + "] \""
        + escape(request)
        + "\"";
  }

  private String line(String prefix, int status, long bytes, OwinContext context) {
    String line = prefix + " " + status + " " + (bytes == 0 ? "-" : Long.toString(bytes));
    if (format == Format.COMBINED) {
      line +=
          " \""
              + quoted(context.requestHeader("Referer"))
              + "\" \""
              + quoted(context.requestHeader("User-Agent"))
              + "\"";
    }
    return line;
  }

  private static String quoted(@Nullable String value) {
    return value == null ? "-" : escape(value);
  }

  /** Escapes quotes, backslashes and control characters as Apache does ({@code \x..}). */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Counts what passes through it. */
  private static final class CountingBody extends OutputStream {
    private final OutputStream out;
    private final AtomicLong bytes;

    CountingBody(OutputStream out, AtomicLong bytes) {
      this.out = out;
      this.bytes = bytes;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      bytes.incrementAndGet();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      bytes.addAndGet(len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

}
