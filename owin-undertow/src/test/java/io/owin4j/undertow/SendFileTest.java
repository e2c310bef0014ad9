package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.features;
import static io.owin4j.undertow.Servers.responseHeaders;
import static io.owin4j.undertow.Servers.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.owin4j.api.AppFunc;
import io.owin4j.api.CancellationToken;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SendFileKeys;
import io.owin4j.api.ext.SendFileAsync;
import io.owin4j.api.features.SendFileFeature;
import io.owin4j.features.CancellationTokenSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code sendfile.SendAsync} on real sockets: ranges, errors, large files by digest. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(TestCertificates.Made.class)
class SendFileTest {
  private static final int MIB = 1024 * 1024;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dir;

  /** A file of {@code size} bytes that are not all alike, so a wrong range shows. */
  private Path file(String name, long size) throws IOException {
    Path path = dir.resolve(name);
    byte[] block = new byte[MIB];
    new Random(size).nextBytes(block);
    ByteBuffer buffer = ByteBuffer.allocateDirect(MIB);
    try (FileChannel out =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long written = 0, index = 0; written < size; index++) {
        buffer.clear();
        buffer.put(block).flip();
        buffer.putLong(0, index);
        buffer.limit((int) Math.min(MIB, size - written));
        written += out.write(buffer);
      }
    }
    return path;
  }

  private static SendFileAsync sendFile(Map<String, Object> env) {
    return (SendFileAsync) env.get(SendFileKeys.SEND_ASYNC);
  }

  /** Sends {@code path}'s range after setting Content-Length to the range's length. */
  private static AppFunc sending(Path path, long offset, @Nullable Long count) {
    return env -> {
      try {
        long length = count != null ? count : Files.size(path) - offset;
        responseHeaders(env).put("Content-Length", new String[] {Long.toString(length)});
      } catch (IOException e) {
        return CompletableFuture.failedFuture(e);
      }
      return sendFile(env).sendFileAsync(path.toString(), offset, count, CancellationToken.NONE);
    };
  }

  private static HttpResponse<byte[]> get(OwinServer server) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(server.uri()).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] slice(Path path, int offset, int count) throws IOException {
    byte[] all = Files.readAllBytes(path);
    byte[] part = new byte[count];
    System.arraycopy(all, offset, part, 0, count);
    return part;
  }

  @Test
  void sendsAWholeFileAfterTheHeadersTheApplicationSet() throws Exception {
    Path path = file("whole", 100_000);
    AppFunc app =
        env -> {
          responseHeaders(env).put("X-File", new String[] {"whole"});
          return sending(path, 0, null).invoke(env);
        };
    try (OwinServer server = Servers.start(app)) {
      HttpResponse<byte[]> response = get(server);

      assertEquals("whole", response.headers().firstValue("X-File").orElseThrow());
      assertArrayEquals(Files.readAllBytes(path), response.body());
    }
  }

  @Test
  void sendsARange() throws Exception {
    Path path = file("range", 50_000);
    AppFunc app =
        env -> {
          env.put(OwinKeys.RESPONSE_STATUS_CODE, 206);
          responseHeaders(env).put("Content-Range", new String[] {"bytes 1000-2999/50000"});
          return sending(path, 1000, 2000L).invoke(env);
        };
    try (OwinServer server = Servers.start(app)) {
      HttpResponse<byte[]> response = get(server);

      assertEquals(206, response.statusCode());
      assertEquals(
          "bytes 1000-2999/50000", response.headers().firstValue("Content-Range").orElseThrow());
      assertArrayEquals(slice(path, 1000, 2000), response.body());
    }
  }

  @Test
  void sendsToTheEndOfTheFileWhenCountIsNull() throws Exception {
    Path path = file("tail", 50_000);
    try (OwinServer server = Servers.start(sending(path, 49_000, null))) {
      assertArrayEquals(slice(path, 49_000, 1000), get(server).body());
    }
  }

  @Test
  void sendsAnEmptyRange() throws Exception {
    Path path = file("empty-range", 10);
    try (OwinServer server = Servers.start(sending(path, 10, 0L))) {
      assertArrayEquals(new byte[0], get(server).body());
    }
  }

  /** Sends {@code path}'s range and answers a failed stage with its status and message. */
  private static AppFunc answeringFailures(String path, long offset, @Nullable Long count) {
    return env ->
        sendFile(env)
            .sendFileAsync(path, offset, count, CancellationToken.NONE)
            .exceptionally(
                failure -> {
                  env.put(
                      OwinKeys.RESPONSE_STATUS_CODE,
                      failure instanceof NoSuchFileException ? 404 : 416);
                  write(env, failure.getClass().getSimpleName() + ": " + failure.getMessage());
                  return null;
                });
  }

  @Test
  void failsAMissingFileWithNoSuchFileBeforeSendingAnything() throws Exception {
    String missing = dir.resolve("missing").toString();
    try (OwinServer server = Servers.start(answeringFailures(missing, 0, null))) {
      HttpResponse<byte[]> response = get(server);

      assertEquals(404, response.statusCode());
      assertEquals("NoSuchFileException: " + missing, new String(response.body(), UTF_8));
    }
  }

  @Test
  void failsAnOffsetBeyondTheFileBeforeSendingAnything() throws Exception {
    Path path = file("short", 100);
    try (OwinServer server = Servers.start(answeringFailures(path.toString(), 101, null))) {
      HttpResponse<byte[]> response = get(server);

      assertEquals(416, response.statusCode());
      assertEquals(
          "IllegalArgumentException: sendfile offset must be within the file of 100 bytes, got 101",
          new String(response.body(), UTF_8));
    }
  }

  @Test
  void failsACountBeyondTheFileBeforeSendingAnything() throws Exception {
    Path path = file("short", 100);
    try (OwinServer server = Servers.start(answeringFailures(path.toString(), 50, 51L))) {
      HttpResponse<byte[]> response = get(server);

      assertEquals(416, response.statusCode());
      assertEquals(
          "IllegalArgumentException: sendfile range must lie within the file of 100 bytes, got"
              + " offset 50 and count 51",
          new String(response.body(), UTF_8));
    }
  }

  @Test
  void failsANegativeOffsetBeforeSendingAnything() throws Exception {
    Path path = file("short", 100);
    try (OwinServer server = Servers.start(answeringFailures(path.toString(), -1, null))) {
      assertEquals(
          "IllegalArgumentException: sendfile offset must be >= 0, got -1",
          new String(get(server).body(), UTF_8));
    }
  }

  @Test
  void failsADirectoryBeforeSendingAnything() throws Exception {
    try (OwinServer server = Servers.start(answeringFailures(dir.toString(), 0, null))) {
      assertEquals(
          "IllegalArgumentException: sendfile path must name a regular file, got \"" + dir + "\"",
          new String(get(server).body(), UTF_8));
    }
  }

  @Test
  void mixesBodyWritesAndFiles() throws Exception {
    Path path = file("middle", 30_000);
    AppFunc app =
        env -> {
          write(env, "<");
          return sendFile(env)
              .sendFileAsync(path.toString(), 100, 20_000L, CancellationToken.NONE)
              .thenRun(() -> write(env, ">"));
        };
    try (OwinServer server = Servers.start(app)) {
      byte[] body = get(server).body();

      assertEquals(20_002, body.length);
      assertEquals("<>", new String(new byte[] {body[0], body[20_001]}, UTF_8));
      assertArrayEquals(slice(path, 100, 20_000), Arrays.copyOfRange(body, 1, 20_001));
    }
  }

  @Test
  void theFileMayBeDeletedOnceTheStageCompletes() throws Exception {
    Path path = file("deleted", 3 * MIB);
    byte[] content = Files.readAllBytes(path);
    AppFunc app =
        env ->
            sending(path, 0, null)
                .invoke(env)
                .thenRun(
                    () -> {
                      try {
                        Files.delete(path);
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    });
    try (OwinServer server = Servers.start(app)) {
      assertArrayEquals(content, get(server).body());
      assertFalse(Files.exists(path));
    }
  }

  @Test
  void aHeadRequestGetsTheHeadOnly() throws Exception {
    Path path = file("head", 100_000);
    try (OwinServer server = Servers.start(sending(path, 0, null));
        RawClient client = new RawClient(server.port())) {
      RawClient.Response head = client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
      RawClient.Response next = client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();

      assertEquals("200 100000", head.status() + " " + head.header("Content-Length"));
      assertArrayEquals(Files.readAllBytes(path), next.body());
    }
  }

  @Test
  void sendsForAnApplicationOnTheIoThread() throws Exception {
    Path path = file("io-thread", 8 * MIB);
    try (OwinServer server =
        Servers.start(sending(path, 0, null), builder -> builder.dispatch(Dispatch.IO_THREAD))) {
      assertArrayEquals(Files.readAllBytes(path), get(server).body());
    }
  }

  @Test
  void theTypedFeatureSendsToo() throws Exception {
    Path path = file("typed", 10_000);
    AppFunc app =
        env ->
            features(env)
                .require(SendFileFeature.class)
                .sendFile(path.toString(), 0, null, CancellationToken.NONE);
    try (OwinServer server = Servers.start(app)) {
      assertArrayEquals(Files.readAllBytes(path), get(server).body());
    }
  }

  @Test
  void cancellationStopsTheTransferAndAbortsTheRequest() throws Exception {
    Path path = file("cancelled", 64 * MIB);
    CancellationTokenSource cancel = new CancellationTokenSource();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    AppFunc app =
        env -> {
          responseHeaders(env).put("Content-Length", new String[] {Long.toString(64L * MIB)});
          return sendFile(env)
              .sendFileAsync(path.toString(), 0, null, cancel.token())
              .whenComplete((ignored, failure) -> outcome.complete(failure));
        };
    try (OwinServer server = Servers.start(app);
        Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8));
      InputStream in = socket.getInputStream();
      long received = in.readNBytes(64 * 1024).length;

      cancel.cancel();

      assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof CancellationException);
      byte[] chunk = new byte[64 * 1024];
      try {
        int n;
        while ((n = in.read(chunk)) > 0) {
          received += n;
        }
      } catch (SocketException reset) {
        // An aborted connection may end with a reset instead of an orderly close.
      }
      assertTrue(received < 64L * MIB, "the connection ended after " + received + " bytes");
    }
  }

  @Test
  void largeFilesArriveIntactWithAndWithoutALength() throws Exception {
    Path path = file("large", 256L * MIB);
    String expected = digest(path);
    AppFunc withoutLength =
        env -> sendFile(env).sendFileAsync(path.toString(), 0, null, CancellationToken.NONE);
    try (OwinServer sized = Servers.start(sending(path, 0, null));
        OwinServer chunked = Servers.start(withoutLength)) {
      assertEquals(expected, download(CLIENT, sized.uri()));
      assertEquals(expected, download(CLIENT, chunked.uri()));
    }
  }

  @Test
  void concurrentDownloadsArriveIntact() throws Exception {
    Path path = file("shared", 16L * MIB);
    String expected = digest(path);
    try (OwinServer server = Servers.start(sending(path, 0, null))) {
      List<CompletableFuture<String>> downloads = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        downloads.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return download(CLIENT, server.uri());
                  } catch (Exception e) {
                    throw new CompletionException(e);
                  }
                }));
      }

      for (CompletableFuture<String> download : downloads) {
        assertEquals(expected, download.get(60, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void sendsThroughTlsAndOverHttp2() throws Exception {
    TestCertificates certificates = TestCertificates.get();
    Path path = file("secure", 24L * MIB);
    String expected = digest(path);
    try (OwinServer server =
        Servers.start(sending(path, 0, null), builder -> builder.tls(certificates.serverContext))) {
      for (HttpClient.Version version : HttpClient.Version.values()) {
        HttpClient client =
            HttpClient.newBuilder()
                .version(version)
                .sslContext(certificates.clientWithoutCertificate)
                .build();

        assertEquals(expected, download(client, server.uri()), version.toString());
      }
    }
  }

  @Test
  void a512MibFileLeavesTheHeapFlat() throws Exception {
    long size = 512L * MIB;
    Path path = file("huge", size);
    String expected = digest(path);
    try (OwinServer server = Servers.start(sending(path, 0, null));
        Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
      socket.setSoTimeout(30_000);
      Allocation allocation = Allocation.ofOtherThreads();

      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(UTF_8));
      InputStream in = socket.getInputStream();
      skipHead(in);
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] chunk = new byte[256 * 1024];
      long received = 0;
      while (received < size) {
        int n = in.read(chunk, 0, (int) Math.min(chunk.length, size - received));
        if (n < 0) {
          break;
        }
        sha256.update(chunk, 0, n);
        received += n;
      }
      long allocated = allocation.bytesSince();

      assertEquals(expected, HexFormat.of().formatHex(sha256.digest()));
      assertTrue(
          allocated < 32L * MIB,
          "the server's threads allocated " + allocated + " bytes to send " + size + " bytes");
    }
  }

  /** Reads up to the end of the response head. */
  private static void skipHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the response ended in its head");
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  private static String download(HttpClient client, URI uri) throws Exception {
    HttpResponse<InputStream> response =
        client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    try (InputStream body = response.body()) {
      byte[] chunk = new byte[256 * 1024];
      int n;
      while ((n = body.read(chunk)) > 0) {
        sha256.update(chunk, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  private static String digest(Path path) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(path)) {
      byte[] chunk = new byte[MIB];
      int n;
      while ((n = in.read(chunk)) > 0) {
        sha256.update(chunk, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  /**
   * The bytes the JVM's other threads (the server's IO and worker threads among them) allocated on
   * the heap since a starting point; threads that ended meanwhile are not counted.
   */
  private record Allocation(Map<Long, Long> start) {
    private static ThreadMXBean threads() {
      return (ThreadMXBean) ManagementFactory.getThreadMXBean();
    }

    static Allocation ofOtherThreads() {
      return new Allocation(snapshot());
    }

    private static Map<Long, Long> snapshot() {
      long self = Thread.currentThread().getId();
      long[] ids =
          Arrays.stream(threads().getAllThreadIds()).filter(id -> id != self).toArray();
      long[] bytes = threads().getThreadAllocatedBytes(ids);
      Map<Long, Long> snapshot = new HashMap<>();
      for (int i = 0; i < ids.length; i++) {
        if (bytes[i] >= 0) {
          snapshot.put(ids[i], bytes[i]);
        }
      }
      return snapshot;
    }

    long bytesSince() {
      long total = 0;
      for (Map.Entry<Long, Long> now : snapshot().entrySet()) {
        total += now.getValue() - start.getOrDefault(now.getKey(), 0L);
      }
      return total;
    }
  }
}
