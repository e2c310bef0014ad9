package io.owin4j.undertow;

import static io.owin4j.undertow.RawHttp2.CONTINUATION;
import static io.owin4j.undertow.RawHttp2.END_HEADERS;
import static io.owin4j.undertow.RawHttp2.END_STREAM;
import static io.owin4j.undertow.RawHttp2.GOAWAY;
import static io.owin4j.undertow.RawHttp2.HEADERS;
import static io.owin4j.undertow.RawHttp2.RST_STREAM;
import static io.owin4j.undertow.RawHttp2.SETTINGS;
import static io.owin4j.undertow.RawHttp2.frame;
import static io.owin4j.undertow.RawHttp2.literal;
import static io.owin4j.undertow.RawHttp2.request;
import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
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

  @Test
  void theServerAdvertisesItsStreamAndHeaderListLimits() throws Exception {
    try (OwinServer server = Servers.start(env -> Servers.done(), b -> b.maxHeaderSize(8192));
        RawHttp2 h2 = RawHttp2.open(server, RawHttp2.Transport.PRIOR_KNOWLEDGE, null)) {
      RawHttp2.Frame settings = h2.read();
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
        RawHttp2 h2 = RawHttp2.open(server, RawHttp2.Transport.PRIOR_KNOWLEDGE, null)) {
      h2.send(HEADERS, END_STREAM | END_HEADERS, 1, request("/a", "x-bad", "a\r\nb"));

      RawHttp2.Frame answer = h2.readForStream(1);
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
        RawHttp2 h2 = RawHttp2.open(server, RawHttp2.Transport.PRIOR_KNOWLEDGE, null)) {
      h2.send(HEADERS, END_STREAM | END_HEADERS, 1, request("/a", "x-bad", "a\0b"));

      RawHttp2.Frame answer = h2.readForStream(1);
      assertTrue(
          answer.type() == RST_STREAM
              || (answer.type() == HEADERS && (answer.payload()[0] & 0xFF) == 0x8c),
          "expected 400 or a reset, got frame type " + answer.type());
    }
  }

  /**
   * A header block's frames may add up to {@code maxHeaderSize}: past it the connection ends with
   * GOAWAY (PROTOCOL_ERROR). The same 60 frames are refused under a 2 KiB limit and make a request
   * that is answered under a 16 KiB one (with room for 64 CONTINUATION frames in both, so that the
   * length is what decides; the count has tests of its own in Http2HeaderBlockTest).
   */
  @Test
  void aContinuationSequenceLongerThanMaxHeaderSizeEndsTheConnection() throws Exception {
    assertEquals(GOAWAY, answerToSixtyContinuationFrames(2048).type());
    RawHttp2.Frame answer = answerToSixtyContinuationFrames(16 * 1024);
    assertEquals(HEADERS, answer.type(), "the same frames under a 16 KiB limit");
    assertEquals(0x88, answer.payload()[0] & 0xFF, "200 from the static table");
  }

  /**
   * Sends a request whose header block is a HEADERS frame and 60 CONTINUATION frames of about 100
   * bytes each, in one write, to a server with {@code maxHeaderSize}; returns the first GOAWAY, or
   * the response HEADERS for the stream.
   */
  private static RawHttp2.Frame answerToSixtyContinuationFrames(int maxHeaderSize) throws Exception {
    try (OwinServer server =
            Servers.start(
            env -> Servers.done(),
            b -> b.maxHeaderSize(maxHeaderSize).http2MaxContinuationFrames(64));
        RawHttp2 h2 = RawHttp2.open(server, RawHttp2.Transport.PRIOR_KNOWLEDGE, null)) {
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
        RawHttp2.Frame frame = h2.read();
        if (frame.type() == GOAWAY || (frame.type() == HEADERS && frame.stream() == 1)) {
          return frame;
        }
      }
    }
  }
}
