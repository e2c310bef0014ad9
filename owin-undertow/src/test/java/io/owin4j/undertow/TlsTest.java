package io.owin4j.undertow;

import static io.owin4j.undertow.Servers.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import io.owin4j.api.SslKeys;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** TLS listeners, client certificates and the {@code ssl.*} keys. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestCertificates.Made.class)
class TlsTest {
  private final TestCertificates certificates = TestCertificates.get();
  private final Map<String, Object> seen = new ConcurrentHashMap<>();

  private final AppFunc recordTls =
      env -> {
        seen.put(OwinKeys.REQUEST_SCHEME, env.get(OwinKeys.REQUEST_SCHEME));
        seen.put(OwinKeys.REQUEST_PROTOCOL, env.get(OwinKeys.REQUEST_PROTOCOL));
        seen.put("has " + SslKeys.CLIENT_CERTIFICATE, env.containsKey(SslKeys.CLIENT_CERTIFICATE));
        Object certificate = env.get(SslKeys.CLIENT_CERTIFICATE);
        if (certificate != null) {
          seen.put(SslKeys.CLIENT_CERTIFICATE, certificate);
        }
        @SuppressWarnings("unchecked")
        Supplier<CompletionStage<Void>> load =
            (Supplier<CompletionStage<Void>>) env.get(SslKeys.LOAD_CLIENT_CERT_ASYNC);
        return load.get()
            .thenRun(
                () -> {
                  Object loaded = env.get(SslKeys.CLIENT_CERTIFICATE);
                  if (loaded != null) {
                    seen.put("loaded", loaded);
                  }
                });
      };

  private OwinServer start(ClientAuth clientAuth) {
    return Servers.start(
        recordTls, builder -> builder.tls(certificates.serverContext).clientAuth(clientAuth));
  }

  private static HttpClient client(SSLContext context, HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).sslContext(context).build();
  }

  @Test
  void tlsRequestReportsHttpsWithoutClientCertificate() throws Exception {
    try (OwinServer server = start(ClientAuth.NONE)) {
      int status =
          Servers.get(
                  client(certificates.clientWithoutCertificate, HttpClient.Version.HTTP_1_1),
                  server.uri())
              .statusCode();

      assertEquals(200, status);
      assertEquals("https", seen.get(OwinKeys.REQUEST_SCHEME));
      assertEquals(false, seen.get("has " + SslKeys.CLIENT_CERTIFICATE));
      assertFalse(seen.containsKey("loaded"));
    }
  }

  @Test
  void clientCertificateReachesSslClientCertificate() throws Exception {
    try (OwinServer server = start(ClientAuth.REQUIRED)) {
      Servers.get(
          client(certificates.clientWithCertificate, HttpClient.Version.HTTP_1_1), server.uri());

      X509Certificate received = (X509Certificate) seen.get(SslKeys.CLIENT_CERTIFICATE);
      assertEquals(certificates.clientCertificate, received);
      assertEquals(certificates.clientCertificate, seen.get("loaded"));
    }
  }

  @Test
  void clientCertificateReachesSslClientCertificateOverHttp2() throws Exception {
    try (OwinServer server = start(ClientAuth.REQUIRED)) {
      Servers.get(client(certificates.clientWithCertificate, HttpClient.Version.HTTP_2), server.uri());

      assertEquals("HTTP/2.0", seen.get(OwinKeys.REQUEST_PROTOCOL));
      assertEquals(certificates.clientCertificate, seen.get(SslKeys.CLIENT_CERTIFICATE));
    }
  }

  @Test
  void requiredClientAuthRefusesTheHandshakeWithoutCertificate() {
    try (OwinServer server = start(ClientAuth.REQUIRED)) {
      assertThrows(
          IOException.class,
          () ->
              Servers.get(
                  client(certificates.clientWithoutCertificate, HttpClient.Version.HTTP_1_1),
                  server.uri()));
      assertNull(seen.get(OwinKeys.REQUEST_SCHEME), "the application never ran");
    }
  }

  @Test
  void requestedClientAuthAcceptsAClientWithoutCertificate() throws Exception {
    try (OwinServer server = start(ClientAuth.REQUESTED)) {
      int status =
          Servers.get(
                  client(certificates.clientWithoutCertificate, HttpClient.Version.HTTP_1_1),
                  server.uri())
              .statusCode();

      assertEquals(200, status);
      assertEquals(false, seen.get("has " + SslKeys.CLIENT_CERTIFICATE));
      assertFalse(seen.containsKey("loaded"));
    }
  }

  @Test
  void requestedClientAuthPassesACertificateOn() throws Exception {
    try (OwinServer server = start(ClientAuth.REQUESTED)) {
      Servers.get(
          client(certificates.clientWithCertificate, HttpClient.Version.HTTP_1_1), server.uri());

      assertEquals(certificates.clientCertificate, seen.get(SslKeys.CLIENT_CERTIFICATE));
    }
  }

  @Test
  void plainListenerHasNoSslKeys() throws Exception {
    try (OwinServer server =
        Servers.start(
            env -> {
              seen.put("keys", env.containsKey(SslKeys.LOAD_CLIENT_CERT_ASYNC));
              return done();
            })) {
      Servers.get(server, "/");

      assertEquals(false, seen.get("keys"));
    }
  }
}
