/**
 * Supply-chain check for the realtime stack: fails when `ws`, `engine.io`,
 * `socket.io-parser` or `socket.io` resolve anywhere in pnpm-lock.yaml
 * (direct or transitive copies) below the release that fixes a known CVE.
 *
 *   tsx scripts/check-supply-chain.ts [path/to/pnpm-lock.yaml] [--no-audit]
 *
 * Exit codes: 0 all resolved versions are patched (and `pnpm audit` passed or
 * could not reach its advisory service); 1 a vulnerable version is resolved or
 * `pnpm audit` reported a problem; 2 the lockfile could not be read or parsed.
 *
 * The advisory table is the part that works offline: `pnpm audit` needs the
 * registry's advisory endpoint, which is not always reachable (it answers
 * HTTP 405 in some sandboxes), so the table must be kept current by hand when
 * a new advisory is published for one of these four packages.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------
// Lockfile parsing
// ---------------------------------------------------------------------------

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

/** The key of a two-space-indented YAML mapping line, with quotes removed. */
function entryKey(line: string): string | null {
  const body = line.slice(2).trimEnd();
  if (body === '' || body.startsWith('#')) return null;
  const quote = body[0];
  if (quote === "'" || quote === '"') {
    const end = body.indexOf(quote, 1);
    if (end < 0) return null;
    const inner = body.slice(1, end);
    return quote === "'" ? inner.replaceAll("''", "'") : inner;
  }
  // Plain key: `ws@8.21.3:` or `chai@6.3.0: {}`. Plain scalars may contain ':'
  // (tarball URLs), so cut at the first ': ' or at the trailing ':'.
  const sep = body.indexOf(': ');
  if (sep >= 0) return body.slice(0, sep);
  return body.endsWith(':') ? body.slice(0, -1) : null;
}

/**
 * Every resolved version of every package in a pnpm-lock.yaml (v9) text, read
 * from the keys of the top-level `packages:` and `snapshots:` mappings.
 * Versions are deduplicated and sorted (unparseable versions last).
 */
export function resolvedVersions(lockfileText: string): Map<string, string[]> {
  const found = new Map<string, Set<string>>();
  let inSection = false;
  for (const line of lockfileText.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    if (!line.startsWith(' ')) {
      // A top-level key starts (or ends) a section.
      inSection = /^(packages|snapshots):\s*(\{\}\s*)?$/.test(line);
      continue;
    }
    if (!inSection || !line.startsWith('  ') || line[2] === ' ') continue;
    const key = entryKey(line);
    if (key === null) continue;
    const parsed = parsePackageKey(key);
    if (parsed === null) continue;
    let versions = found.get(parsed.name);
    if (versions === undefined) {
      versions = new Set();
      found.set(parsed.name, versions);
    }
    versions.add(parsed.version);
  }
  const result = new Map<string, string[]>();
  for (const [name, versions] of found) result.set(name, [...versions].sort(compareVersionStrings));
  return result;
}

// ---------------------------------------------------------------------------
// A small semver (x.y.z[-pre][+build]); enough for release lines and fixes
// ---------------------------------------------------------------------------

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
}

export function parseSemver(version: string): SemVer | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(version.trim());
  if (m === null) return null;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3]),
    prerelease: m[4] === undefined ? [] : m[4].split('.'),
  };
}

