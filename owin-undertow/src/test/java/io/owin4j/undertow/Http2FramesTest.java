package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.write;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP/2 by prior knowledge through a raw frame writer: the limits and header rules hold. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2FramesTest {
  private static final int HEADERS = 0x1;
  private static final int RST_STREAM = 0x3;
  private static final int SETTINGS = 0x4;
  private static final int GOAWAY = 0x7;
  private static final int CONTINUATION = 0x9;
  private static final int END_STREAM = 0x1;
  private static final int END_HEADERS = 0x4;

  private final List<LogRecord> severe = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            severe.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLogs() {
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  void releaseLogs() {
    Logger.getLogger("").removeHandler(capture);
  }

  record Frame(int type, int flags, int stream, byte[] payload) {}

  /** A connection that sent the preface and an empty SETTINGS frame. */
  private static final class H2 implements AutoCloseable {
    final Socket socket = new Socket();
    final DataInputStream in;
    final OutputStream out;

    H2(int port) throws IOException {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      in = new DataInputStream(socket.getInputStream());
      out = socket.getOutputStream();
      out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      send(SETTINGS, 0, 0, new byte[0]);
    }

    void send(int type, int flags, int stream, byte[] payload) throws IOException {
      out.write(frame(type, flags, stream, payload));
      out.flush();
    }

    Frame read() throws IOException {
      int length = in.readUnsignedByte() << 16 | in.readUnsignedShort();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7FFFFFFF;
      byte[] payload = new byte[length];
      in.readFully(payload);
      return new Frame(type, flags, stream, payload);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** An HPACK literal header field without indexing, no Huffman coding (RFC 7541, 6.2.2). */
  private static void literal(ByteArrayOutputStream block, String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
    byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
    block.write(0);
    block.write(n.length);
    block.writeBytes(n);
    block.write(v.length);
    block.writeBytes(v);
  }

  private static byte[] request(String path, String... extra) {
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

  @Test
  void theServerAdvertisesItsStreamAndHeaderListLimits() throws Exception {
    try (OwinServer server = Servers.start(env -> Servers.done(), b -> b.maxHeaderSize(8192));
        H2 h2 = new H2(server.port())) {
      Frame settings = h2.read();
      assertEquals(SETTINGS, settings.type());
      Map<Integer, Integer> values = new HashMap<>();
      for (int i = 0; i + 6 <= settings.payload().length; i += 6) {
        byte[] p = settings.payload();
        int key = (p[i] & 0xFF) << 8 | (p[i + 1] & 0xFF);
        int value =
            (p[i + 2] & 0xFF) << 24 | (p[i + 3] & 0xFF) << 16 | (p[i + 4] & 0xFF) << 8 | (p[i + 5] & 0xFF);
        values.put(key, value);
      }
      assertEquals(100, values.get(0x3), "SETTINGS_MAX_CONCURRENT_STREAMS");
      assertEquals(8192, values.get(0x6), "SETTINGS_MAX_HEADER_LIST_SIZE");
    }
  }

  @Test
  void aHeaderValueWithCrLfGets400AndNoSevereLog() throws Exception {
    try (OwinServer server =
            Servers.start(
                env -> {
                  write(env, "reached the application");
                  return Servers.done();
                });
        H2 h2 = new H2(server.port())) {
      h2.send(HEADERS, END_STREAM | END_HEADERS, 1, request("/a", "x-bad", "a\r\nb"));

      Frame answer = readForStream(h2, 1);
      if (answer.type() == HEADERS) {
        // :status 400 is entry 12 of the HPACK static table: one indexed byte, 0x8c.
        assertEquals(0x8c, answer.payload()[0] & 0xFF, "the response was not a 400");
      } else {
        assertEquals(RST_STREAM, answer.type());
      }
      assertTrue(severe.isEmpty(), "severe log: " + severe);
    }
  }

  @Test
  void aNulInAHeaderValueGets400() throws Exception {
    try (OwinServer server = Servers.start(env -> Servers.done());
        H2 h2 = new H2(server.port())) {
      h2.send(HEADERS, END_STREAM | END_HEADERS, 1, request("/a", "x-bad", "a\0b"));

      Frame answer = readForStream(h2, 1);
      assertTrue(
          answer.type() == RST_STREAM
              || (answer.type() == HEADERS && (answer.payload()[0] & 0xFF) == 0x8c),
          "expected 400 or a reset, got frame type " + answer.type());
    }
  }

  /**
   * What bounds a CONTINUATION sequence in Undertow 2.4.4 is the length of the header block it
   * builds: once the frames' lengths add up past {@code maxHeaderSize}, the connection ends with
   * GOAWAY (PROTOCOL_ERROR). The same 60 frames are refused under a 2 KiB limit and make a request
   * that is answered under a 16 KiB one. Empty CONTINUATION frames add nothing to that length, so
   * nothing bounds how many of them arrive (see docs/RELIABILITY.md, fault 5b).
   */
  @Test
  void aContinuationSequenceLongerThanMaxHeaderSizeEndsTheConnection() throws Exception {
    assertEquals(GOAWAY, answerToSixtyContinuationFrames(2048).type());
    Frame answer = answerToSixtyContinuationFrames(16 * 1024);
    assertEquals(HEADERS, answer.type(), "the same frames under a 16 KiB limit");
    assertEquals(0x88, answer.payload()[0] & 0xFF, "200 from the static table");
  }

  /**
   * Sends a request whose header block is a HEADERS frame and 60 CONTINUATION frames of about 100
   * bytes each, in one write, to a server with {@code maxHeaderSize}; returns the first GOAWAY, or
   * the response HEADERS for the stream.
   */
  private static Frame answerToSixtyContinuationFrames(int maxHeaderSize) throws Exception {
    try (OwinServer server =
            Servers.start(env -> Servers.done(), b -> b.maxHeaderSize(maxHeaderSize));
        H2 h2 = new H2(server.port())) {
      ByteArrayOutputStream frames = new ByteArrayOutputStream();
      frames.writeBytes(frame(HEADERS, END_STREAM, 1, request("/a")));
      for (int i = 0; i < 60; i++) {
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        literal(field, "x-fill-" + i, "f".repeat(80));
        frames.writeBytes(frame(CONTINUATION, i == 59 ? END_HEADERS : 0, 1, field.toByteArray()));
      }
      h2.out.write(frames.toByteArray());
      h2.out.flush();
      while (true) {
        Frame frame = h2.read();
        if (frame.type() == GOAWAY || (frame.type() == HEADERS && frame.stream() == 1)) {
          return frame;
        }
      }
    }
  }

  private static byte[] frame(int type, int flags, int stream, byte[] payload) {
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

  private static Frame readForStream(H2 h2, int stream) throws IOException {
    while (true) {
      Frame frame = h2.read();
      if (frame.type() == GOAWAY) {
        throw new EOFException("the server sent GOAWAY instead of answering the stream");
      }
      if (frame.stream() == stream && (frame.type() == HEADERS || frame.type() == RST_STREAM)) {
        return frame;
      }
    }
  }
}
