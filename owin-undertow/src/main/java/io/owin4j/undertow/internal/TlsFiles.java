package io.owin4j.undertow.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Makes a server {@link SSLContext} from files, with the JDK alone: a PEM certificate chain and a
 * PEM PKCS#8 private key (RSA, EC, Ed25519 or Ed448), or a PKCS#12 or JKS key store.
 */
public final class TlsFiles {
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS");

  private TlsFiles() {}

  /**
   * A context serving the chain in {@code certificateChainPem} (the server's certificate first)
   * with the key in {@code privateKeyPem}.
   *
   * @throws IllegalArgumentException naming the file when it holds no certificate or no
   *     unencrypted PKCS#8 key
   * @throws UncheckedIOException if a file cannot be read
   */
  public static SSLContext fromPem(Path certificateChainPem, Path privateKeyPem) {
    Certificate[] chain = certificates(certificateChainPem);
    PrivateKey key = privateKey(privateKeyPem);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("server", key, password, chain);
      return context(store, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "the key in " + privateKeyPem + " does not fit the certificate in " + certificateChainPem
              + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * A context serving the key entry of the PKCS#12 or JKS key store at {@code keyStore}, whose
   * store and key share {@code password}.
   *
   * @throws IllegalArgumentException naming the file when it is no key store or the password is
   *     wrong
   * @throws UncheckedIOException if the file cannot be read
   */
  public static SSLContext fromKeyStore(Path keyStore, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance(keyStore.toFile(), password);
      return context(store, password);
    } catch (IOException e) {
      if (!Files.isReadable(keyStore)) {
        throw new UncheckedIOException("cannot read the key store " + keyStore, e);
      }
      throw new IllegalArgumentException(
          "key store " + keyStore + " cannot be opened (wrong password, or not PKCS#12 or JKS): "
              + e.getMessage(),
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "key store " + keyStore + " cannot be used: " + e.getMessage(), e);
    }
  }

  private static SSLContext context(KeyStore store, char[] password)
      throws GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static Certificate[] certificates(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Certificate[] chain =
          CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
      if (chain.length == 0) {
        throw new IllegalArgumentException(
            "certificate chain " + pem + " must hold PEM certificates, got none");
      }
      return chain;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the certificate chain " + pem, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "certificate chain " + pem + " must hold PEM certificates: " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path pem) {
    String text;
    try {
      text = Files.readString(pem, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the private key " + pem, e);
    }
    int begin = text.indexOf(PKCS8_BEGIN);
    int end = text.indexOf(PKCS8_END);
    if (begin < 0 || end < begin) {
      String found =
          text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")
              ? "an encrypted key"
              : text.contains("-----BEGIN RSA PRIVATE KEY-----")
                      || text.contains("-----BEGIN EC PRIVATE KEY-----")
                  ? "a PKCS#1 or SEC1 key"
                  : "no key";
      throw new IllegalArgumentException(
          "private key "
              + pem
              + " must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY), got "
              + found
              + "; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    byte[] der =
        Base64.getMimeDecoder().decode(text.substring(begin + PKCS8_BEGIN.length(), end));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    try {
      for (String algorithm : KEY_ALGORITHMS) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(spec);
        } catch (GeneralSecurityException wrongAlgorithm) {
          // try the next
        }
      }
    } finally {
      Arrays.fill(der, (byte) 0);
    }
    throw new IllegalArgumentException(
        "private key " + pem + " must be an RSA, EC, Ed25519 or Ed448 PKCS#8 key, got another");
  }
}