function comparePrerelease(a: string[], b: string[]): number {
  // A release sorts after any prerelease of the same x.y.z.
  if (a.length === 0 || b.length === 0) return b.length - a.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xNum = /^\d+$/.test(x);
    const yNum = /^\d+$/.test(y);
    if (xNum && yNum) return Number(x) - Number(y);
    if (xNum) return -1;
    if (yNum) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareSemver(a: SemVer, b: SemVer): number {
  return (
    Math.sign(a.major - b.major) ||
    Math.sign(a.minor - b.minor) ||
    Math.sign(a.patch - b.patch) ||
    Math.sign(comparePrerelease(a.prerelease, b.prerelease))
  );
}

function mustParse(version: string): SemVer {
  const parsed = parseSemver(version);
  if (parsed === null) throw new Error(`not a semver version in the advisory table: ${version}`);
  return parsed;
}

function compareVersionStrings(a: string, b: string): number {
  const x = parseSemver(a);
  const y = parseSemver(b);
  if (x && y) return compareSemver(x, y);
  if (x) return -1;
  if (y) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Advisories
// ---------------------------------------------------------------------------

export interface Advisory {
  package: string;
  /** CVE first, then the GitHub advisory id. */
  ids: string[];
  summary: string;
  /**
   * Fixed version per release line. A key is a major ("8") or a major.minor
   * ("4.0", for 0.x and backport lines); "major.minor" wins over "major".
   * A version on a line with no key is vulnerable if it is below the highest
   * fix (an older or in-between line that never got the fix) and fixed if it
   * is above it (a newer major than all fixed lines).
   */
  fixed: Record<string, string>;
  /** Versions below this were never affected (the advisory's "introduced"). */
  introduced?: string;
  /** Where the fixed versions come from. */
  source: string;
}

export const CHECKED_PACKAGES = ['ws', 'engine.io', 'socket.io-parser', 'socket.io'] as const;

/*
 * Sources. "GHSA JSON" = the reviewed record in github.com/github/advisory-database
 * (advisories/github-reviewed/<yyyy>/<mm>/<id>/<id>.json), read through a
 * stored copy; osv.dev / NVD / Tenable pages likewise. Backport lines are only
 * listed when a text says the fix is in them: lines we could not confirm are
 * left out on purpose, which makes them count as unfixed (fail closed).
 *
 * Older advisories not listed because every version they flag is already
 * flagged here: ws CVE-2021-32640 (7.4.6/6.2.2/5.2.3), engine.io CVE-2020-36048
 * (4.0.0/3.6.0), socket.io-parser CVE-2020-36049 (3.4.1/3.3.2), socket.io
 * CVE-2020-28481 (2.4.0).
 */
export const ADVISORIES: readonly Advisory[] = [
  // ----------------------------------------------------------------- ws
  {
    package: 'ws',
    ids: ['CVE-2024-37890', 'GHSA-3h5v-q93c-6h6q'],
    summary: 'DoS when handling a request with many HTTP headers',
    fixed: { '8': '8.17.1', '7': '7.5.10', '6': '6.2.3', '5': '5.2.4' },
    introduced: '2.1.0',
    source: 'GHSA JSON (ranges >=2.1.0 <5.2.4, >=6.0.0 <6.2.3, >=7.0.0 <7.5.10, >=8.0.0 <8.17.1)',
  },
  {
    package: 'ws',
    ids: ['CVE-2026-45736', 'GHSA-58qx-3vcg-4xpx'],
    summary: 'uninitialized memory disclosure in websocket.close() given a TypedArray reason',
    fixed: { '8': '8.20.1' },
    introduced: '8.0.0',
    source: 'osv.dev GHSA-58qx-3vcg-4xpx ("fixed in ws@8.20.1"); NVD CPE range >=8.0.0 <8.20.1 for the CVE',
  },
  {
    package: 'ws',
    ids: ['CVE-2026-48779', 'GHSA-96hv-2xvq-fx4p'],
    summary: 'memory exhaustion DoS from a flood of tiny fragments and data chunks',
    // 6.2.4 and 5.2.5 were published the same day as 8.21.0/7.5.11 but no text
    // seen says they carry the fix, so the 6.x and 5.x lines count as unfixed.
    fixed: { '8': '8.21.0', '7': '7.5.11' },
    source: 'ws 8.21.0 release notes (fix 2b2abd45); ws 7.5.11 release notes ("Backported 2b2abd45")',
  },
  {
    package: 'ws',
    ids: ['CVE-2026-62389', 'GHSA-73jw-fp74-p77x'],
    summary: 'memory exhaustion via incomplete fragmented messages (incomplete fix of GHSA-96hv-2xvq-fx4p)',
    // As above: 6.2.5 and 5.2.6 appeared the same day as 8.21.1, unconfirmed.
    fixed: { '8': '8.21.1', '7': '7.5.12' },
    source:
      'GHSA-73jw-fp74-p77x as cited downstream ("ws versions before 8.21.1"); ws 8.21.1 release notes ' +
      '(a2f4e7c0, f197ac65); ws 7.5.12 release notes ("Backported a2f4e7c0 and f197ac65"); websockets/ws#2331',
  },
  // ----------------------------------------------------------- engine.io
  {
    package: 'engine.io',
    ids: ['CVE-2022-21676', 'GHSA-273r-mgr4-v34f'],
    summary: 'uncaught exception from a crafted HTTP request (invalid WebSocket frame) kills the process',
    fixed: { '6': '6.1.1', '5': '5.2.1', '4': '4.1.2' },
    // Not 3.6.0: "Previous versions (< 4.0.0) are not impacted" (3.6.0 is the
    // fix line of the unrelated CVE-2020-36048).
    introduced: '4.0.0',
    source: 'GHSA JSON (ranges >=4.0.0 <4.1.2, >=5.0.0 <5.2.1, >=6.0.0 <6.1.1)',
  },
  {
    package: 'engine.io',
    ids: ['CVE-2022-41940', 'GHSA-r7qp-cfhv-p84w'],
    summary: 'uncaught exception (ECONNRESET on an invalid upgrade) kills the process',
    fixed: { '6': '6.2.1', '3': '3.6.1' },
    source: 'GHSA JSON (ranges <3.6.1, >=4.0.0 <6.2.1: no fix on 4.x or 5.x)',
  },
  {
    package: 'engine.io',
    ids: ['CVE-2023-31125', 'GHSA-q9mw-68c2-j6m5'],
    summary: 'uncaught exception from a crafted upgrade request kills the process',
    fixed: { '6': '6.4.2' },
    introduced: '5.1.0',
    source: 'GHSA JSON (range >=5.1.0 <6.4.2)',
  },
  {
    package: 'engine.io',
    ids: ['CVE-2026-59725', 'GHSA-r635-g3xr-vw7x'],
    summary: 'polling transport connection exhaustion via invalid binary POSTs',
    fixed: { '6': '6.6.7' },
    source: 'GHSA JSON details ("The issue was fixed in engine.io 6.6.7"); CVE record CVE-2026-59725',
  },
  {
    package: 'engine.io',
    ids: ['CVE-2026-59724', 'GHSA-gr94-w7qr-f4j3'],
    summary: 'WebTransport upgrade with session id __proto__ crashes the process',
    fixed: { '6': '6.6.7' },
    introduced: '6.5.0',
    source: 'osv.dev GHSA-gr94-w7qr-f4j3; CVE-2026-59724 ("From 6.5.0 before 6.6.7")',
  },
  {
    package: 'engine.io',
    ids: ['CVE-2026-102599', 'GHSA-2gc4-cqfq-p2gv'],
    summary: 'protocol revision mismatch on transport upgrade crashes the process',
    fixed: { '6': '6.6.10' },
    introduced: '6.6.0',
    source: 'osv.dev CVE-2026-102599 ("From Engine.IO 6.6.0 until 6.6.10 ... fixed in Engine.IO 6.6.10")',
  },
  // ---------------------------------------------------- socket.io-parser
  {
    package: 'socket.io-parser',
    ids: ['CVE-2022-2421', 'GHSA-qm95-pgcg-qqfq'],
    summary: 'insufficient validation of attachment placeholders (arbitrary references in decoded packets)',
    fixed: { '4': '4.2.1', '4.0': '4.0.5', '3.4': '3.4.2', '3.3': '3.3.3' },
    source: 'GHSA JSON (ranges >=4.1.0 <4.2.1, >=4.0.0 <4.0.5, >=3.4.0 <3.4.2, <3.3.3)',
  },
  {
    package: 'socket.io-parser',
    ids: ['CVE-2023-32695', 'GHSA-cqmj-92xf-r6r9'],
    summary: 'insufficient validation when decoding a packet: uncaught exception kills the process',
    fixed: { '4': '4.2.3', '3.4': '3.4.3', '3.3': '3.3.4' },
    source: 'GHSA JSON (4.2.3, 3.4.3); 3.3.4 backport per the Mend database entry (>=1.0.1 <3.3.4)',
  },
  {
    package: 'socket.io-parser',
    ids: ['CVE-2026-33151', 'GHSA-677m-j7p3-52f9'],
    summary: 'unbounded number of binary attachments exhausts server memory',
    fixed: { '4': '4.2.6', '3.4': '3.4.4', '3.3': '3.3.5' },
    source: 'Tenable plugin 438929 ("patched in versions 3.3.5, 3.4.4, and 4.2.6"); socketio/socket.io#5489',
  },
  {
    package: 'socket.io-parser',
    ids: ['CVE-2026-69185', 'GHSA-2m8v-j782-fhvr'],
    summary: 'packets announcing zero/many attachments make the server buffer until out of memory',
    fixed: { '4': '4.2.7', '3.4': '3.4.5', '3.3': '3.3.6' },
    source: 'Tenable plugin 445599 ("fixed in 4.2.7, 3.4.5, and 3.3.6")',
  },
  // ----------------------------------------------------------- socket.io
  {
    package: 'socket.io',
    ids: ['CVE-2024-38355', 'GHSA-25hc-qcg6-38wj'],
    summary: "unhandled 'error' event from a crafted packet kills the process",
    fixed: { '4': '4.6.2', '2': '2.5.1' },
    source: 'GHSA JSON (ranges <2.5.1, >=3.0.0 <4.6.2)',
  },
];

export interface Finding {
  pkg: string;
  version: string;
  /** Advisory id, CVE first (e.g. "CVE-2024-37890 / GHSA-3h5v-q93c-6h6q"). */
  advisory: string;
  summary: string;
  /** The release to move to: the fix on the version's line, or the next fixed release. */
  fixedIn: string;
}

/**
 * Whether `version` is affected by `advisory`; returns the release to upgrade
 * to, or null when it is not affected.
 */
export function vulnerableTo(advisory: Advisory, version: SemVer): string | null {
  if (advisory.introduced !== undefined && compareSemver(version, mustParse(advisory.introduced)) < 0) {
    return null;
  }
  const lineFix = advisory.fixed[`${version.major}.${version.minor}`] ?? advisory.fixed[`${version.major}`];
  if (lineFix !== undefined) {
    return compareSemver(version, mustParse(lineFix)) < 0 ? lineFix : null;
  }
  // No fix on this release line: vulnerable unless newer than every fix; the
  // upgrade target is the lowest fix above the version.
  const above = Object.values(advisory.fixed)
    .map((v) => ({ text: v, parsed: mustParse(v) }))
    .filter((f) => compareSemver(version, f.parsed) < 0)
    .sort((a, b) => compareSemver(a.parsed, b.parsed));
  return above[0]?.text ?? null;
}

export function findVulnerable(
  versions: Map<string, string[]>,
  advisories: readonly Advisory[] = ADVISORIES,
): Finding[] {
  const findings: Finding[] = [];
  const packages = [...new Set(advisories.map((a) => a.package))];
  for (const pkg of packages) {
    for (const version of versions.get(pkg) ?? []) {
      const parsed = parseSemver(version);
      if (parsed === null) {
        // A git/tarball/link version cannot be compared: fail closed.
        findings.push({
          pkg,
          version,
          advisory: 'UNVERIFIABLE',
          summary: 'not a registry semver version, so it cannot be checked against the advisory table',
          fixedIn: 'a registry release',
        });
        continue;
      }
      for (const advisory of advisories) {
        if (advisory.package !== pkg) continue;
        const fixedIn = vulnerableTo(advisory, parsed);
        if (fixedIn !== null) {
          findings.push({ pkg, version, advisory: advisory.ids.join(' / '), summary: advisory.summary, fixedIn });
        }
      }
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------
// pnpm audit
// ---------------------------------------------------------------------------

const NETWORK_ERRORS = [
  'ENOTFOUND',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ESOCKETTIMEDOUT',
];

/**
 * Why `pnpm audit` could not reach its advisory service, from its output, or
 * null when the output does not say so (a real audit result or another error).
 */
export function auditUnreachableReason(output: string): string | null {
  if (output.includes('ERR_PNPM_AUDIT_BAD_RESPONSE')) {
    const status = /responded with (\d{3})/.exec(output);
    return status ? `ERR_PNPM_AUDIT_BAD_RESPONSE, HTTP ${status[1]}` : 'ERR_PNPM_AUDIT_BAD_RESPONSE';
  }
  for (const code of NETWORK_ERRORS) {
    if (new RegExp(`\\b${code}\\b`).test(output)) return code;
  }
  return null;
}

/** Runs `pnpm audit --prod --audit-level high` in `cwd`; true when it does not fail the check. */
function runPnpmAudit(cwd: string): boolean {
  console.log('\n$ pnpm audit --prod --audit-level high');
  // Output is captured (to look for the "unreachable" signatures) and then
  // passed through unchanged.
  const result = spawnSync('pnpm', ['audit', '--prod', '--audit-level', 'high'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  if (result.error) {
    console.error(`pnpm audit: could not run pnpm (${result.error.message})`);
    return false;
  }
  if (result.status === 0) {
    console.log('pnpm audit: ok');
    return true;
  }
  const reason = auditUnreachableReason(`${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  if (reason !== null) {
    console.log(
      `pnpm audit: the advisory service could not be reached (${reason}); relying on the advisory table above`,
    );
    return true;
  }
  console.error(`pnpm audit: failed (exit ${result.status ?? `signal ${result.signal ?? '?'}`})`);
  return false;
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

const scriptDir = dirname(fileURLToPath(import.meta.url));
/** apps/server/scripts -> repository root. */
const repoRoot = resolve(scriptDir, '../../..');

function main(argv: string[]): number {
  const flags = argv.filter((a) => a.startsWith('--'));
  const positional = argv.filter((a) => !a.startsWith('--'));
  const unknown = flags.filter((f) => f !== '--no-audit');
  if (unknown.length > 0 || positional.length > 1) {
    console.error('usage: tsx scripts/check-supply-chain.ts [path/to/pnpm-lock.yaml] [--no-audit]');
    return 2;
  }
  const lockfilePath = resolve(positional[0] ?? resolve(repoRoot, 'pnpm-lock.yaml'));

  let text: string;
  try {
    text = readFileSync(lockfilePath, 'utf8');
  } catch (err) {
    console.error(`cannot read ${lockfilePath}: ${(err as Error).message}`);
    return 2;
  }
  const lockfileVersion = /^lockfileVersion:\s*['"]?([^'"\s]+)/m.exec(text)?.[1];
  if (lockfileVersion !== undefined && !lockfileVersion.startsWith('9.')) {
    console.warn(`warning: lockfileVersion ${lockfileVersion}; this parser is written for pnpm's v9 format`);
  }
  const versions = resolvedVersions(text);
  if (versions.size === 0) {
    // Guard against a silent pass if the lockfile format ever changes.
    console.error(`no package entries parsed from ${lockfilePath}; is it a pnpm v9 lockfile?`);
    return 2;
  }

  console.log(`Supply-chain check: ${lockfilePath}`);
  const findings = findVulnerable(versions);
  for (const pkg of CHECKED_PACKAGES) {
    const resolved = versions.get(pkg) ?? [];
    if (resolved.length === 0) {
      console.log(`  ${pkg}: not in the lockfile`);
      continue;
    }
    for (const version of resolved) {
      const bad = findings.filter((f) => f.pkg === pkg && f.version === version);
      if (bad.length === 0) {
        console.log(`  ${pkg}@${version}: ok`);
        continue;
      }
      for (const f of bad) {
        console.log(`  ${pkg}@${version}: VULNERABLE ${f.advisory}: ${f.summary} (fixed in ${f.fixedIn})`);
      }
    }
  }
  const advisoryCount = ADVISORIES.length;
  if (findings.length > 0) {
    console.log(`FAIL: ${findings.length} finding(s) against ${advisoryCount} advisories`);
  } else {
    console.log(`ok: no resolved version is affected by the ${advisoryCount} advisories in the table`);
  }

  let auditOk = true;
  if (!flags.includes('--no-audit')) auditOk = runPnpmAudit(repoRoot);
  return findings.length > 0 || !auditOk ? 1 : 0;
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(resolve(entry)) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = main(process.argv.slice(2));
