package io.owin4j.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the demo page in headless Chromium over the DevTools protocol: loads {@code /}, uses the
 * WebSocket console to send a message and see it come back, opens a second tab and chats between
 * the two, and saves screenshots (and Chromium's log) to {@code target/browser-test/}. Skipped when
 * no Chromium is installed.
 */
@Timeout(120)
class BrowserTest {
  private static final List<String> BROWSERS =
      List.of("chromium", "chromium-browser", "google-chrome");
  private static final Path OUTPUT = Path.of("target", "browser-test");
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path profile;
  private final HttpClient http = HttpClient.newHttpClient();
  private DemoServer demo;
  private Process browser;
  private DevTools devTools;

  @BeforeEach
  void startDemoAndBrowser() throws Exception {
    Optional<Path> executable = findBrowser();
    Assumptions.assumeTrue(executable.isPresent(), "no Chromium on the PATH " + BROWSERS);
    Files.createDirectories(OUTPUT);
    demo = DemoServer.start("127.0.0.1", 0, null);
    browser =
        new ProcessBuilder(
                executable.get().toString(),
                "--headless",
                "--no-sandbox", // CI runs as root, where Chromium's sandbox cannot start
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--window-size=1000,800",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                demo.uri().toString())
            .redirectErrorStream(true)
            .redirectOutput(
                profile.resolveSibling(profile.getFileName() + "-chromium.log").toFile())
            .start();
    devTools = DevTools.connect(http, pageTarget());
  }

  @AfterEach
  void stop() throws Exception {
    if (devTools != null) {
      devTools.close();
    }
    if (browser != null) {
      // Chromium's helper processes (renderer, utility, crash handler) write into the profile too:
      // all of them must be gone before the profile directory is deleted.
      List<ProcessHandle> tree = new java.util.ArrayList<>(browser.descendants().toList());
      tree.add(browser.toHandle());
      tree.forEach(ProcessHandle::destroy);
      for (ProcessHandle process : tree) {
        try {
          process.onExit().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          process.destroyForcibly();
          process.onExit().get(10, TimeUnit.SECONDS);
        }
      }
    }
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void consoleSendsAMessageOverTheWebSocketAndShowsTheEcho() throws Exception {
    String result =
        devTools.evaluate(
            """
            (async () => {
              const byId = id => document.getElementById(id);
              const until = async (what, check) => {
                const deadline = Date.now() + 20000;
                while (!check()) {
                  if (Date.now() > deadline) {
                    throw new Error('gave up waiting for ' + what + '; status: '
                        + byId('status').textContent + '; log: ' + byId('log').textContent);
                  }
                  await new Promise(resolve => setTimeout(resolve, 50));
                }
              };
              byId('connect').click();
              await until('the connection', () => byId('status').textContent.startsWith('connected'));
              byId('message').value = 'hello from Chromium';
              byId('send').click();
              await until('the echo', () => document.querySelector('#log .received') !== null);
              return byId('status').textContent + '|' + document.querySelector('#log .received').textContent;
            })()
            """);

    assertEquals("connected (subprotocol echo.v1)|\u2190 received: hello from Chromium", result);
    byte[] png = devTools.screenshot();
    Files.write(OUTPUT.resolve("demo-console.png"), png);
    assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length));
  }

  @Test
  void chatRoomSharedByTwoPagesShowsEachPagesMessageOnTheOther() throws Exception {
    DevTools bob = DevTools.connect(http, newPage());
    try {
      awaitLoaded(bob);
      assertEquals("joined as Ada", devTools.evaluate(join("Ada")));
      assertEquals("joined as Bob", bob.evaluate(join("Bob")));

      devTools.evaluate(say("hello from Ada"));
      bob.evaluate(say("hello from Bob"));

      // The two messages race to the server (a click returns before its message is echoed), so
      // either may come first: each page waits for both.
      devTools.evaluate(awaitEntry("Ada:", "hello from Ada"));
      String adaSees = devTools.evaluate(awaitEntry("Bob:", "hello from Bob"));
      bob.evaluate(awaitEntry("Bob:", "hello from Bob"));
      String bobSees = bob.evaluate(awaitEntry("Ada:", "hello from Ada"));
      assertTrue(adaSees.contains("Bob:|hello from Bob"), adaSees);
      assertTrue(adaSees.contains("Ada:|hello from Ada"), adaSees);
      assertTrue(bobSees.contains("Ada:|hello from Ada"), bobSees);
      assertTrue(bobSees.contains("Bob:|hello from Bob"), bobSees);
      String showChat = "document.getElementById('chat-log').scrollIntoView({block: 'end'}); 'shown'";
      devTools.evaluate(showChat);
      bob.evaluate(showChat);
      byte[] adaPng = devTools.screenshot();
      byte[] bobPng = bob.screenshot();
      Files.write(OUTPUT.resolve("chat-ada.png"), adaPng);
      Files.write(OUTPUT.resolve("chat-bob.png"), bobPng);
      assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(adaPng, PNG_SIGNATURE.length));
      assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bobPng, PNG_SIGNATURE.length));
    } finally {
      bob.close();
    }
  }

  /** The page script's helpers: find by id, and wait for a condition for up to 20 seconds. */
  private static final String HELPERS =
      """
      const byId = id => document.getElementById(id);
      const until = async (what, check) => {
        const deadline = Date.now() + 20000;
        while (!check()) {
          if (Date.now() > deadline) {
            throw new Error('gave up waiting for ' + what + '; status: '
                + byId('chat-status').textContent + '; log: ' + byId('chat-log').textContent);
          }
          await new Promise(resolve => setTimeout(resolve, 50));
        }
      };
      const entries = () => Array.from(document.querySelectorAll('#chat-log .chat-entry'))
          .map(e => (e.querySelector('.from') ? e.querySelector('.from').textContent : '')
              + '|' + e.querySelector('.text').textContent);
      """;

  /** Joins the chat as {@code name} and waits until the room announced it; returns the status. */
  private static String join(String name) {
    return "(async () => {"
        + HELPERS
        + "byId('chat-name').value = "
        + Json.quote(name)
        + "; byId('chat-join').click();"
        + "await until('the join', () => entries().includes('|' + "
        + Json.quote(name + " joined")
        + "));"
        + "return byId('chat-status').textContent; })()";
  }

  private static String say(String text) {
    return "(async () => {"
        + HELPERS
        + "byId('chat-message').value = "
        + Json.quote(text)
        + "; byId('chat-send').click(); return 'sent'; })()";
  }

  /** Waits until the log shows {@code text} from {@code from}; returns every entry, one a line. */
  private static String awaitEntry(String from, String text) {
    return "(async () => {"
        + HELPERS
        + "await until('the message', () => entries().includes("
        + Json.quote(from + "|" + text)
        + ")); return entries().join('\\n'); })()";
  }

  /** Opens a second tab on the demo page and returns its DevTools address. */
  private URI newPage() throws Exception {
    URI create = devToolsBase().resolve("/json/new?" + demo.uri());
    String target =
        http.send(
                HttpRequest.newBuilder(create).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher address = Pattern.compile("\"webSocketDebuggerUrl\": \"([^\"]+)\"").matcher(target);
    assertTrue(address.find(), "no DevTools address in " + target);
    return URI.create(address.group(1));
  }

  /** Waits until the page in {@code tab} has loaded the demo page. */
  private static void awaitLoaded(DevTools tab) throws Exception {
    for (int attempt = 0; attempt < 400; attempt++) {
      String state =
          tab.evaluate(
              "document.readyState + '|' + (document.getElementById('chat-join') !== null)");
      if (state.equals("complete|true")) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the second page never loaded the demo page");
  }

  private URI devToolsBase() throws IOException {
    String port = Files.readAllLines(profile.resolve("DevToolsActivePort")).get(0).trim();
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  private static Optional<Path> findBrowser() {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
      for (String name : BROWSERS) {
        Path candidate = Path.of(directory, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The DevTools address of the tab showing the demo, once its page has loaded. Chromium writes its
   * debugging port to the profile folder when it is ready; the tab's title appears when the page
   * has loaded.
   */
  private URI pageTarget() throws Exception {
    Path portFile = profile.resolve("DevToolsActivePort");
    while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
      assertTrue(browser.isAlive(), "Chromium exited with " + exitValue());
      Thread.sleep(100);
    }
    String port = Files.readAllLines(portFile).get(0).trim();
    URI list = URI.create("http://127.0.0.1:" + port + "/json/list");
    Pattern page =
        Pattern.compile(
            "\\{[^{}]*\"title\": \"Owin4J demo\"[^{}]*\"webSocketDebuggerUrl\":"
                + " \"([^\"]+)\"[^{}]*}");
    while (true) {
      String targets =
          http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher matcher = page.matcher(targets);
      if (matcher.find()) {
        return URI.create(matcher.group(1));
      }
      Thread.sleep(100);
    }
  }

  private String exitValue() {
    return browser.isAlive() ? "nothing yet" : Integer.toString(browser.exitValue());
  }

  /** A minimal DevTools protocol client: one command at a time is all this test needs. */
  private static final class DevTools implements WebSocket.Listener {
    private static final Pattern ID = Pattern.compile("^\\{\"id\":(\\d+),");
    private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final StringBuilder message = new StringBuilder();
    private WebSocket socket;

    static DevTools connect(HttpClient http, URI target) {
      DevTools devTools = new DevTools();
      devTools.socket = http.newWebSocketBuilder().buildAsync(target, devTools).join();
      return devTools;
    }

    /**
     * Evaluates {@code expression} in the page, awaiting a promise, and returns its string value.
     */
    String evaluate(String expression) throws Exception {
      String response =
          call(
              "Runtime.evaluate",
              "{\"expression\":"
                  + Json.quote(expression)
                  + ",\"awaitPromise\":true,\"returnByValue\":true}");
      if (response.contains("\"exceptionDetails\"")) {
        throw new AssertionError("the page's script failed: " + response);
      }
      return stringField(response, "value");
    }

    byte[] screenshot() throws Exception {
      return Base64.getDecoder()
          .decode(stringField(call("Page.captureScreenshot", "{\"format\":\"png\"}"), "data"));
    }

    private String call(String method, String params) throws Exception {
      int id = nextId.incrementAndGet();
      CompletableFuture<String> response = new CompletableFuture<>();
      pending.put(id, response);
      socket.sendText(
          "{\"id\":" + id + ",\"method\":" + Json.quote(method) + ",\"params\":" + params + "}",
          true);
      String text = response.get(60, TimeUnit.SECONDS);
      if (text.contains("\"error\":")) {
        throw new AssertionError(method + " failed: " + text);
      }
      return text;
    }

    /**
     * The first string field {@code name} of a response, unescaped. The pattern loops once per
     * escape, not per character, so a screenshot's megabytes of base64 do not exhaust the stack.
     */
    private static String stringField(String json, String name) {
      Matcher matcher =
          Pattern.compile("\"" + name + "\":\"([^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+)\"").matcher(json);
      if (!matcher.find()) {
        throw new AssertionError("no string " + name + " in " + json);
      }
      return unescape(matcher.group(1));
    }

    private static String unescape(String escaped) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < escaped.length(); i++) {
        char c = escaped.charAt(i);
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char next = escaped.charAt(++i);
        switch (next) {
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            out.append((char) Integer.parseInt(escaped.substring(i + 1, i + 5), 16));
            i += 4;
          }
          default -> out.append(next); // \" \\ \/
        }
      }
      return out.toString();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        String text = message.toString();
        message.setLength(0);
        Matcher id = ID.matcher(text);
        if (id.find()) {
          CompletableFuture<String> response = pending.remove(Integer.parseInt(id.group(1)));
          if (response != null) {
            response.complete(text);
          }
        }
      }
      webSocket.request(1);
      return null;
    }

    void close() throws IOException {
      socket.abort();
    }
  }
}
