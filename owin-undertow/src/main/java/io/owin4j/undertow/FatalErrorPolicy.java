package io.owin4j.undertow;

/**
 * What an {@link OwinServer} does when one of its own threads (network IO, accept, worker) dies of
 * an uncaught error, such as an {@link OutOfMemoryError}: a server whose accept or IO thread is gone
 * answers nothing while it keeps its port and connections, so it must not stay up as it is.
 */
public enum FatalErrorPolicy {
  /**
   * Logs the error and exits the process with status 70 (software error) so that a supervisor
   * restarts it; if the exit does not finish (a shutdown hook hangs) within 10 seconds, halts.
   * The default.
   */
  EXIT,

  /**
   * Logs the error and stops the server without waiting for requests in flight, leaving the
   * process running: for applications that host the server among other things and watch it.
   */
  STOP
}
