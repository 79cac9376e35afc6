/**
 * Which proxies in front of Parley to believe (TRUSTED_PROXY_HOPS): that many hops, counted from
 * the connection's own peer, or 'loopback': one hop, and only when the peer is on this machine.
 */
export type TrustedProxies = number | 'loopback';

/**
 * Whether hop `hop` of a request's chain (0 is the peer that connected, 1 the address it put last
 * in X-Forwarded-For, ...) is a proxy we trust. Express gets the same predicate as `trust proxy`,
 * so `req.secure` (X-Forwarded-Proto) follows the same rule as the address.
 */
export function trustsProxyHop(trusted: TrustedProxies): (address: string, hop: number) => boolean {
  if (trusted === 'loopback') return (address, hop) => hop === 0 && isLoopback(address);
  return (_address, hop) => hop < trusted;
}

/**
 * The client's address, for every per-address limit whatever the transport: walk back from the
 * peer through the trusted proxies and take the first address none of them vouches past. Each
 * proxy appends what it saw, so only the entries it wrote can be believed; anything to the left of
 * them is whatever the client chose to send.
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): string {
  const chain = [peer ?? 'unknown', ...forwardedEntries(forwardedFor).reverse()];
  const trust = trustsProxyHop(trusted);
  let hop = 0;
  while (hop < chain.length - 1 && trust(chain[hop]!, hop)) hop += 1;
  return withoutIpv4Mapping(chain[hop]!);
}

function forwardedEntries(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '');
  return joined
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** `::ffff:198.51.100.7` (IPv4 on a dual-stack socket) and `198.51.100.7` are one client. */
function withoutIpv4Mapping(address: string): string {
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
}
