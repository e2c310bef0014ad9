/**
 * WebSockets at the message level, over the typed {@link io.owin4j.api.features.WebSocketFeature},
 * so they run on every host.
 *
 * <p>{@link io.owin4j.middleware.websocket.WebSocketEndpoint} accepts the handshake and calls
 * handlers for open, whole text and binary messages, close and errors; a {@link
 * io.owin4j.middleware.websocket.WebSocketSession} sends from any thread through a bounded queue;
 * a {@link io.owin4j.middleware.websocket.WebSocketGroup} broadcasts to its open members.
 */
@NullMarked
package io.owin4j.middleware.websocket;

import org.jspecify.annotations.NullMarked;
