package io.owin4j.api.features;

import java.security.Principal;
import org.jspecify.annotations.Nullable;

/** The authenticated user ({@code owin.RequestUser}, and {@code server.User} for OWIN 1.0). */
public interface AuthenticationFeature {
  /** The user, or null when the request is anonymous. */
  @Nullable Principal user();

  /** Sets the user; null makes the request anonymous. */
  void setUser(@Nullable Principal user);
}
