package io.owin4j.undertow.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Protocols;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * The request framing and header rules Undertow's parsers leave to the handler, checked before the
 * application sees a request; a violation is answered at once and the connection closed, since the
 * body's extent cannot be trusted (RFC 9112, sections 6.1 and 6.3; RFC 9113, section 8.2.1).
 *
 * <ul>
 *   <li>{@code Transfer-Encoding} whose final coding is not {@code chunked} ({@code
 *       chunked, identity}, {@code xchunked}): 400;
 *   <li>{@code Transfer-Encoding} with a coding besides {@code chunked} ({@code gzip, chunked}): 501,
 *       the host decodes no other;
 *   <li>{@code Content-Length} that is not a decimal number a {@code long} holds, or several that
 *       differ: 400;
 *   <li>a header value holding CR, LF or NUL (reachable over HTTP/2, whose binary framing lets them
 *       through): 400;
 *   <li>a chunked body whose framing, as far as it arrived with the head, breaks RFC 9112, section
 *       7.1: 400. The rest is decoded as strictly while it is read ({@link ChunkedBodyConduit}).
 * </ul>
 */
public final class RequestChecks {
  private static final Logger LOG = Logger.getLogger(RequestChecks.class.getName());

  private RequestChecks() {}

  /**
   * Checks {@code exchange}; answers and ends it when a rule is broken.
   *
   * @return true when the request may go on to the application
   */
  public static boolean accept(HttpServerExchange exchange) {
    int status = violation(exchange);
    if (status == 0) {
      return true;
    }
    LOG.log(Level.FINE, "refused {0} with {1}: malformed framing or headers", new Object[] {exchange, status});
    exchange.setStatusCode(status);
    exchange.setPersistent(false);
    exchange.getResponseHeaders().put(Headers.CONNECTION, "close");
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
    // Ending the exchange would first try to drain a body whose framing is the very problem, and
    // close the connection before the answer went out: send the answer, then close.
    StreamSinkChannel response = exchange.getResponseChannel();
    try {
      response.shutdownWrites();
      if (response.flush()) {
        IoUtils.safeClose(exchange.getConnection());
      } else {
        response
            .getWriteSetter()
            .set(
                ChannelListeners.flushingChannelListener(
                    flushed -> IoUtils.safeClose(exchange.getConnection()),
                    (failed, e) -> IoUtils.safeClose(exchange.getConnection())));
        response.resumeWrites();
      }
    } catch (IOException e) {
      IoUtils.safeClose(exchange.getConnection());
    }
    return false;
  }

  private static int violation(HttpServerExchange exchange) {
    HeaderValues transferEncoding = exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING);
    if (transferEncoding != null && !exchange.getProtocol().equals(Protocols.HTTP_2_0)) {
      int status = transferEncodingViolation(transferEncoding);
      if (status != 0) {
        return status;
      }
    }
    HeaderValues contentLength = exchange.getRequestHeaders().get(Headers.CONTENT_LENGTH);
    if (contentLength != null && !validContentLength(contentLength)) {
      return StatusCodes.BAD_REQUEST;
    }
    // Undertow's cookie iteration and indexed values: every request is checked, without iterators.
    HeaderMap headers = exchange.getRequestHeaders();
    for (long cookie = headers.fastIterateNonEmpty();
        cookie != -1L;
        cookie = headers.fiNextNonEmpty(cookie)) {
      HeaderValues values = headers.fiCurrent(cookie);
      for (int i = 0; i < values.size(); i++) {
        if (hasControlBreak(values.get(i))) {
          return StatusCodes.BAD_REQUEST;
        }
      }
    }
    String framing = ChunkedBodyConduit.install(exchange);
    if (framing != null) {
      LOG.log(Level.FINE, "malformed chunked request body: {0}", framing);
      return StatusCodes.BAD_REQUEST;
    }
    return 0;
  }

  private static int transferEncodingViolation(HeaderValues values) {
    String last = null;
    boolean other = false;
    for (String value : values) {
      for (String coding : value.split(",", -1)) {
        String name = coding.trim();
        if (name.isEmpty()) {
          continue;
        }
        if (last != null && !last.equalsIgnoreCase("chunked")) {
          other = true;
        }
        if (last != null && last.equalsIgnoreCase("chunked")) {
          // chunked applied twice, or before another coding
          return StatusCodes.BAD_REQUEST;
        }
        last = name;
      }
    }
    if (last == null || !last.equalsIgnoreCase("chunked")) {
      return StatusCodes.BAD_REQUEST;
    }
    return other ? StatusCodes.NOT_IMPLEMENTED : 0;
  }

  private static boolean validContentLength(HeaderValues values) {
    String first = null;
    for (String value : values) {
      for (String part : value.split(",", -1)) {
        String length = part.trim();
        if (length.isEmpty() || length.length() > 18 || !length.chars().allMatch(RequestChecks::digit)) {
          return false;
        }
        if (first == null) {
          first = length;
        } else if (Long.parseLong(first) != Long.parseLong(length)) {
          return false;
        }
      }
    }
    return first != null;
  }

  private static boolean digit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean hasControlBreak(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return true;
      }
    }
    return false;
  }
}
