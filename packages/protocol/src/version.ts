/** The wire contract version this package implements (CONTRACT.md v1, with additions). */
export const PROTOCOL_VERSION = 1;
