package io.owin4j.undertow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A certificate authority, a server certificate (for 127.0.0.1 and localhost) and a client
 * certificate, made once per test run with the JDK's {@code keytool}: no private key is checked in.
 *
 * <p>The JDK has no public API to build certificates, and every JDK ships keytool, so the tests
 * shell out to the one beside the running JVM.
 */
final class TestCertificates {
  /** The password of every key store and key made here. */
  static final char[] PASSWORD = "test-only".toCharArray();
  private static volatile TestCertificates instance;

  final SSLContext serverContext;
  final SSLContext clientWithCertificate;
  final SSLContext clientWithoutCertificate;
  final X509Certificate clientCertificate;
  /** The server's PKCS#12 key store file, protected by {@link #PASSWORD}. */
  final byte[] serverKeyStore;
  /** The server's certificate and then the CA's, as PEM. */
  final String serverChainPem;
  /** The server's private key as unencrypted PKCS#8 PEM. */
  final String serverKeyPem;

  private TestCertificates(Path dir) throws IOException, GeneralSecurityException {
    keytool(dir, "-genkeypair", "-alias", "ca", "-dname", "CN=Owin4J Test CA", "-ext", "bc:c",
        "-keystore", "ca.p12");
    keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
    issue(dir, "server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost", "EKU=serverAuth");
    issue(dir, "client", "CN=Owin4J Test Client", "EKU=clientAuth", null);

    X509Certificate ca = readCertificate(dir.resolve("ca.pem"));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    KeyStore server = load(dir.resolve("server.p12"));
    KeyStore client = load(dir.resolve("client.p12"));

    serverContext = context(server, trust);
    clientWithCertificate = context(client, trust);
    clientWithoutCertificate = context(null, trust);
    clientCertificate = (X509Certificate) client.getCertificate("client");
    serverKeyStore = Files.readAllBytes(dir.resolve("server.p12"));
    serverChainPem =
        Files.readString(dir.resolve("server.pem")) + "\n" + Files.readString(dir.resolve("ca.pem"));
    serverKeyPem =
        "-----BEGIN PRIVATE KEY-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(server.getKey("server", PASSWORD).getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
  }

  /**
   * Makes the certificates before a class's tests run, with {@code
   * @ExtendWith(TestCertificates.Made.class)}: an extension's callback is outside the tests'
   * {@code @Timeout}, so the first TLS test is not charged with about fifteen keytool runs, which
   * take long on a busy machine or a newer JDK.
   */
  static final class Made implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      get();
    }
  }

  /** The certificates of this test run, made on first use. */
  static TestCertificates get() {
    TestCertificates made = instance;
    if (made == null) {
      synchronized (TestCertificates.class) {
        made = instance;
        if (made == null) {
          Path dir = null;
          try {
            dir = Files.createTempDirectory("owin4j-tls");
            made = new TestCertificates(dir);
            instance = made;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
          } finally {
            deleteRecursively(dir);
          }
        }
      }
    }
    return made;
  }

  private static void issue(Path dir, String alias, String dname, String ext1, String ext2)
      throws IOException {
    String store = alias + ".p12";
    keytool(dir, "-genkeypair", "-alias", alias, "-dname", dname, "-keystore", store);
    keytool(dir, "-certreq", "-alias", alias, "-keystore", store, "-file", alias + ".csr");
    List<String> gencert =
        new ArrayList<>(
            List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-infile",
                alias + ".csr", "-outfile", alias + ".pem", "-validity", "2", "-ext", ext1));
    if (ext2 != null) {
      gencert.addAll(List.of("-ext", ext2));
    }
    keytool(dir, gencert.toArray(String[]::new));
    keytool(dir, "-importcert", "-noprompt", "-alias", "ca", "-keystore", store, "-file",
        "ca.pem");
    keytool(dir, "-importcert", "-alias", alias, "-keystore", store, "-file", alias + ".pem");
  }

  private static void keytool(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    // About fifteen short keytool runs make one set: a JVM tuned for start-up (C1 only, serial GC)
    // takes well under half the time, which keeps the first TLS test inside its timeout on a busy
    // machine and on newer JDKs, whose start-up is slower.
    command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-XX:-UsePerfData"));
    command.addAll(List.of(args));
    if (List.of(args).contains("-genkeypair")) {
      command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
    }
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool " + String.join(" ", args) + " failed:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    }
  }

  private static X509Certificate readCertificate(Path pem)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, PASSWORD);
    }
    return store;
  }

  private static SSLContext context(KeyStore keys, KeyStore trust)
      throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    if (keys != null) {
      kmf.init(keys, PASSWORD);
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    } else {
      context.init(null, tmf.getTrustManagers(), null);
    }
    return context;
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
