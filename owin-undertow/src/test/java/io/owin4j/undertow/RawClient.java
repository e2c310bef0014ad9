package io.owin4j.undertow;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.x client over a raw socket, for what the JDK client hides: HTTP/1.0, pipelining,
 * chunk boundaries, disconnects and aborted connections.
 */
final class RawClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;

  RawClient(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    in = new BufferedInputStream(socket.getInputStream());
  }

  /** The client's own port. */
  int localPort() {
    return socket.getLocalPort();
  }

  /** Sends {@code text} as ISO-8859-1 bytes. */
  RawClient send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads one response with its body. */
  Response read() throws IOException {
    return read(false);
  }

  /** Reads one response to a HEAD request: the head only, whatever its headers announce. */
  Response readHead() throws IOException {
    return read(true);
  }

  private Response read(boolean headRequest) throws IOException {
    Response head = readHeadOnly();
    if (headRequest || head.status() == 204 || head.status() == 304 || head.status() < 200) {
      return head;
    }
    byte[] body;
    String length = head.header("content-length");
    if (length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    } else if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk;
      while ((chunk = readChunk()).length > 0) {
        out.write(chunk);
      }
      readLine();
      body = out.toByteArray();
    } else {
      body = in.readAllBytes();
    }
    return new Response(head.statusLine(), head.headers(), body);
  }

  /** Reads the status line and headers of the next response. */
  Response readHeadOnly() throws IOException {
    String statusLine = readLine();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    String line;
    while (!(line = readLine()).isEmpty()) {
      int colon = line.indexOf(':');
      headers
          .computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    return new Response(statusLine, headers, new byte[0]);
  }

  /** Reads one chunk of a chunked body: empty for the last one. */
  byte[] readChunk() throws IOException {
    String size = readLine();
    int semicolon = size.indexOf(';');
    int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
    byte[] data = in.readNBytes(length);
    if (length > 0) {
      readLine();
    }
    return data;
  }

  /** True when the server closed (or reset) the connection: the next read ends. */
  boolean closedByServer() {
    try {
      return in.read() == -1;
    } catch (IOException e) {
      return true;
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b == -1) {
        throw new EOFException("connection closed after \"" + line + "\"");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** A response: status line, headers (lower-case names) and body. */
  record Response(String statusLine, Map<String, List<String>> headers, byte[] body) {
    int status() {
      return Integer.parseInt(statusLine.split(" ")[1]);
    }

    String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }
}
