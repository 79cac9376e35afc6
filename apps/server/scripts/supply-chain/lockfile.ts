/**
 * Which versions a pnpm-lock.yaml (v9) resolves: the keys of its top-level
 * `packages:` and `snapshots:` mappings, so every copy of a package counts,
 * direct or transitive.
 */
import { compare, valid } from 'semver';
import { parse } from 'yaml';

export interface Lockfile {
  /** As written, e.g. "9.0"; undefined when the file does not say. */
  lockfileVersion: string | undefined;
  /** Package name -> its resolved versions, deduplicated and sorted (non-semver ones last). */
  versions: Map<string, string[]>;
}

/** Splits a pnpm package key (`name@version(peer@x)(peer@y)`) into name and version. */
export function parsePackageKey(rawKey: string): { name: string; version: string } | null {
  let key = rawKey.trim();
  if (key.startsWith('/')) key = key.slice(1); // lockfile v6 style `/ws@8.0.0`, harmless for v9
  // The separator is the first '@' after the (optional) leading scope '@'.
  const at = key.indexOf('@', 1);
  if (at <= 0) return null;
  const name = key.slice(0, at);
  let version = key.slice(at + 1);
  const peers = version.indexOf('(');
  if (peers >= 0) version = version.slice(0, peers);
  if (name === '' || version === '') return null;
  return { name, version };
}

/** Semver precedence; versions that are not semver (git, tarball URLs) sort after those that are. */
export function compareVersions(a: string, b: string): number {
  const x = valid(a);
  const y = valid(b);
  if (x !== null && y !== null) return compare(x, y);
  if (x !== null) return -1;
  if (y !== null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The keys of a top-level mapping; a missing or empty (`{}`, null) section has none. */
function sectionKeys(lockfile: Record<string, unknown>, section: string): string[] {
  const value = lockfile[section];
  if (value === undefined || value === null) return [];
  if (!isMapping(value)) throw new Error(`\`${section}:\` is not a mapping`);
  return Object.keys(value);
}

/**
 * Reads a pnpm-lock.yaml text.
 * @throws when the text is not YAML, or not a mapping with mappings under `packages:`/`snapshots:`.
 */
export function readLockfile(text: string): Lockfile {
  const lockfile: unknown = parse(text);
  if (!isMapping(lockfile)) throw new Error('the lockfile is not a YAML mapping');
  const found = new Map<string, Set<string>>();
  for (const key of [...sectionKeys(lockfile, 'packages'), ...sectionKeys(lockfile, 'snapshots')]) {
    const parsed = parsePackageKey(key);
    if (parsed === null) continue;
    const versions = found.get(parsed.name) ?? new Set<string>();
    versions.add(parsed.version);
    found.set(parsed.name, versions);
  }
  const versions = new Map<string, string[]>();
  for (const [name, set] of found) versions.set(name, [...set].sort(compareVersions));
  const declared = lockfile['lockfileVersion'];
  return { lockfileVersion: declared === undefined ? undefined : String(declared), versions };
}

/** Every resolved version of every package in a pnpm-lock.yaml text (see readLockfile). */
export function resolvedVersions(lockfileText: string): Map<string, string[]> {
  return readLockfile(lockfileText).versions;
}
