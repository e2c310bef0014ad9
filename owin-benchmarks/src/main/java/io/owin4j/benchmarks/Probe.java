package io.owin4j.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What the load harness asks a server process about itself, on a port of its own so that the
 * measured listener never sees it: {@code /alloc} the bytes every thread allocated so far, {@code
 * /cpu} the CPU time the process used so far (nanoseconds), {@code /memory} the heap in use after a
 * full collection and the resident set size, in bytes.
 *
 * <p>A server starts it when the system property {@code owin.probe.port} names a port.
 */
final class Probe {
  private Probe() {}

  /** Starts the probe when {@code -Dowin.probe.port=N} asks for it. */
  static void startIfAsked() {
    String port = System.getProperty("owin.probe.port");
    if (port == null) {
      return;
    }
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(port)), 16);
      server.createContext("/alloc", exchange -> answer(exchange, () -> allocatedBytes() + ""));
      server.createContext("/memory", exchange -> answer(exchange, Probe::memory));
      server.createContext("/cpu", exchange -> answer(exchange, () -> cpuNanos() + ""));
      server.start();
    } catch (IOException e) {
      throw new IllegalStateException("probe cannot listen on port " + port, e);
    }
  }

  /** The bytes allocated on the heap by every live thread so far. */
  static long allocatedBytes() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long each : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
      if (each > 0) {
        total += each;
      }
    }
    return total;
  }

  /** The CPU time the process used so far, in nanoseconds. */
  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** "HEAP RSS": heap bytes in use after full collections, resident set size in bytes. */
  private static String memory() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return heap + " " + residentBytes();
  }

  private static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self/status", e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  private static void answer(HttpExchange exchange, Supplier<String> body) throws IOException {
    byte[] bytes = (body.get() + "\n").getBytes(StandardCharsets.US_ASCII);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
