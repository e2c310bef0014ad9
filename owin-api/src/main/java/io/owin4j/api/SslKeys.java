package io.owin4j.api;

/** The {@code ssl.*} environment keys, present on TLS connections. */
public final class SslKeys {
  private SslKeys() {}

  /** {@code java.security.cert.X509Certificate}, optional: the client's certificate. */
  public static final String CLIENT_CERTIFICATE = "ssl.ClientCertificate";

  /**
   * {@code Supplier<CompletionStage<Void>>} (see {@link ClientCertificateLoader}): loads {@link
   * #CLIENT_CERTIFICATE} when the stage completes.
   */
  public static final String LOAD_CLIENT_CERT_ASYNC = "ssl.LoadClientCertAsync";
}
