package io.owin4j.testkit.internal;

import io.owin4j.testkit.OpaqueConnection;
import io.owin4j.testkit.TestResponse;
import io.owin4j.testkit.UpgradeDeniedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * An opaque upgrade over a raw socket: the JDK {@code HttpClient} refuses {@code Upgrade} headers,
 * so the request is written by hand and the response head read by hand.
 */
final class SocketUpgrade {
  private static final int MAX_HEAD = 64 * 1024;

  private SocketUpgrade() {}

  /**
   * Sends the upgrade request and returns the connection once the server answered 101.
   *
   * @param mark the id the request is marked with for the probe
   * @param probe the probe keeping outcomes, or null when exceptions do not propagate
   * @throws UpgradeDeniedException with the full response when the server answered otherwise
   */
  static OpaqueConnection open(
      InetSocketAddress server,
      OutgoingRequest request,
      String protocol,
      String mark,
      @Nullable RemoteProbe probe) {
    Socket socket = new Socket();
    try {
      int timeout = (int) Math.min(Integer.MAX_VALUE, request.timeout().toMillis());
      socket.connect(server, timeout);
      socket.setSoTimeout(timeout);
      OutputStream out = socket.getOutputStream();
      out.write(head(server, request, protocol, mark).getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      Head head = readHead(in);
      if (head.status() != 101) {
        byte[] body = readBody(in, head);
        socket.close();
        ReceivedResponse response =
            new ReceivedResponse(
                head.status(),
                head.reason(),
                head.protocol(),
                head.headers(),
                new ByteArrayInputStream(body));
        if (probe != null && head.status() == 500) {
          Throwable failure = RemoteProbe.await(probe.claim(mark), request.timeout());
          if (failure != null) {
            throw Failures.unchecked(failure);
          }
        }
        throw new UpgradeDeniedException(
            "the upgrade of " + request.target() + " to " + protocol, response);
      }
      TestResponse handshake =
          new ReceivedResponse(
              101, head.reason(), head.protocol(), head.headers(), InputStream.nullInputStream());
      List<CompletableFuture<@Nullable Throwable>> outcomes = new ArrayList<>();
      if (probe != null) {
        outcomes.add(probe.claim(mark));
        outcomes.add(probe.claim(mark + RemoteProbe.UPGRADE_SUFFIX));
      }
      return new Connection(socket, handshake, outcomes, request);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("the upgrade of " + request.target() + " failed", e);
    } catch (RuntimeException e) {
      closeQuietly(socket);
      throw e;
    }
  }

  private static String head(
      InetSocketAddress server, OutgoingRequest request, String protocol, String mark) {
    StringBuilder head = new StringBuilder("GET ").append(request.target()).append(" HTTP/1.1\r\n");
    if (request.header("Host") == null) {
      head.append("Host: ")
          .append(server.getHostString())
          .append(':')
          .append(server.getPort())
          .append("\r\n");
    }
    for (Map.Entry<String, String> header : request.headers()) {
      head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
    }
    head.append("Connection: Upgrade\r\nUpgrade: ").append(protocol).append("\r\n");
    head.append(RemoteProbe.HEADER).append(": ").append(mark).append("\r\n\r\n");
    return head.toString();
  }

  /** A response head as read from the wire. */
  private record Head(
      int status, String reason, String protocol, Map<String, List<String>> headers) {
    @Nullable String header(String name) {
      for (Map.Entry<String, List<String>> header : headers.entrySet()) {
        if (header.getKey().equalsIgnoreCase(name)) {
          return header.getValue().get(0);
        }
      }
      return null;
    }
  }

  private static Head readHead(InputStream in) throws IOException {
    String statusLine = readLine(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("the server answered with a malformed status line: " + statusLine);
    }
    int status;
    try {
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("the server answered with a malformed status line: " + statusLine, e);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("the server sent a malformed header line: " + line);
      }
      headers
          .computeIfAbsent(line.substring(0, colon).trim(), name -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    return new Head(status, parts.length == 3 ? parts[2] : "", parts[0], headers);
  }

  /** Reads one CRLF-terminated line byte by byte, so no byte after the head is consumed. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the server closed the connection inside the response head");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      if (line.size() > MAX_HEAD) {
        throw new IOException("the response head is longer than " + MAX_HEAD + " bytes");
      }
      previous = b;
    }
  }

  private static byte[] readBody(InputStream in, Head head) throws IOException {
    String length = head.header("Content-Length");
    if (length != null) {
      return in.readNBytes(Integer.parseInt(length.trim()));
    }
    String encoding = head.header("Transfer-Encoding");
    if (encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String size = readLine(in);
        int semicolon = size.indexOf(';');
        int chunk =
            Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (chunk == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers carry nothing the test asked for
          }
          return body.toByteArray();
        }
        body.write(in.readNBytes(chunk));
        readLine(in);
      }
    }
    return in.readAllBytes();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // The socket is being given up on; a failure to close it changes nothing.
    }
  }

  /** The upgraded connection. */
  private static final class Connection implements OpaqueConnection {
    private final Socket socket;
    private final TestResponse handshake;
    private final InputStream input;
    private final OutputStream output;

    Connection(
        Socket socket,
        TestResponse handshake,
        List<CompletableFuture<@Nullable Throwable>> outcomes,
        OutgoingRequest request)
        throws IOException {
      this.socket = socket;
      this.handshake = handshake;
      this.input = new EndWatchingInput(socket.getInputStream(), outcomes, request);
      OutputStream raw = socket.getOutputStream();
      this.output =
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              raw.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              raw.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
              raw.flush();
            }

            /** Shuts down the sending side only, as the opaque stream contract says. */
            @Override
            public void close() throws IOException {
              raw.flush();
              socket.shutdownOutput();
            }
          };
    }

    @Override
    public TestResponse handshakeResponse() {
      return handshake;
    }

    @Override
    public InputStream input() {
      return input;
    }

    @Override
    public OutputStream output() {
      return output;
    }

    @Override
    public void close() {
      closeQuietly(socket);
    }

    @Override
    public String toString() {
      return "OpaqueConnection{undertow, " + handshake.header("Upgrade") + "}";
    }
  }

  /**
   * The connection's input: at its end (or when it breaks) it asks the kept outcomes whether the
   * application failed, and throws that failure instead.
   */
  private static final class EndWatchingInput extends FilterInputStream {
    private final List<CompletableFuture<@Nullable Throwable>> outcomes;
    private final OutgoingRequest request;

    EndWatchingInput(
        InputStream in,
        List<CompletableFuture<@Nullable Throwable>> outcomes,
        OutgoingRequest request) {
      super(in);
      this.outcomes = outcomes;
      this.request = request;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n;
      try {
        n = super.read(b, off, len);
      } catch (IOException e) {
        throw applicationFailure().orElse(e);
      }
      if (n < 0) {
        IOException failure = applicationFailure().orElse(null);
        if (failure != null) {
          throw failure;
        }
      }
      return n;
    }

    private java.util.Optional<IOException> applicationFailure() {
      for (CompletableFuture<@Nullable Throwable> outcome : outcomes) {
        Throwable failure = RemoteProbe.await(outcome, request.timeout());
        if (failure != null) {
          return java.util.Optional.of(Failures.asIoOrUnchecked(failure));
        }
      }
      return java.util.Optional.empty();
    }
  }
}
