/**
 * The extension delegates: WebSocket v0.4.0, SendFile v0.3.0 and opaque streams v0.3.0, as
 * functional interfaces that hosts put in the environment.
 *
 * <p>Every asynchronous delegate follows one contract: the returned stage completes exactly once,
 * possibly on another thread; a synchronous throw and a failed stage mean the same; bad arguments
 * fail before anything is sent.
 */
@NullMarked
package io.owin4j.api.ext;

import org.jspecify.annotations.NullMarked;
