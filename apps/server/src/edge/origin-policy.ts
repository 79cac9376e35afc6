/**
 * Which browser origins may use cookie authentication: the allowed list, plus the server's
 * own origin (the Origin whose host is the Host the request was sent to). Requests without
 * an Origin header are not cross-site browser requests. The opaque origin `null` never passes.
 * Bearer tokens and the handshake's auth.token are not subject to this check.
 */
export type OriginPolicy = (origin: string | undefined, host: string | undefined) => boolean;

export function createOriginPolicy(allowedOrigins: readonly string[]): OriginPolicy {
  const allowed = new Set(allowedOrigins);
  return (origin, host) => {
    if (origin === undefined) return true;
    if (allowed.has(origin)) return true;
    if (!host) return false;
    return origin === `http://${host}` || origin === `https://${host}`;
  };
}
