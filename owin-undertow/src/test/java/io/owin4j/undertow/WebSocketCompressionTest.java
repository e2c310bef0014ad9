package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.features;
import static io.owin4j.undertow.WebSocketHostTest.deflate;
import static io.owin4j.undertow.WebSocketHostTest.inflate;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.ext.WebSocketMessageTypes;
import io.owin4j.api.features.WebSocket;
import io.owin4j.api.features.WebSocketAcceptContext;
import io.owin4j.api.features.WebSocketFeature;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * permessage-deflate on the wire, seen by a raw-socket client: which messages go out compressed
 * (RSV1), that compressed messages of either side arrive intact, whole or in fragments, and that a
 * message inflating past the maximum closes with 1009.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketCompressionTest {
  private static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate";
  private static final int RSV1 = 4;

  /** Echoes every message whole: receives it to its end, then sends it in one frame. */
  private static final AppFunc WHOLE_ECHO =
      env ->
          features(env)
              .require(WebSocketFeature.class)
              .accept(WebSocketAcceptContext.of(null))
              .thenCompose(socket -> echoWhole(socket, new ByteArrayOutputStream()));

  private static CompletionStage<Void> echoWhole(WebSocket socket, ByteArrayOutputStream message) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    return socket
        .receive(buffer, CancellationToken.NONE)
        .thenCompose(
            result -> {
              if (result.isClose()) {
                return socket.close(
                    socket.closeStatus(), socket.closeDescription(), CancellationToken.NONE);
              }
              message.write(buffer.array(), 0, buffer.position());
              if (!result.endOfMessage()) {
                return echoWhole(socket, message);
              }
              ByteBuffer whole = ByteBuffer.wrap(message.toByteArray());
              message.reset();
              return socket
                  .send(whole, result.messageType(), true, CancellationToken.NONE)
                  .thenCompose(sent -> echoWhole(socket, message));
            });
  }

  private static OwinServer start(AppFunc app, Consumer<OwinServer.Builder> settings) {
    return Servers.start(app, settings);
  }

  private static OwinServer start(AppFunc app) {
    return Servers.start(app);
  }

  /** JSON-like text of at least {@code size} bytes, cut to exactly that size. */
  static String json(int size) {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; text.length() < size; i++) {
      text.append("{\"id\":").append(i).append(",\"name\":\"user").append(i % 97);
      text.append("\",\"active\":").append(i % 3 == 0).append(",\"score\":").append(i * 7 % 1000);
      text.append("},");
    }
    return text.substring(0, size);
  }

  @Test
  void aMessageBelowTheThresholdGoesOutUncompressed() throws Exception {
    String text = json(64);
    try (OwinServer server = start(WHOLE_ECHO);
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      raw.sendText(text);
      RawWebSocket.Frame echoed = raw.read();

      assertEquals(0, echoed.rsv(), "RSV1 clear");
      assertEquals(text, echoed.text());
    }
  }

  @Test
  void theThresholdIsTheSmallestMessageThatGoesOutCompressed() throws Exception {
    int threshold = WebSocketCompression.DEFAULT_THRESHOLD;
    try (OwinServer server = start(WHOLE_ECHO);
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      raw.sendText(json(threshold - 1));
      RawWebSocket.Frame below = raw.read();
      raw.sendText(json(threshold));
      RawWebSocket.Frame at = raw.read();

      assertEquals(0, below.rsv(), "one byte below the threshold: uncompressed");
      assertEquals(json(threshold - 1), below.text());
      assertEquals(RSV1, at.rsv(), "at the threshold: compressed");
      assertTrue(at.payload().length < threshold / 2, "compressed to " + at.payload().length);
      assertEquals(json(threshold), new String(inflate(at.payload()), UTF_8));
    }
  }

  @Test
  void theThresholdIsABuilderOption() throws Exception {
    WebSocketCompression small = WebSocketCompression.builder().threshold(16).build();
    String text = json(64);
    try (OwinServer server = start(WHOLE_ECHO, builder -> builder.webSocketCompression(small));
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      raw.sendText(text);
      RawWebSocket.Frame echoed = raw.read();

      assertEquals(RSV1, echoed.rsv());
      assertEquals(text, new String(inflate(echoed.payload()), UTF_8));
    }
  }

  @Test
  void theReadmeExampleSetsThresholdAndLevel() throws Exception {
    AppFunc app = WHOLE_ECHO;
    // README:begin websocket-compression
    OwinServer server =
        OwinServer.builder()
            .webSocketCompression(WebSocketCompression.builder().threshold(256).level(6).build())
            .app(app)
            .build()
            .start();
    // README:end
    try (server;
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      raw.sendText(json(255));
      RawWebSocket.Frame below = raw.read();
      raw.sendText(json(256));
      RawWebSocket.Frame at = raw.read();

      assertEquals(0, below.rsv());
      assertEquals(RSV1, at.rsv());
      assertEquals(json(256), new String(inflate(at.payload()), UTF_8));
    }
  }

  @Test
  void aMessageThatDoesNotShrinkGoesOutUncompressed() throws Exception {
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    try (OwinServer server = start(WHOLE_ECHO);
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      raw.send(true, RawWebSocket.BINARY, noise);
      RawWebSocket.Frame echoed = raw.read();

      assertEquals(0, echoed.rsv(), "random bytes do not compress: RSV1 clear");
      assertArrayEquals(noise, echoed.payload());
    }
  }

  @Test
  void compressedMessagesFromTheClientArriveIntactBelowAndAboveTheThreshold() throws Exception {
    String small = json(64);
    String large = json(4096);
    try (OwinServer server = start(WHOLE_ECHO);
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      raw.sendFrame(0x80 | 0x40, RawWebSocket.TEXT, deflate(small.getBytes(UTF_8)), true);
      RawWebSocket.Frame smallEcho = raw.read();
      raw.sendFrame(0x80 | 0x40, RawWebSocket.TEXT, deflate(large.getBytes(UTF_8)), true);
      RawWebSocket.Frame largeEcho = raw.read();

      assertEquals(0, smallEcho.rsv());
      assertEquals(small, smallEcho.text());
      assertEquals(RSV1, largeEcho.rsv());
      assertEquals(large, new String(inflate(largeEcho.payload()), UTF_8));
    }
  }

  @Test
  void aCompressedMessageInFragmentsArrivesWhole() throws Exception {
    String text = json(10_000);
    byte[] compressed = deflate(text.getBytes(UTF_8));
    int third = compressed.length / 3;
    try (OwinServer server = start(WHOLE_ECHO);
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      raw.sendFrame(0x40, RawWebSocket.TEXT, Arrays.copyOfRange(compressed, 0, third), true);
      raw.sendFrame(
          0, RawWebSocket.CONTINUATION, Arrays.copyOfRange(compressed, third, 2 * third), true);
      raw.sendFrame(
          0x80,
          RawWebSocket.CONTINUATION,
          Arrays.copyOfRange(compressed, 2 * third, compressed.length),
          true);
      RawWebSocket.Frame echoed = raw.read();

      assertEquals(RSV1, echoed.rsv());
      assertEquals(text, new String(inflate(echoed.payload()), UTF_8));
    }
  }

  @Test
  void fragmentsTheApplicationSendsGoOutAsOneCompressedMessage() throws Exception {
    String part = json(100);
    AppFunc threeFragments =
        Servers.onWebSocket(
            socket ->
                sendPart(socket, part, false)
                    .thenCompose(sent -> sendPart(socket, part, false))
                    .thenCompose(sent -> sendPart(socket, part, true))
                    .thenCompose(sent -> new CompletableFuture<Void>()));
    try (OwinServer server = start(threeFragments);
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      RawWebSocket.Frame first = raw.read();
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      payload.writeBytes(first.payload());
      RawWebSocket.Frame frame;
      do {
        frame = raw.read();
        assertEquals(RawWebSocket.CONTINUATION, frame.opcode());
        assertEquals(0, frame.rsv(), "RSV1 is set on the first frame only");
        payload.writeBytes(frame.payload());
      } while (!frame.fin());

      assertEquals(RawWebSocket.TEXT, first.opcode());
      assertFalse(first.fin());
      assertEquals(RSV1, first.rsv(), "fragments are compressed, however small");
      assertEquals(part.repeat(3), new String(inflate(payload.toByteArray()), UTF_8));
    }
  }

  @Test
  void aCompressedMessageEndingInAnEmptyFrameLeavesTheNextOneIntact() throws Exception {
    String first = json(3000);
    String second = json(5000).substring(2000);
    try (OwinServer server = start(WHOLE_ECHO);
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      raw.sendFrame(0x40, RawWebSocket.TEXT, deflate(first.getBytes(UTF_8)), true);
      raw.sendFrame(0x80, RawWebSocket.CONTINUATION, new byte[0], true);
      RawWebSocket.Frame firstEcho = raw.read();
      raw.sendFrame(0x80 | 0x40, RawWebSocket.TEXT, deflate(second.getBytes(UTF_8)), true);
      RawWebSocket.Frame secondEcho = raw.read();

      assertEquals(first, new String(inflate(firstEcho.payload()), UTF_8));
      assertEquals(second, new String(inflate(secondEcho.payload()), UTF_8));
    }
  }

  @Test
  void fragmentsEndingInAnEmptyOneLeaveTheNextMessageIntact() throws Exception {
    String part = json(1500);
    String whole = json(4000);
    AppFunc app =
        Servers.onWebSocket(
            socket ->
                sendPart(socket, part, false)
                    .thenCompose(sent -> sendPart(socket, "", true))
                    .thenCompose(sent -> sendPart(socket, whole, true))
                    .thenCompose(sent -> new CompletableFuture<Void>()));
    try (OwinServer server = start(app);
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      RawWebSocket.Frame head = raw.read();
      RawWebSocket.Frame tail = raw.read();
      RawWebSocket.Frame next = raw.read();
      byte[] fragmented =
          ByteBuffer.allocate(head.payload().length + tail.payload().length)
              .put(head.payload())
              .put(tail.payload())
              .array();

      assertTrue(tail.fin());
      assertEquals(part, new String(inflate(fragmented), UTF_8));
      assertEquals(RSV1, next.rsv());
      assertEquals(whole, new String(inflate(next.payload()), UTF_8));
    }
  }

  private static CompletionStage<Void> sendPart(WebSocket socket, String text, boolean end) {
    return socket.send(
        ByteBuffer.wrap(text.getBytes(UTF_8)),
        WebSocketMessageTypes.TEXT,
        end,
        CancellationToken.NONE);
  }

  @Test
  void aCompressedMessageInflatingPastTheMaximumClosesWith1009() throws Exception {
    byte[] compressed = deflate(new byte[64 * 1024 * 1024]);
    try (OwinServer server =
            start(WHOLE_ECHO, builder -> builder.webSocketMaxMessageSize(16 * 1024));
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      // The first half of the message only: the close must not wait for the rest.
      raw.sendFrame(
          0x40, RawWebSocket.BINARY, Arrays.copyOf(compressed, compressed.length / 2), true);
      RawWebSocket.Frame close = raw.readSkippingPongs();

      assertEquals(RawWebSocket.CLOSE, close.opcode());
      assertEquals(1009, close.closeStatus());
    }
  }

  @Test
  void withContextTakeoverBothSidesCompressAgainstEarlierMessages() throws Exception {
    WebSocketCompression takeover = WebSocketCompression.builder().contextTakeover(true).build();
    byte[] text = json(4096).getBytes(UTF_8);
    Deflater client = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    Inflater reader = new Inflater(true);
    try (OwinServer server = start(WHOLE_ECHO, builder -> builder.webSocketCompression(takeover));
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      raw.sendFrame(0x80 | 0x40, RawWebSocket.TEXT, takeoverDeflate(client, text), true);
      RawWebSocket.Frame first = raw.read();
      raw.sendFrame(0x80 | 0x40, RawWebSocket.TEXT, takeoverDeflate(client, text), true);
      RawWebSocket.Frame second = raw.read();

      assertEquals("permessage-deflate", raw.header("Sec-WebSocket-Extensions"));
      assertArrayEquals(text, takeoverInflate(reader, first.payload()));
      assertArrayEquals(text, takeoverInflate(reader, second.payload()));
      assertTrue(
          second.payload().length < first.payload().length / 4,
          "the second refers to the first: " + second.payload().length + " bytes");
    } finally {
      client.end();
      reader.end();
    }
  }

  @Test
  void withoutContextTakeoverEveryMessageInflatesOnItsOwn() throws Exception {
    String text = json(4096);
    try (OwinServer server = start(WHOLE_ECHO);
        RawWebSocket raw = RawWebSocket.connect(server.port(), "/", OFFER)) {
      raw.sendText(text);
      RawWebSocket.Frame first = raw.read();
      raw.sendText(text);
      RawWebSocket.Frame second = raw.read();

      // inflate() starts a fresh inflater for each message.
      assertEquals(text, new String(inflate(first.payload()), UTF_8));
      assertEquals(text, new String(inflate(second.payload()), UTF_8));
      assertArrayEquals(first.payload(), second.payload());
    }
  }

  /** Deflates one message with a deflater that keeps its context, tail dropped. */
  private static byte[] takeoverDeflate(Deflater deflater, byte[] data) {
    deflater.setInput(data);
    byte[] out = new byte[data.length + 64];
    int length = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    return Arrays.copyOf(out, length - 4);
  }

  /** Inflates one message with an inflater that keeps its context, tail appended. */
  private static byte[] takeoverInflate(Inflater inflater, byte[] data) throws Exception {
    byte[] input = Arrays.copyOf(data, data.length + 4);
    input[data.length + 2] = (byte) 0xFF;
    input[data.length + 3] = (byte) 0xFF;
    inflater.setInput(input);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while ((n = inflater.inflate(chunk)) > 0) {
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }
}
