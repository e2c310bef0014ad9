package io.owin4j.undertow.internal;

import io.owin4j.api.features.AuthenticationFeature;
import io.owin4j.api.features.ConnectionFeature;
import io.owin4j.api.features.FeatureCollection;
import io.owin4j.api.features.OpaqueUpgradeFeature;
import io.owin4j.api.features.RequestFeature;
import io.owin4j.api.features.RequestIdentifierFeature;
import io.owin4j.api.features.RequestLifetimeFeature;
import io.owin4j.api.features.ResponseBodyFeature;
import io.owin4j.api.features.ResponseFeature;
import io.owin4j.api.features.SendFileFeature;
import io.owin4j.api.features.TlsFeature;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.features.DefaultAuthenticationFeature;
import io.owin4j.features.DefaultFeatureCollection;
import io.owin4j.features.DefaultRequestIdentifierFeature;
import io.owin4j.features.DefaultResponseBodyFeature;
import io.owin4j.features.DefaultTlsFeature;
import io.owin4j.core.OwinEnvironment;
import io.owin4j.features.ResponseBodyStream;
import io.owin4j.features.ResponseStarter;
import io.owin4j.api.features.ServerCapabilities;
import io.undertow.security.api.SecurityContext;
import io.undertow.security.idm.Account;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.SSLSessionInfo;
import java.security.Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The features of one exchange: each host feature has a slot and is made the first time someone
 * asks for it, so a request pays only for the features its application touches.
 *
 * <p>Setting a host feature's type replaces or (with null) removes it, as in any feature collection;
 * other types live in a plain collection made on first use. The revision moves on every set; making
 * a feature on demand does not move it, since the feature was there all along.
 *
 * <h2>Threading</h2>
 *
 * Not thread-safe, like every feature collection: the request's threads take turns.
 */
final class ExchangeFeatures implements FeatureCollection {
  // Most asked first: lookups compare identities in this order.
  private static final Class<?>[] SLOTS = {
    RequestFeature.class,
    ResponseFeature.class,
    ResponseBodyFeature.class,
    RequestLifetimeFeature.class,
    RequestIdentifierFeature.class,
    ConnectionFeature.class,
    AuthenticationFeature.class,
    SendFileFeature.class,
    TlsFeature.class,
    ServerCapabilities.class,
    WebSocketFeature.class,
    OpaqueUpgradeFeature.class,
    // Registered by the environment over the features (OwinEnvironment.of) on every request.
    OwinEnvironment.class,
  };

  private final HttpServerExchange exchange;
  private final HostSettings settings;
  private final ResponseStarter starter;
  private final ResponseSink sink;
  private final ExchangeLifetimeFeature lifetime;
  private final @Nullable Object[] made = new Object[SLOTS.length];
  // Bit i set: slot i was looked at (made, set or found absent), so it is never made again.
  private int settled;
  private @Nullable DefaultFeatureCollection others;
  private long revision;

  ExchangeFeatures(
      HttpServerExchange exchange,
      HostSettings settings,
      ResponseStarter starter,
      ResponseSink sink,
      ExchangeLifetimeFeature lifetime) {
    this.exchange = exchange;
    this.settings = settings;
    this.starter = starter;
    this.sink = sink;
    this.lifetime = lifetime;
  }

  @Override
  public <T> @Nullable T get(Class<T> type) {
    Objects.requireNonNull(type, "type");
    int slot = slotOf(type);
    if (slot < 0) {
      DefaultFeatureCollection more = others;
      return more == null ? null : more.get(type);
    }
    @SuppressWarnings("unchecked") // each slot holds an instance of its type
    T feature = (T) settle(slot);
    return feature;
  }

  @Override
  public <T> void set(Class<T> type, @Nullable T feature) {
    Objects.requireNonNull(type, "type");
    if (feature != null && !type.isInstance(feature)) {
      throw new IllegalArgumentException(
          "feature for "
              + type.getName()
              + " must be an instance of it, got "
              + feature.getClass().getName());
    }
    int slot = slotOf(type);
    if (slot < 0) {
      DefaultFeatureCollection more = others;
      if (more == null) {
        others = more = new DefaultFeatureCollection();
      }
      more.set(type, feature);
    } else {
      made[slot] = feature;
      settled |= 1 << slot;
    }
    revision++;
  }

  @Override
  public long revision() {
    return revision;
  }

  @Override
  public Iterator<Map.Entry<Class<?>, Object>> iterator() {
    List<Map.Entry<Class<?>, Object>> entries = new ArrayList<>(SLOTS.length);
    for (int slot = 0; slot < SLOTS.length; slot++) {
      Object feature = settle(slot);
      if (feature != null) {
        entries.add(Map.entry(SLOTS[slot], feature));
      }
    }
    if (others != null) {
      for (Map.Entry<Class<?>, Object> entry : others) {
        entries.add(entry);
      }
    }
    return entries.iterator();
  }

  private static int slotOf(Class<?> type) {
    for (int slot = 0; slot < SLOTS.length; slot++) {
      if (SLOTS[slot] == type) {
        return slot;
      }
    }
    return -1;
  }

  private @Nullable Object settle(int slot) {
    if ((settled & (1 << slot)) == 0) {
      made[slot] = make(slot);
      settled |= 1 << slot;
    }
    return made[slot];
  }

  /** The host's feature for a slot, or null when the host offers none for this request. */
  private @Nullable Object make(int slot) {
    return switch (slot) {
      case 0 -> new ExchangeRequestFeature(exchange, lifetime);
      case 1 -> new ExchangeResponseFeature(exchange, starter);
      case 2 -> new DefaultResponseBodyFeature(ResponseBodyStream.of(sink, starter), starter);
      case 3 -> lifetime;
      case 4 -> new DefaultRequestIdentifierFeature();
      case 5 ->
          new ExchangeConnectionFeature(exchange, ConnectionState.of(exchange.getConnection()));
      case 6 -> new DefaultAuthenticationFeature(principalOf(exchange));
      case 7 -> new ExchangeSendFileFeature(exchange, starter, sink, lifetime);
      case 8 -> tlsFeature();
      case 9 -> settings.capabilities();
      // Upgrades are offered by the call, which sets them when the request asks for one; the
      // environment registers itself.
      default -> null;
    };
  }

  private @Nullable TlsFeature tlsFeature() {
    SSLSessionInfo tls = exchange.getConnection().getSslSessionInfo();
    return tls == null ? null : new DefaultTlsFeature(clientCertificateOf(tls));
  }

  private static @Nullable Principal principalOf(HttpServerExchange exchange) {
    SecurityContext security = exchange.getSecurityContext();
    Account account = security == null ? null : security.getAuthenticatedAccount();
    return account == null ? null : account.getPrincipal();
  }

  private static @Nullable X509Certificate clientCertificateOf(SSLSessionInfo tls) {
    try {
      Certificate[] chain = tls.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
    } catch (javax.net.ssl.SSLPeerUnverifiedException
        | io.undertow.server.RenegotiationRequiredException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "ExchangeFeatures{" + exchange + "}";
  }
}
