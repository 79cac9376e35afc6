/**
 * The wire contract version this package implements (CONTRACT.md v2, with additions). Clients send
 * it in the handshake (`auth.protocol`); a client that sends none speaks v1.
 */
export const PROTOCOL_VERSION = 2;

/** The protocol versions this server speaks: v2 is additive, so v1 clients (bots, old tabs) keep working. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1, 2];
