package io.owin4j.undertow;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.owin4j.api.AppFunc;
import io.owin4j.api.OwinKeys;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TLS from PEM files and from a key store file, with certificates made for this test run. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(TestCertificates.Made.class)
class TlsFilesTest {
  private static final AppFunc SCHEME =
      env -> {
        Servers.write(env, (String) env.get(OwinKeys.REQUEST_SCHEME));
        return CompletableFuture.completedFuture(null);
      };

  private final TestCertificates certificates = TestCertificates.get();
  private final HttpClient client =
      HttpClient.newBuilder().sslContext(certificates.clientWithoutCertificate).build();

  @TempDir Path dir;

  @Test
  void servesTlsFromPemCertificateChainAndPkcs8Key() throws Exception {
    Path chain = Files.writeString(dir.resolve("chain.pem"), certificates.serverChainPem, US_ASCII);
    Path key = Files.writeString(dir.resolve("key.pem"), certificates.serverKeyPem, US_ASCII);

    try (OwinServer server = Servers.start(SCHEME, builder -> builder.tls(chain, key))) {
      HttpResponse<String> response = Servers.get(client, server.uri());

      assertEquals("https", server.uri().getScheme());
      assertEquals("https", response.body());
    }
  }

  @Test
  void servesTlsFromPemFilesNamedInTheEnvironment() throws Exception {
    Path chain = Files.writeString(dir.resolve("chain.pem"), certificates.serverChainPem, US_ASCII);
    Path key = Files.writeString(dir.resolve("key.pem"), certificates.serverKeyPem, US_ASCII);

    try (OwinServer server =
        Servers.start(
            SCHEME,
            builder ->
                builder.environment(
                    Map.of("OWIN4J_TLS_CERT", chain.toString(), "OWIN4J_TLS_KEY", key.toString())))) {
      assertEquals("https", Servers.get(client, server.uri()).body());
    }
  }

  @Test
  void servesTlsFromAKeyStoreFile() throws Exception {
    Path store = Files.write(dir.resolve("server.p12"), certificates.serverKeyStore);

    try (OwinServer server =
        Servers.start(SCHEME, builder -> builder.tls(store, TestCertificates.PASSWORD))) {
      assertEquals("https", Servers.get(client, server.uri()).body());
    }
  }

  @Test
  void wrongKeyStorePasswordNamesTheFile() throws Exception {
    Path store = Files.write(dir.resolve("server.p12"), certificates.serverKeyStore);

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OwinServer.builder().tls(store, "wrong".toCharArray()));
    assertTrue(e.getMessage().startsWith("key store " + store + " cannot be opened"), e.getMessage());
  }

  @Test
  void pkcs1KeyIsRefusedWithTheConversionCommand() throws Exception {
    Path chain = Files.writeString(dir.resolve("chain.pem"), certificates.serverChainPem, US_ASCII);
    Path key =
        Files.writeString(
            dir.resolve("rsa.pem"),
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
            US_ASCII);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OwinServer.builder().tls(chain, key));
    assertEquals(
        "private key "
            + key
            + " must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY), got a PKCS#1 or SEC1"
            + " key; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8",
        e.getMessage());
  }

  @Test
  void fileWithoutCertificatesIsRefused() throws Exception {
    Path chain = Files.writeString(dir.resolve("empty.pem"), "", US_ASCII);
    Path key = Files.writeString(dir.resolve("key.pem"), certificates.serverKeyPem, US_ASCII);

    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OwinServer.builder().tls(chain, key));
    assertTrue(e.getMessage().startsWith("certificate chain " + chain), e.getMessage());
  }
}
