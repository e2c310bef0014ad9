package io.owin4j.undertow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real WebSocket client libraries of other ecosystems against the echo middleware: each offers a
 * subprotocol and permessage-deflate, echoes a text and a 300 KiB binary message, and closes.
 *
 * <p>The clients are Debian's {@code node-ws} and {@code python3-websockets}; a test whose client
 * is not installed is skipped, saying which.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketClientLibrariesTest {
  private static final String EXPECTED =
      String.join(
          "\n",
          "protocol echo",
          "extensions permessage-deflate",
          "text true",
          "binary true",
          "close 4001 done");

  private static final String NODE_CLIENT =
      """
      const WebSocket = require('ws');
      const big = Buffer.alloc(300 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
      const text = 'h\\u00e9llo w\\u00f6rld';
      const out = [];
      const ws = new WebSocket(process.argv[1], ['echo']);
      let step = 0;
      ws.on('open', () => {
        out.push('protocol ' + ws.protocol, 'extensions ' + ws.extensions);
        ws.send(text);
      });
      ws.on('message', (data, isBinary) => {
        if (step++ === 0) {
          out.push('text ' + (!isBinary && data.toString() === text));
          ws.send(big);
        } else {
          out.push('binary ' + (isBinary && Buffer.compare(data, big) === 0));
          ws.close(4001, 'done');
        }
      });
      ws.on('close', (code, reason) => {
        out.push('close ' + code + ' ' + reason.toString());
        console.log(out.join('\\n'));
      });
      ws.on('error', e => { console.log('error ' + e.message); process.exitCode = 1; });
      """;

  private static final String PYTHON_CLIENT =
      """
      import asyncio, sys, websockets

      async def main(url):
          big = bytes((i * 31) & 0xFF for i in range(300 * 1024))
          text = 'h\\u00e9llo w\\u00f6rld'
          out = []
          async with websockets.connect(url, subprotocols=['echo'], max_size=None) as ws:
              out.append('protocol ' + str(ws.subprotocol))
              out.append('extensions ' + ','.join(e.name for e in ws.extensions))
              await ws.send(text)
              out.append('text ' + str(await ws.recv() == text).lower())
              await ws.send(big)
              out.append('binary ' + str(await ws.recv() == big).lower())
              await ws.close(4001, 'done')
              out.append('close ' + str(ws.close_code) + ' ' + ws.close_reason)
          print('\\n'.join(out))

      asyncio.run(main(sys.argv[1]))
      """;

  private OwinServer server;

  @BeforeEach
  void start() {
    server = Servers.start(EchoMiddleware.TYPED.app(EchoMiddleware.sessions()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String url() {
    return "ws://127.0.0.1:" + server.port() + "/";
  }

  @Test
  void nodeWsEchoes() throws Exception {
    Map<String, String> environment = nodeWithWs();

    assertEquals(EXPECTED, run(environment, "node", "-e", NODE_CLIENT, url()));
  }

  @Test
  void pythonWebsocketsEchoes() throws Exception {
    String python = pythonWithWebsockets();

    assertEquals(EXPECTED, run(Map.of(), python, "-c", PYTHON_CLIENT, url()));
  }

  /** Debian's package serves Debian's interpreter, which another python3 on the PATH may hide. */
  /** The environment in which node finds ws; the calling test is skipped when either is missing. */
  static Map<String, String> nodeWithWs() throws Exception {
    Map<String, String> environment = Map.of("NODE_PATH", nodePath());
    assumeTrue(
        succeeds(environment, "node", "-e", "require('ws')"),
        "node with the ws module is not installed (Debian: node-ws)");
    return environment;
  }

  /** A python with websockets; the calling test is skipped when there is none. */
  static String pythonWithWebsockets() throws Exception {
    String python = python();
    assumeTrue(
        succeeds(Map.of(), python, "-c", "import websockets"),
        "python3 with the websockets module is not installed (Debian: python3-websockets)");
    return python;
  }

  static String python() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }

  /** Debian installs node modules under /usr/share/nodejs, which node does not search itself. */
  static String nodePath() {
    String existing = System.getenv("NODE_PATH");
    return existing == null || existing.isEmpty()
        ? "/usr/share/nodejs"
        : existing + ":/usr/share/nodejs";
  }

  static boolean succeeds(Map<String, String> environment, String... command)
      throws InterruptedException {
    try {
      Process process = start(environment, command);
      process.getInputStream().transferTo(OutputStream.nullOutputStream());
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException notInstalled) {
      return false;
    }
  }

  /** Runs {@code command} and returns what it printed, without the trailing newline. */
  static String run(Map<String, String> environment, String... command)
      throws IOException, InterruptedException {
    Process process = start(environment, command);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the client did not finish within 30 seconds: " + output);
    }
    return output.strip();
  }

  private static Process start(Map<String, String> environment, String... command)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    return builder.start();
  }
}
