package io.owin4j.undertow;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client over a raw socket, for what real clients never do: unmasked frames, reserved
 * opcodes, bad UTF-8, frames split at will, a connection dropped without a close.
 */
final class RawWebSocket implements AutoCloseable {
  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final String statusLine;
  private final Map<String, String> headers;

  private RawWebSocket(
      Socket socket, String statusLine, Map<String, String> headers, DataInputStream in)
      throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
    this.statusLine = statusLine;
    this.headers = headers;
  }

  /** Sends a valid handshake for {@code path} with {@code extraHeaders} and reads the answer. */
  static RawWebSocket connect(int port, String path, String... extraHeaders) throws IOException {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    StringBuilder request =
        new StringBuilder()
            .append("GET ")
            .append(path)
            .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
            .append(port)
            .append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ")
            .append(Base64.getEncoder().encodeToString(nonce))
            .append("\r\nSec-WebSocket-Version: 13\r\n");
    for (String header : extraHeaders) {
      request.append(header).append("\r\n");
    }
    return open(port, request.append("\r\n").toString());
  }

  /** Sends {@code request} as it is and reads the response head. */
  static RawWebSocket open(int port, String request) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout(10_000);
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    String statusLine = readLine(in);
    Map<String, String> headers = new LinkedHashMap<>();
    String line;
    while (!(line = readLine(in)).isEmpty()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    return new RawWebSocket(socket, statusLine, headers, in);
  }

  int status() {
    return Integer.parseInt(statusLine.split(" ")[1]);
  }

  /** A response header (the first value), or null. */
  String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  /** Sends one masked frame. */
  RawWebSocket send(boolean fin, int opcode, byte[] payload) throws IOException {
    return sendFrame(fin ? 0x80 : 0, opcode, payload, true);
  }

  /** Sends a masked text frame that ends its message. */
  RawWebSocket sendText(String text) throws IOException {
    return send(true, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends a close with {@code status} and {@code reason}. */
  RawWebSocket sendClose(int status, String reason) throws IOException {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    ByteBuffer payload = ByteBuffer.allocate(2 + text.length).putShort((short) status).put(text);
    return send(true, CLOSE, payload.array());
  }

  /**
   * Sends a frame exactly as told: {@code firstByte} holds FIN and the RSV bits, {@code opcode} is
   * or-ed in, {@code masked} chooses whether a masking key is sent.
   */
  RawWebSocket sendFrame(int firstByte, int opcode, byte[] payload, boolean masked)
      throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
    sendFrameInto(frame, firstByte, opcode, payload, masked);
    out.write(frame.toByteArray());
    out.flush();
    return this;
  }

  private static void sendFrameInto(
      ByteArrayOutputStream frame, int firstByte, int opcode, byte[] payload, boolean masked) {
    frame.write(firstByte | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(maskBit | payload.length);
    } else if (payload.length <= 0xFFFF) {
      frame.write(maskBit | 126);
      frame.write(payload.length >>> 8);
      frame.write(payload.length & 0xFF);
    } else {
      frame.write(maskBit | 127);
      frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
    }
    byte[] body = payload.clone();
    if (masked) {
      byte[] key = new byte[4];
      ThreadLocalRandom.current().nextBytes(key);
      frame.writeBytes(key);
      for (int i = 0; i < body.length; i++) {
        body[i] ^= key[i & 3];
      }
    }
    frame.writeBytes(body);
  }

  /** Reads the next frame the server sent. */
  Frame read() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    if ((second & 0x80) != 0) {
      throw new IOException("the server masked a frame, which RFC 6455 forbids");
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new Frame((first & 0x80) != 0, (first >>> 4) & 0x7, first & 0x0F, payload);
  }

  /** Reads frames until a data or close frame, answering nothing; pongs are skipped. */
  Frame readSkippingPongs() throws IOException {
    Frame frame;
    do {
      frame = read();
    } while (frame.opcode() == PONG);
    return frame;
  }

  /** Reads frames until one ends a message and returns the whole message's payload. */
  byte[] readMessage() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    Frame frame;
    do {
      frame = readSkippingPongs();
      message.writeBytes(frame.payload());
    } while (!frame.fin());
    return message.toByteArray();
  }

  /** True when the server closed the connection: reading ends (or is reset). */
  boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Sends the head of a masked frame announcing {@code declared} payload bytes, then only {@code
   * sent} of them: the peer that breaks off mid-frame.
   */
  RawWebSocket sendHalfFrame(int opcode, int declared, int sent) throws IOException {
    byte[] whole = new byte[declared];
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    sendFrameInto(frame, 0x80, opcode, whole, true);
    byte[] bytes = frame.toByteArray();
    out.write(bytes, 0, bytes.length - declared + sent);
    out.flush();
    return this;
  }

  /** Half-closes: sends FIN and keeps reading what the server sends. */
  void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /**
   * Reads and drops whatever the server sends until it closes the connection: true when it did
   * (reading ended or was reset), false when it stayed open for the read timeout.
   */
  boolean readsToEndOfConnection() throws IOException {
    try {
      while (in.read() != -1) {
        // skip: what the server sent before closing does not matter here
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Drops the connection with a TCP reset (SO_LINGER 0) instead of an orderly FIN. */
  void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** Drops the connection without a close frame. */
  @Override
  public void close() throws IOException {
    socket.close();
  }

  private static String readLine(DataInputStream in) throws IOException {
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

  /** One frame from the server. */
  record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status of a close frame; 1005 when it carries none. */
    int closeStatus() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    String closeReason() {
      return payload.length < 2
          ? ""
          : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
  }
}
