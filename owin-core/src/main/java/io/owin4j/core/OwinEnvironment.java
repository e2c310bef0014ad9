package io.owin4j.core;

import io.owin4j.api.CancellationToken;
import io.owin4j.api.FeatureKeys;
import io.owin4j.api.ClientCertificateLoader;
import io.owin4j.api.OnSendingHeaders;
import io.owin4j.api.ext.SendFileAsync;
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
import io.owin4j.api.features.ServerCapabilities;
import io.owin4j.api.features.TlsFeature;
import io.owin4j.api.features.WebSocketFeature;
import io.owin4j.features.DefaultAuthenticationFeature;
import java.security.cert.X509Certificate;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The OWIN environment of a request, as a live {@code Map} over its typed features.
 *
 * <p>Every well-known key of {@code OwinKeys}, {@code ServerKeys}, {@code SslKeys}, {@code
 * SendFileKeys} and the request-level {@code websocket.Accept} and {@code opaque.Upgrade} is a view:
 * reading {@code owin.RequestPath} asks the {@link RequestFeature}, putting {@code
 * owin.ResponseStatusCode} sets it on the {@link ResponseFeature}. A key whose feature is missing is
 * absent. {@code owin.Version} and {@code owin.CallCancelled} are present even without features
 * ({@link CancellationToken#NONE} without a {@link RequestLifetimeFeature}), unless removed, and so
 * is {@link FeatureKeys#FEATURES owin4j.Features}, the feature collection itself. Other keys live in
 * a side map made on first use.
 *
 * <h2>One environment per request</h2>
 *
 * {@link #of} is the only way to get one. It registers the environment in its collection under
 * {@code OwinEnvironment.class}, so every later call, in any number of round trips between the two
 * directions, gives back the same map with the same side entries; a collection that came from a
 * map gives that map back.
 *
 * <h2>Mapping</h2>
 *
 * <ul>
 *   <li>{@code owin.RequestQueryString} is the typed query string without its {@code ?}.
 *   <li>{@code server.RemotePort} and {@code server.LocalPort} are decimal strings of the typed
 *       ports; {@code server.IsLocal} is a {@code Boolean}.
 *   <li>{@code owin.RequestUser} and {@code server.User} both show the {@link
 *       AuthenticationFeature}'s user. Putting either without that feature makes a {@link
 *       DefaultAuthenticationFeature} and sets it in the collection (as ASP.NET Core makes its user
 *       on demand), so typed code sees the user and both keys always agree.
 *   <li>{@code owin4j.Features} is the collection this environment shows; putting it back is
 *       allowed, putting another fails with {@link IllegalArgumentException}.
 *   <li>{@code server.OnSendingHeaders} registers through {@link ResponseFeature#onStarting}; {@code
 *       owin.ResponseBody} is the {@link ResponseBodyFeature}'s stream; {@code sendfile.SendAsync}
 *       calls the {@link SendFileFeature}; {@code ssl.*} come from the {@link TlsFeature}, and
 *       {@code ssl.LoadClientCertAsync} leaves the loaded certificate under {@code
 *       ssl.ClientCertificate}; {@code server.Capabilities} is the {@link ServerCapabilities}
 *       feature's map.
 * </ul>
 *
 * <h2>Writing</h2>
 *
 * Putting a well-known key checks the value's type, then sets it on the feature. A value of the
 * wrong type fails with {@link IllegalArgumentException} naming the key, the rule and the value,
 * such as {@code owin.ResponseStatusCode must be an Integer in [100, 999], got String "200"}. Keys
 * without a setter ({@code owin.Version}, {@code server.OnSendingHeaders}, {@code websocket.Accept}
 * and the other delegates), and keys whose feature is missing, keep the value as an override that
 * shadows the view; this is how middleware wraps a delegate. Putting null under an optional key
 * removes it; under a required key (the {@code owin.*} keys OWIN requires) it fails with {@link
 * NullPointerException}. Other keys reject null values too, and null keys always.
 *
 * <p>Removing a key leaves it absent, as the {@code Map} contract says. An optional value is cleared
 * in its feature (the status goes back to 200, the reason phrase to null); a key the features
 * cannot clear is hidden from this map until it is put again, while typed code still sees the
 * feature's value.
 *
 * <h2>Performance and threading</h2>
 *
 * Every read of a well-known key asks the collection for its feature (hosts' collections answer
 * from a slot, without a map); reading or writing a well-known key allocates nothing beyond the
 * value itself (port strings, the query string without its mark, which is cached). {@link #size()} and iteration visit every well-known key. Not
 * thread-safe, like the feature collection under it.
 */
public final class OwinEnvironment extends AbstractMap<String, Object> {
  /** Marks a well-known key removed from this map. */
  private static final Object REMOVED = new Object();

  private final FeatureCollection features;

  /** Per well-known key: null (the view), REMOVED, or an override value. Made on first use. */
  private @Nullable Object @Nullable [] overrides;

  private @Nullable Map<String, Object> extra;
  private @Nullable Set<Map.Entry<String, Object>> entrySet;

  private @Nullable String typedQuery;
  private String rawQuery = "";

  private @Nullable OnSendingHeaders onSendingHeaders;
  private @Nullable ClientCertificateLoader clientCertificateLoader;
  private @Nullable SendFileAsync sendFileDelegate;

  // Not public: of() is the only way in, so no caller can wrap a collection twice.
  OwinEnvironment(FeatureCollection features) {
    this.features = Objects.requireNonNull(features, "features");
  }

  /**
   * Returns the environment of {@code features}, the same map for the whole request however many
   * times it is asked for.
   *
   * <p>When {@code features} is an {@link OwinFeatureCollection}, that is the plain map under it.
   * Otherwise it is the {@code OwinEnvironment} registered in {@code features} under {@code
   * OwinEnvironment.class}, made and registered on the first call (so the collection's revision
   * moves once). A read-only collection, which refuses the registration, gets a new environment on
   * every call.
   */
  public static Map<String, Object> of(FeatureCollection features) {
    Objects.requireNonNull(features, "features");
    if (features instanceof OwinFeatureCollection collection) {
      return collection.environment();
    }
    OwinEnvironment known = features.get(OwinEnvironment.class);
    if (known != null && known.features == features) {
      return known;
    }
    OwinEnvironment created = new OwinEnvironment(features);
    try {
      features.set(OwinEnvironment.class, created);
    } catch (UnsupportedOperationException readOnly) {
      // Nowhere to keep it: the caller still gets a correct view, only not a shared one.
    }
    return created;
  }

  /** The feature collection this environment shows. */
  public FeatureCollection features() {
    return features;
  }

  @Override
  public @Nullable Object get(@Nullable Object key) {
    EnvironmentKey known = EnvironmentKey.of(key);
    if (known != null) {
      return lookup(known);
    }
    Map<String, Object> side = extra;
    return side == null ? null : side.get(key);
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    EnvironmentKey known = EnvironmentKey.of(key);
    if (known != null) {
      return lookup(known) != null;
    }
    Map<String, Object> side = extra;
    return side != null && side.containsKey(key);
  }

  /**
   * Puts {@code value} under {@code key}; see the class documentation for well-known keys.
   *
   * @return the previous value, or null when the key was absent
   * @throws NullPointerException if {@code key} is null, or {@code value} is null for a key that is
   *     not an optional well-known one
   * @throws IllegalArgumentException if {@code value} breaks a well-known key's rule
   * @throws IllegalStateException if the feature refuses the change (such as a status set after the
   *     response started)
   */
  @Override
  public @Nullable Object put(String key, @Nullable Object value) {
    Objects.requireNonNull(key, "key");
    EnvironmentKey known = EnvironmentKey.of(key);
    if (known == null) {
      if (value == null) {
        throw new NullPointerException(
            "value of " + key + " must not be null; remove the key instead");
      }
      Map<String, Object> side = extra;
      if (side == null) {
        side = new LinkedHashMap<>();
        extra = side;
      }
      return side.put(key, value);
    }
    if (value == null) {
      if (known.required) {
        throw new NullPointerException(key + " is required and must not be null");
      }
      return remove(key);
    }
    Object checked = known.check(value);
    Object previous = lookup(known);
    Object override = known.write(this, checked) ? null : checked;
    setOverride(known, override);
    EnvironmentKey twin = known.twin();
    if (twin != null) {
      setOverride(twin, override);
    }
    return previous;
  }

  /**
   * Removes {@code key}; afterwards it is absent. See the class documentation for well-known keys.
   *
   * @return the removed value, or null when the key was absent
   */
  @Override
  public @Nullable Object remove(@Nullable Object key) {
    EnvironmentKey known = EnvironmentKey.of(key);
    if (known == null) {
      Map<String, Object> side = extra;
      return side == null ? null : side.remove(key);
    }
    Object previous = lookup(known);
    if (previous == null) {
      return null;
    }
    if (override(known) == null) {
      known.clear(this);
    }
    hide(known);
    EnvironmentKey twin = known.twin();
    if (twin != null) {
      hide(twin);
    }
    return previous;
  }

  @Override
  public int size() {
    int size = 0;
    for (EnvironmentKey known : EnvironmentKey.all()) {
      if (lookup(known) != null) {
        size++;
      }
    }
    Map<String, Object> side = extra;
    return side == null ? size : size + side.size();
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public void clear() {
    for (EnvironmentKey known : EnvironmentKey.all()) {
      remove(known.key);
    }
    Map<String, Object> side = extra;
    if (side != null) {
      side.clear();
    }
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    Set<Map.Entry<String, Object>> view = entrySet;
    return view != null ? view : (entrySet = new EntrySet());
  }

  /** Drops an override of {@code known} and hides the view when the features still show it. */
  private void hide(EnvironmentKey known) {
    setOverride(known, null);
    if (known.view(this) != null) {
      setOverride(known, REMOVED);
    }
  }

  private @Nullable Object lookup(EnvironmentKey known) {
    Object override = override(known);
    if (override != null) {
      return override == REMOVED ? null : override;
    }
    return known.view(this);
  }

  private @Nullable Object override(EnvironmentKey known) {
    Object[] slots = overrides;
    return slots == null ? null : slots[known.ordinal()];
  }

  private void setOverride(EnvironmentKey known, @Nullable Object value) {
    Object[] slots = overrides;
    if (slots == null) {
      if (value == null) {
        return;
      }
      slots = new Object[EnvironmentKey.all().length];
      overrides = slots;
    }
    slots[known.ordinal()] = value;
  }

  // Typed features, asked of the collection each time, so every read is live.

  @Nullable RequestFeature request() {
    return features.get(RequestFeature.class);
  }

  @Nullable ResponseFeature response() {
    return features.get(ResponseFeature.class);
  }

  @Nullable ResponseBodyFeature responseBody() {
    return features.get(ResponseBodyFeature.class);
  }

  @Nullable ConnectionFeature connection() {
    return features.get(ConnectionFeature.class);
  }

  @Nullable TlsFeature tls() {
    return features.get(TlsFeature.class);
  }

  @Nullable RequestIdentifierFeature requestIdentifier() {
    return features.get(RequestIdentifierFeature.class);
  }

  @Nullable RequestLifetimeFeature lifetime() {
    return features.get(RequestLifetimeFeature.class);
  }

  @Nullable AuthenticationFeature authentication() {
    return features.get(AuthenticationFeature.class);
  }

  /**
   * The authentication feature, made and set on demand when the features have none, as ASP.NET
   * Core makes its user on demand; null only when the collection is read-only.
   */
  @Nullable AuthenticationFeature authenticationOnDemand() {
    AuthenticationFeature authentication = authentication();
    if (authentication != null) {
      return authentication;
    }
    AuthenticationFeature made = new DefaultAuthenticationFeature();
    try {
      features.set(AuthenticationFeature.class, made);
    } catch (UnsupportedOperationException readOnly) {
      return null;
    }
    return made;
  }

  @Nullable SendFileFeature sendFile() {
    return features.get(SendFileFeature.class);
  }

  @Nullable WebSocketFeature webSocket() {
    return features.get(WebSocketFeature.class);
  }

  @Nullable OpaqueUpgradeFeature opaqueUpgrade() {
    return features.get(OpaqueUpgradeFeature.class);
  }

  @Nullable ServerCapabilities capabilities() {
    return features.get(ServerCapabilities.class);
  }

  // Values derived from features, cached so repeated reads do not allocate.

  /** The typed query string without its leading mark; null without a request feature. */
  @Nullable String queryStringWithoutMark() {
    RequestFeature request = request();
    if (request == null) {
      return null;
    }
    String typed = request.queryString();
    if (typed != typedQuery) {
      typedQuery = typed;
      rawQuery = typed.startsWith("?") ? typed.substring(1) : typed;
    }
    return rawQuery;
  }

  /** The {@code server.OnSendingHeaders} delegate over the response feature. */
  OnSendingHeaders onSendingHeaders() {
    OnSendingHeaders delegate = onSendingHeaders;
    return delegate != null ? delegate : (onSendingHeaders = this::registerOnSendingHeaders);
  }

  /** The {@code ssl.LoadClientCertAsync} delegate over the TLS feature. */
  ClientCertificateLoader clientCertificateLoader() {
    ClientCertificateLoader delegate = clientCertificateLoader;
    return delegate != null ? delegate : (clientCertificateLoader = this::loadClientCertificate);
  }

  /** The {@code sendfile.SendAsync} delegate over the sendfile feature. */
  SendFileAsync sendFileDelegate() {
    SendFileAsync delegate = sendFileDelegate;
    return delegate != null ? delegate : (sendFileDelegate = this::sendFileThroughFeature);
  }

  private void registerOnSendingHeaders(Consumer<Object> callback, Object state) {
    Objects.requireNonNull(callback, "callback");
    require(response(), ResponseFeature.class).onStarting(() -> callback.accept(state));
  }

  private CompletionStage<Void> loadClientCertificate() {
    TlsFeature tls = require(tls(), TlsFeature.class);
    return tls.loadClientCertificate()
        .thenApply(
            (@Nullable X509Certificate certificate) -> {
              // A TLS feature that only returns the certificate still must show it under the key.
              if (certificate != null && tls.clientCertificate() == null) {
                tls.setClientCertificate(certificate);
              }
              return null;
            });
  }

  private CompletionStage<Void> sendFileThroughFeature(
      String path, long offset, @Nullable Long count, CancellationToken cancel) {
    return require(sendFile(), SendFileFeature.class).sendFile(path, offset, count, cancel);
  }

  private static <T> T require(@Nullable T feature, Class<T> type) {
    if (feature == null) {
      throw new IllegalStateException(
          "feature " + type.getSimpleName() + " was removed from this request's features");
    }
    return feature;
  }

  /** The entries: present well-known keys in table order, then the side map in insertion order. */
  private final class EntrySet extends AbstractSet<Map.Entry<String, Object>> {
    @Override
    public Iterator<Map.Entry<String, Object>> iterator() {
      return new EntryIterator();
    }

    @Override
    public int size() {
      return OwinEnvironment.this.size();
    }

    @Override
    public boolean contains(@Nullable Object o) {
      if (!(o instanceof Map.Entry<?, ?> entry)) {
        return false;
      }
      Object value = get(entry.getKey());
      return value != null && value.equals(entry.getValue());
    }

    @Override
    public boolean remove(@Nullable Object o) {
      if (contains(o)) {
        OwinEnvironment.this.remove(((Map.Entry<?, ?>) Objects.requireNonNull(o)).getKey());
        return true;
      }
      return false;
    }

    @Override
    public void clear() {
      OwinEnvironment.this.clear();
    }
  }

  private final class EntryIterator implements Iterator<Map.Entry<String, Object>> {
    private int nextKnown;
    private @Nullable Entry prefetched;
    private @Nullable Iterator<Map.Entry<String, Object>> sideIterator;
    private @Nullable String lastKey;
    private boolean lastFromSide;

    @Override
    public boolean hasNext() {
      if (prefetched != null) {
        return true;
      }
      EnvironmentKey[] all = EnvironmentKey.all();
      while (nextKnown < all.length) {
        EnvironmentKey known = all[nextKnown++];
        Object value = lookup(known);
        if (value != null) {
          prefetched = new Entry(known.key, value);
          return true;
        }
      }
      if (sideIterator == null) {
        Map<String, Object> side = extra;
        if (side == null) {
          return false;
        }
        sideIterator = side.entrySet().iterator();
      }
      return sideIterator.hasNext();
    }

    @Override
    public Map.Entry<String, Object> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Entry entry = prefetched;
      if (entry != null) {
        prefetched = null;
        lastFromSide = false;
      } else {
        Map.Entry<String, Object> side = Objects.requireNonNull(sideIterator).next();
        entry = new Entry(side.getKey(), side.getValue());
        lastFromSide = true;
      }
      lastKey = entry.getKey();
      return entry;
    }

    @Override
    public void remove() {
      String key = lastKey;
      if (key == null) {
        throw new IllegalStateException("next() was not called, or remove() was already called");
      }
      if (lastFromSide) {
        Objects.requireNonNull(sideIterator).remove();
      } else {
        OwinEnvironment.this.remove(key);
      }
      lastKey = null;
    }
  }

  /** An entry whose {@code setValue} puts into the environment, with all of put's checks. */
  private final class Entry extends AbstractMap.SimpleEntry<String, Object> {
    Entry(String key, Object value) {
      super(key, value);
    }

    @Override
    public Object setValue(Object value) {
      Objects.requireNonNull(value, () -> "value of " + getKey() + " must not be null");
      put(getKey(), value);
      return super.setValue(value);
    }
  }
}
