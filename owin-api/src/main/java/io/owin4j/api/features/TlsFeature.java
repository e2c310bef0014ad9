package io.owin4j.api.features;

import java.security.cert.X509Certificate;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** The client certificate of a TLS connection ({@code ssl.*} keys). */
public interface TlsFeature {
  /** The client certificate, or null when none is known (yet). */
  @Nullable X509Certificate clientCertificate();

  /** Sets the client certificate. */
  void setClientCertificate(@Nullable X509Certificate certificate);

  /**
   * Obtains the client certificate, asking the client for it if the host can renegotiate.
   *
   * @return a stage with the certificate, or null when the client has none
   */
  CompletionStage<@Nullable X509Certificate> loadClientCertificate();
}
