package io.owin4j.undertow;

import static io.owin4j.undertow.WebSocketClientLibrariesTest.nodeWithWs;
import static io.owin4j.undertow.WebSocketClientLibrariesTest.pythonWithWebsockets;
import static io.owin4j.undertow.WebSocketClientLibrariesTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * permessage-deflate with the clients of other ecosystems, compression on at both ends: messages
 * below and above the threshold, a message the client sends in fragments and one the echo sends
 * back in fragments (the echo middleware answers each 4 KiB part as it arrives), all intact.
 *
 * <p>The clients are Debian's {@code node-ws} (which compresses messages of 1 KiB and more) and
 * {@code python3-websockets} (which compresses every message); a test whose client is not
 * installed is skipped, saying which.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketCompressionClientsTest {
  private static final String EXPECTED =
      String.join(
          "\n",
          "agreed permessage-deflate server_no_context_takeover client_no_context_takeover",
          "64 true",
          "4096 true",
          "65536 true",
          "fragmented 20000 true",
          "close 1000");

  private static final String NODE_CLIENT =
      """
      const WebSocket = require('ws');
      const json = n => {
        let s = '[';
        for (let i = 0; s.length < n; i++) s += `{"id":${i},"name":"user${i % 97}","on":${i % 3 == 0}},`;
        return s.slice(0, n);
      };
      const sizes = [64, 4096, 65536];
      const fragmented = json(20000);
      const out = [];
      const ws = new WebSocket(process.argv[1], { perMessageDeflate: true });
      let step = 0;
      const next = () => {
        if (step < sizes.length) {
          ws.send(json(sizes[step]));
        } else if (step === sizes.length) {
          ws.send(fragmented.slice(0, 7000), { fin: false, compress: true });
          ws.send(fragmented.slice(7000), { fin: true, compress: true });
        } else {
          ws.close(1000);
        }
      };
      ws.on('upgrade', response => {
        const agreed = response.headers['sec-websocket-extensions'];
        out.push('agreed ' + agreed.split(';').map(p => p.trim()).join(' '));
      });
      ws.on('open', next);
      ws.on('message', data => {
        const text = data.toString();
        out.push(step < sizes.length
            ? sizes[step] + ' ' + (text === json(sizes[step]))
            : 'fragmented ' + text.length + ' ' + (text === fragmented));
        step++;
        next();
      });
      ws.on('close', code => {
        out.push('close ' + code);
        console.log(out.join('\\n'));
      });
      ws.on('error', e => { console.log('error ' + e.message); process.exitCode = 1; });
      """;

  /** A client that keeps its context and refuses to be told otherwise (ws's option for it). */
  private static final String NODE_TAKEOVER_CLIENT =
      """
      const WebSocket = require('ws');
      let text = '';
      for (let i = 0; text.length < 4096; i++) text += `{"id":${i},"name":"user${i % 97}"},`;
      const ws = new WebSocket(process.argv[1], { perMessageDeflate: { clientNoContextTakeover: false } });
      const out = [];
      let left = 3;
      ws.on('upgrade', response => out.push('agreed ' + response.headers['sec-websocket-extensions']));
      ws.on('open', () => ws.send(text));
      ws.on('message', data => {
        out.push('echo ' + (data.toString() === text));
        if (--left > 0) ws.send(text); else ws.close(1000);
      });
      ws.on('close', code => { out.push('close ' + code); console.log(out.join('\\n')); });
      ws.on('error', e => { console.log('error ' + e.message); });
      """;

  private static final String PYTHON_CLIENT =
      """
      import asyncio, sys, websockets

      def json(n):
          parts, i = ['['], 0
          while sum(map(len, parts)) < n:
              parts.append('{"id":%d,"name":"user%d","on":%s},' % (i, i % 97, str(i % 3 == 0).lower()))
              i += 1
          return ''.join(parts)[:n]

      async def main(url):
          out = []
          async with websockets.connect(url, compression='deflate', max_size=None) as ws:
              agreed = ws.response_headers['Sec-WebSocket-Extensions']
              out.append('agreed ' + ' '.join(p.strip() for p in agreed.split(';')))
              for size in (64, 4096, 65536):
                  await ws.send(json(size))
                  out.append('%d %s' % (size, str(await ws.recv() == json(size)).lower()))
              fragmented = json(20000)
              await ws.send([fragmented[:7000], fragmented[7000:14000], fragmented[14000:]])
              echoed = await ws.recv()
              out.append('fragmented %d %s' % (len(echoed), str(echoed == fragmented).lower()))
              await ws.close(1000)
              out.append('close %d' % ws.close_code)
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
  void nodeWsInteroperatesWithCompressionOn() throws Exception {
    Map<String, String> environment = nodeWithWs();

    assertEquals(EXPECTED, run(environment, "node", "-e", NODE_CLIENT, url()));
  }

  @Test
  void aClientThatInsistsOnContextTakeoverIsServedWhenTheServerKeepsContexts() throws Exception {
    Map<String, String> environment = nodeWithWs();
    WebSocketCompression takeover = WebSocketCompression.builder().contextTakeover(true).build();
    try (OwinServer keeping =
        Servers.start(
            EchoMiddleware.TYPED.app(EchoMiddleware.sessions()),
            builder -> builder.webSocketCompression(takeover))) {
      String url = "ws://127.0.0.1:" + keeping.port() + "/";

      assertEquals(
          "agreed permessage-deflate\necho true\necho true\necho true\nclose 1000",
          run(environment, "node", "-e", NODE_TAKEOVER_CLIENT, url));
    }
  }

  @Test
  void aClientThatInsistsOnContextTakeoverFailsItsOwnHandshakeByDefault() throws Exception {
    Map<String, String> environment = nodeWithWs();

    // RFC 7692 section 7.1.1.2 lets the server add client_no_context_takeover; this client refuses.
    assertEquals(
        "error Invalid Sec-WebSocket-Extensions header",
        run(environment, "node", "-e", NODE_TAKEOVER_CLIENT, url()).lines().findFirst().orElse(""));
  }

  @Test
  void pythonWebsocketsInteroperatesWithCompressionOn() throws Exception {
    String python = pythonWithWebsockets();

    assertEquals(EXPECTED, run(Map.of(), python, "-c", PYTHON_CLIENT, url()));
  }
}
