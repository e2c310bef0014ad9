package io.owin4j.features;

import io.owin4j.api.features.TlsFeature;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TlsFeature} holding the client certificate the handshake produced, and optionally a way
 * to ask the client for one later (renegotiation).
 *
 * <p>{@link #loadClientCertificate()} answers a known certificate at once; otherwise it asks the
 * loader, remembers what it gives, and answers that; without a loader it answers null. The
 * certificate may be read from any thread once loaded.
 */
public final class DefaultTlsFeature implements TlsFeature {
  private final @Nullable Supplier<? extends CompletionStage<@Nullable X509Certificate>> loader;
  private volatile @Nullable X509Certificate certificate;

  /** Creates the feature with what the handshake produced; null when the client sent none. */
  public DefaultTlsFeature(@Nullable X509Certificate certificate) {
    this.certificate = certificate;
    this.loader = null;
  }

  /**
   * Creates the feature with what the handshake produced and a loader that obtains a certificate
   * later.
   *
   * @param loader called at most once per {@link #loadClientCertificate()} while no certificate is
   *     known; its stage gives the certificate or null
   */
  public DefaultTlsFeature(
      @Nullable X509Certificate certificate,
      Supplier<? extends CompletionStage<@Nullable X509Certificate>> loader) {
    this.certificate = certificate;
    this.loader = Objects.requireNonNull(loader, "loader");
  }

  @Override
  public @Nullable X509Certificate clientCertificate() {
    return certificate;
  }

  @Override
  public void setClientCertificate(@Nullable X509Certificate certificate) {
    this.certificate = certificate;
  }

  @Override
  public CompletionStage<@Nullable X509Certificate> loadClientCertificate() {
    X509Certificate known = certificate;
    if (known != null || loader == null) {
      return CompletableFuture.completedFuture(known);
    }
    CompletionStage<@Nullable X509Certificate> loading =
        Objects.requireNonNull(loader.get(), "the client certificate loader returned null");
    return loading.thenApply(
        loaded -> {
          if (loaded != null) {
            certificate = loaded;
          }
          return loaded;
        });
  }

  @Override
  public String toString() {
    X509Certificate known = certificate;
    return "DefaultTlsFeature{"
        + (known == null ? "no client certificate" : known.getSubjectX500Principal())
        + "}";
  }
}
