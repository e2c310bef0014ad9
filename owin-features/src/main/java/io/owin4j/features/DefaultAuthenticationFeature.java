package io.owin4j.features;

import io.owin4j.api.features.AuthenticationFeature;
import java.security.Principal;
import org.jspecify.annotations.Nullable;

/** An {@link AuthenticationFeature} held in a field; anonymous until set. Not thread-safe. */
public final class DefaultAuthenticationFeature implements AuthenticationFeature {
  private @Nullable Principal user;

  /** Creates an anonymous request's feature. */
  public DefaultAuthenticationFeature() {}

  /** Creates the feature for {@code user}; null for anonymous. */
  public DefaultAuthenticationFeature(@Nullable Principal user) {
    this.user = user;
  }

  @Override
  public @Nullable Principal user() {
    return user;
  }

  @Override
  public void setUser(@Nullable Principal user) {
    this.user = user;
  }

  @Override
  public String toString() {
    return "DefaultAuthenticationFeature{" + (user == null ? "anonymous" : user.getName()) + "}";
  }
}
