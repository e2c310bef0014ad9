package io.owin4j.api;

/** The token behind {@link CancellationToken#NONE}. */
enum NeverCancelled implements CancellationToken {
  INSTANCE;

  @Override
  public boolean isCancellationRequested() {
    return false;
  }

  @Override
  public boolean canBeCancelled() {
    return false;
  }

  @Override
  public Registration register(Runnable callback) {
    java.util.Objects.requireNonNull(callback, "callback");
    return Registration.EMPTY;
  }

  @Override
  public String toString() {
    return "CancellationToken.NONE";
  }
}
