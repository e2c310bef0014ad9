/**
 * Hosts Owin4J pipelines on Undertow: {@link io.owin4j.undertow.OwinServer} runs a standalone
 * server (HTTP/1.1, HTTP/2, TLS with client certificates, graceful stop), and {@link
 * io.owin4j.undertow.OwinHttpHandler} runs a pipeline inside an existing Undertow handler chain.
 * Both offer the WebSocket, sendfile and opaque stream extensions, as OWIN delegates and as typed
 * features.
 *
 * <h2>Threading</h2>
 *
 * Undertow's IO threads are never blocked. By default ({@link io.owin4j.undertow.Dispatch#WORKER})
 * every request runs on a worker executor, where the blocking {@code InputStream} and {@code
 * OutputStream} bodies may be used freely. Applications that never block choose {@link
 * io.owin4j.undertow.Dispatch#IO_THREAD} and run on the IO thread without a thread hop; they read
 * and write through {@link io.owin4j.api.io.AsyncReadable} and {@link io.owin4j.api.io.AsyncWritable}.
 * Whatever the mode, the application's stage may complete on any thread, and the exchange ends then.
 */
@NullMarked
package io.owin4j.undertow;

import org.jspecify.annotations.NullMarked;
