package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static io.owin4j.undertow.Servers.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import java.io.File;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** HTTP/2 by prior knowledge, by upgrade and by ALPN all report {@code HTTP/2.0}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestCertificates.Made.class)
class Http2Test {
  private static final AppFunc PROTOCOL =
      env -> {
        write(env, env.get(OwinKeys.REQUEST_PROTOCOL) + " " + env.get(OwinKeys.REQUEST_SCHEME));
        return done();
      };

  @Test
  void h2cByPriorKnowledgeReportsHttp20() throws Exception {
    String curl = onPath("curl");
    assumeTrue(curl != null, "curl is not installed; the JDK client cannot do h2c prior knowledge");
    try (OwinServer server = Servers.start(PROTOCOL)) {
      Process process =
          new ProcessBuilder(
                  curl, "-sS", "--http2-prior-knowledge", "-w", " %{http_version}",
                  server.uri().toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);

      assertEquals("HTTP/2.0 http 2", output);
    }
  }

  @Test
  void h2cByUpgradeReportsHttp20() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    try (OwinServer server = Servers.start(PROTOCOL)) {
      Servers.get(client, server.uri());
      HttpResponse<String> response = Servers.get(client, server.uri());

      assertEquals(HttpClient.Version.HTTP_2, response.version());
      assertEquals("HTTP/2.0 http", response.body());
    }
  }

  /** The JDK client asks for the upgrade on a POST too; one with a body is upgraded as well. */
  @Test
  void h2cByUpgradeOfAPostWithABody() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    AppFunc echo =
        env -> {
          try {
            write(
                env,
                env.get(OwinKeys.REQUEST_PROTOCOL)
                    + " "
                    + new String(
                        ((java.io.InputStream) env.get(OwinKeys.REQUEST_BODY)).readAllBytes(),
                        StandardCharsets.UTF_8));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return done();
        };
    try (OwinServer server = Servers.start(echo)) {
      HttpResponse<String> response =
          client.send(
              java.net.http.HttpRequest.newBuilder(server.uri())
                  .POST(java.net.http.HttpRequest.BodyPublishers.ofString("hello"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertEquals(HttpClient.Version.HTTP_2, response.version());
      assertEquals("HTTP/2.0 hello", response.body());
    }
  }

  @Test
  void h2OverTlsByAlpnReportsHttp20() throws Exception {
    TestCertificates certificates = TestCertificates.get();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_2)
            .sslContext(certificates.clientWithoutCertificate)
            .build();
    try (OwinServer server =
        Servers.start(PROTOCOL, builder -> builder.tls(certificates.serverContext))) {
      HttpResponse<String> response = Servers.get(client, server.uri());

      assertEquals(HttpClient.Version.HTTP_2, response.version());
      assertEquals("HTTP/2.0 https", response.body());
    }
  }

  @Test
  void withoutHttp2TheServerAnswersHttp11() throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
    try (OwinServer server = Servers.start(PROTOCOL, builder -> builder.http2(false))) {
      HttpResponse<String> response = Servers.get(client, server.uri());

      assertEquals(HttpClient.Version.HTTP_1_1, response.version());
      assertEquals("HTTP/1.1 http", response.body());
    }
  }

  /** The path of {@code program} on the PATH, or null when it is not installed. */
  static String onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File candidate = new File(dir, program);
      if (candidate.canExecute()) {
        return candidate.getPath();
      }
    }
    return null;
  }
}
