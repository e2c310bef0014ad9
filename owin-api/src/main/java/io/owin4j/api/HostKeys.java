package io.owin4j.api;

/** The {@code host.*} keys of the startup properties, and the keys of one address entry. */
public final class HostKeys {
  private HostKeys() {}

  /** {@link CancellationToken}: fires when the host shuts down. */
  public static final String ON_APP_DISPOSING = "host.OnAppDisposing";

  /**
   * {@code List<Map<String, Object>>}: one map per listener with the {@link #ADDRESS_SCHEME},
   * {@link #ADDRESS_HOST}, {@link #ADDRESS_PORT} and {@link #ADDRESS_PATH} entries.
   */
  public static final String ADDRESSES = "host.Addresses";

  /** {@code String} in an address entry: {@code http} or {@code https}. */
  public static final String ADDRESS_SCHEME = "scheme";

  /** {@code String} in an address entry: the host name or IP address. */
  public static final String ADDRESS_HOST = "host";

  /** {@code String} in an address entry: the port, in decimal. */
  public static final String ADDRESS_PORT = "port";

  /** {@code String} in an address entry: the path base, empty at the root. */
  public static final String ADDRESS_PATH = "path";
}
