package io.owin4j.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/2 client that writes frames byte by byte, for tests that send what no real client would:
 * it opens the connection in each of the three ways a server accepts HTTP/2, sends the preface and
 * an empty SETTINGS frame, and reads frames back whole.
 */
final class RawHttp2 implements AutoCloseable {
  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int CONTINUATION = 0x9;
  static final int END_STREAM = 0x1;
  static final int END_HEADERS = 0x4;
  static final int PADDED = 0x8;
  static final int PRIORITY = 0x20;
  static final int PROTOCOL_ERROR = 0x1;

  /** How the connection becomes HTTP/2. */
  enum Transport {
    /** Cleartext, the preface first (RFC 9113, 3.3). */
    PRIOR_KNOWLEDGE,
    /** Cleartext, an HTTP/1.1 request with {@code Upgrade: h2c} first; it is stream 1. */
    UPGRADE,
    /** As {@link #UPGRADE}, the request a POST whose body follows its head in a later write. */
    UPGRADE_WITH_BODY,
    /** TLS with ALPN {@code h2}. */
    TLS
  }

  record Frame(int type, int flags, int stream, byte[] payload) {
    /** The error code of a GOAWAY frame. */
    int errorCode() {
      return (payload[4] & 0xFF) << 24
          | (payload[5] & 0xFF) << 16
          | (payload[6] & 0xFF) << 8
          | (payload[7] & 0xFF);
    }
  }

  final Socket socket;
  final DataInputStream in;
  final OutputStream out;
  /** The first stream id this connection may open: 3 after an upgrade (it used 1), else 1. */
  final int firstStream;

  private RawHttp2(Socket socket, int firstStream) throws IOException {
    this.socket = socket;
    this.firstStream = firstStream;
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /**
   * Opens an HTTP/2 connection to {@code server} by {@code transport}; {@code tls} is the client's
   * context for {@link Transport#TLS} and unused otherwise.
   */
  static RawHttp2 open(OwinServer server, Transport transport, SSLContext tls) throws IOException {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    RawHttp2 h2;
    switch (transport) {
      case PRIOR_KNOWLEDGE -> {
        Socket socket = new Socket();
        socket.connect(address, 5_000);
        h2 = new RawHttp2(socket, 1);
      }
      case UPGRADE, UPGRADE_WITH_BODY -> {
        Socket socket = new Socket();
        socket.connect(address, 5_000);
        h2 = new RawHttp2(socket, 3);
        boolean body = transport == Transport.UPGRADE_WITH_BODY;
        // HTTP2-Settings: one setting, SETTINGS_MAX_CONCURRENT_STREAMS = 100, base64url.
        h2.write(
            ((body ? "POST" : "GET") + " /upgrade HTTP/1.1\r\nHost: t\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n"
                    + (body ? "Content-Length: 11\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        if (body) {
          h2.write("hello world".getBytes(StandardCharsets.ISO_8859_1));
        }
        String head = h2.readHttp11Head();
        assertTrue(head.startsWith("HTTP/1.1 101 "), "the upgrade was refused: " + head);
      }
      case TLS -> {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"h2"});
        socket.setSSLParameters(parameters);
        socket.connect(address, 5_000);
        socket.startHandshake();
        assertEquals("h2", socket.getApplicationProtocol(), "ALPN");
        h2 = new RawHttp2(socket, 1);
      }
      default -> throw new AssertionError(transport);
    }
    h2.out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    h2.send(SETTINGS, 0, 0, new byte[0]);
    return h2;
  }

  private String readHttp11Head() throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the connection ended in the response head: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  void send(int type, int flags, int stream, byte[] payload) throws IOException {
    write(frame(type, flags, stream, payload));
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** The next frame; EOFException when the server closed the connection. */
  Frame read() throws IOException {
    int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
    int type = in.readUnsignedByte();
    int flags = in.readUnsignedByte();
    int stream = in.readInt() & 0x7FFFFFFF;
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame(type, flags, stream, payload);
  }

  /** The first GOAWAY frame, skipping every other frame. */
  Frame readGoAway() throws IOException {
    while (true) {
      Frame frame = read();
      if (frame.type() == GOAWAY) {
        return frame;
      }
    }
  }

  /** Whether the server closed the connection: every byte it still sends is read and dropped. */
  boolean closedByServer() throws IOException {
    try {
      while (in.read() >= 0) {
        // what the server wrote before it closed
      }
      return true;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  /** The first HEADERS or RST_STREAM frame of {@code stream}; EOFException on GOAWAY. */
  Frame readForStream(int stream) throws IOException {
    while (true) {
      Frame frame = read();
      if (frame.type() == GOAWAY) {
        throw new EOFException(
            "the server sent GOAWAY (error " + frame.errorCode() + ") instead of answering");
      }
      if (frame.stream() == stream && (frame.type() == HEADERS || frame.type() == RST_STREAM)) {
        return frame;
      }
    }
  }

  /** The body of {@code stream}'s response, after its HEADERS: its DATA frames to END_STREAM. */
  String readBody(int stream) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      Frame frame = read();
      if (frame.type() == GOAWAY) {
        throw new EOFException("the server sent GOAWAY (error " + frame.errorCode() + ")");
      }
      if (frame.stream() == stream && frame.type() == DATA) {
        body.writeBytes(frame.payload());
        if ((frame.flags() & END_STREAM) != 0) {
          return body.toString(StandardCharsets.UTF_8);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static byte[] frame(int type, int flags, int stream, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(9 + payload.length);
    frame.writeBytes(
        new byte[] {
          (byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
          (byte) type, (byte) flags,
          (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream
        });
    frame.writeBytes(payload);
    return frame.toByteArray();
  }

  /** An HPACK literal header field without indexing, no Huffman coding (RFC 7541, 6.2.2). */
  static void literal(ByteArrayOutputStream block, String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
    byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
    block.write(0);
    integer(block, n.length);
    block.writeBytes(n);
    integer(block, v.length);
    block.writeBytes(v);
  }

  /** An HPACK string length with a 7-bit prefix and no Huffman flag (RFC 7541, 5.1). */
  private static void integer(ByteArrayOutputStream block, int value) {
    if (value < 127) {
      block.write(value);
      return;
    }
    block.write(127);
    int rest = value - 127;
    while (rest >= 128) {
      block.write((rest & 0x7F) | 0x80);
      rest >>>= 7;
    }
    block.write(rest);
  }

  /** The header block of a GET of {@code path}, then {@code extra} names and values. */
  static byte[] request(String path, String... extra) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    literal(block, ":method", "GET");
    literal(block, ":scheme", "http");
    literal(block, ":authority", "t");
    literal(block, ":path", path);
    for (int i = 0; i < extra.length; i += 2) {
      literal(block, extra[i], extra[i + 1]);
    }
    return block.toByteArray();
  }

  /** One header field as a block fragment. */
  static byte[] field(String name, String value) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    literal(block, name, value);
    return block.toByteArray();
  }
}
