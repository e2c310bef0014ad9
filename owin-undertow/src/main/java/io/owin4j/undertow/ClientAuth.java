package io.owin4j.undertow;

/** Whether a TLS listener asks clients for a certificate. */
public enum ClientAuth {
  /** Never ask for a client certificate. */
  NONE,
  /** Ask for a certificate, but accept clients that send none. */
  REQUESTED,
  /** Require a certificate that the trust managers accept; refuse the handshake otherwise. */
  REQUIRED
}
