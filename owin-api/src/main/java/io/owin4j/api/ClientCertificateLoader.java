package io.owin4j.api;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The {@code ssl.LoadClientCertAsync} delegate: asks the host to obtain the client certificate.
 *
 * <p>When the returned stage completes, {@code ssl.ClientCertificate} holds the certificate, or is
 * absent when the client has none. The key's value may be any {@code Supplier<CompletionStage<Void>>}
 * from a host that does not know this type.
 */
@FunctionalInterface
public interface ClientCertificateLoader extends Supplier<CompletionStage<Void>> {
  /** Starts loading the client certificate; the stage completes when it is known. */
  @Override
  CompletionStage<Void> get();
}
