/**
 * permessage-deflate (RFC 7692) beneath Undertow's WebSocket channel: the negotiation, and the
 * extension function that compresses and inflates messages. Nothing here knows the OWIN layer above
 * the channel. Not an API: other modules must not use it.
 */
@NullMarked
package io.owin4j.undertow.internal.deflate;

import org.jspecify.annotations.NullMarked;
