import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { valid, validRange } from 'semver';
import { describe, expect, it } from 'vitest';
import { ADVISORIES, CHECKED_PACKAGES, findVulnerable, parseAdvisoryTable, type Finding } from '../../scripts/supply-chain/advisories.js';
import { auditUnreachableReason } from '../../scripts/supply-chain/audit.js';
import { compareVersions, resolvedVersions } from '../../scripts/supply-chain/lockfile.js';
import advisoryTable from '../../scripts/advisories.json' with { type: 'json' };

const repoLockfile = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../pnpm-lock.yaml');

/** A minimal v9 lockfile: the shapes pnpm writes, with known-vulnerable versions. */
const VULNERABLE_LOCKFILE = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  apps/server:
    dependencies:
      socket.io:
        specifier: 4.6.1
        version: 4.6.1(bufferutil@4.1.0)

packages:

  '@socket.io/component-emitter@3.1.2':
    resolution: {integrity: sha512-x}

  engine.io@6.4.1:
    resolution: {integrity: sha512-x}
    engines: {node: '>=10.2.0'}

  socket.io-parser@4.2.5:
    resolution: {integrity: sha512-x}

  socket.io@4.6.1:
    resolution: {integrity: sha512-x}

  ws@8.17.0:
    resolution: {integrity: sha512-x}
    peerDependencies:
      bufferutil: ^4.0.1

snapshots:

  '@socket.io/component-emitter@3.1.2': {}

  engine.io@6.4.1(bufferutil@4.1.0):
    dependencies:
      ws: 8.17.0(bufferutil@4.1.0)

  socket.io-parser@4.2.5:
    dependencies:
      '@socket.io/component-emitter': 3.1.2

  socket.io@4.6.1(bufferutil@4.1.0):
    dependencies:
      engine.io: 6.4.1(bufferutil@4.1.0)
      socket.io-parser: 4.2.5

  ws@8.17.0(bufferutil@4.1.0): {}
`;

const ids = (findings: Finding[], pkg: string) =>
  findings
    .filter((f) => f.pkg === pkg)
    .map((f) => f.advisory.split(' / ')[0])
    .sort();

const check = (pkg: string, ...versions: string[]) => findVulnerable(new Map([[pkg, versions]]));

describe('resolvedVersions (pnpm-lock.yaml v9)', () => {
  it('reads plain, peer-suffixed and quoted scoped keys from packages: and snapshots:, deduplicated', () => {
    const versions = resolvedVersions(VULNERABLE_LOCKFILE);
    expect(versions.get('ws')).toEqual(['8.17.0']);
    expect(versions.get('engine.io')).toEqual(['6.4.1']);
    expect(versions.get('socket.io')).toEqual(['4.6.1']);
    expect(versions.get('socket.io-parser')).toEqual(['4.2.5']);
    expect(versions.get('@socket.io/component-emitter')).toEqual(['3.1.2']);
  });

  it('ignores importers and nested dependency lines, and keeps every copy of a package', () => {
    const text = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      ws:
        specifier: 7.0.0
        version: 7.0.0

packages:

  ws@8.21.3:
    resolution: {integrity: sha512-x}

  ws@8.23.0:
    resolution: {integrity: sha512-x}

  '@types/ws@8.18.1':
    resolution: {integrity: sha512-x}

snapshots:

  socket.io@4.8.4(bufferutil@4.1.0)(utf-8-validate@6.0.6):
    dependencies:
      ws: 8.2.0(bufferutil@4.1.0)

  ws@8.21.3(bufferutil@4.1.0)(utf-8-validate@6.0.6): {}

  ws@8.23.0(bufferutil@4.1.0)(utf-8-validate@6.0.6): {}
`;
    const versions = resolvedVersions(text);
    expect(versions.get('ws')).toEqual(['8.21.3', '8.23.0']);
    expect(versions.get('@types/ws')).toEqual(['8.18.1']);
    expect(versions.get('socket.io')).toEqual(['4.8.4']);
  });
});

describe('findVulnerable', () => {
  it('reports every relevant advisory for the vulnerable fixture', () => {
    const findings = findVulnerable(resolvedVersions(VULNERABLE_LOCKFILE));
    expect(ids(findings, 'ws')).toEqual(['CVE-2024-37890', 'CVE-2026-45736', 'CVE-2026-48779', 'CVE-2026-62389']);
    expect(ids(findings, 'socket.io-parser')).toEqual(['CVE-2026-33151', 'CVE-2026-69185']);
    expect(ids(findings, 'socket.io')).toEqual(['CVE-2024-38355']);
    // 6.4.1 predates the WebTransport (6.5.0) and protocol-mismatch (6.6.0) bugs.
    expect(ids(findings, 'engine.io')).toEqual(['CVE-2023-31125', 'CVE-2026-59725']);
    expect(findings).toContainEqual(expect.objectContaining({ pkg: 'socket.io-parser', version: '4.2.5', fixedIn: '4.2.6' }));
    expect(findings).toContainEqual(expect.objectContaining({ pkg: 'ws', version: '8.17.0', fixedIn: '8.17.1' }));
    expect(findings).toContainEqual(expect.objectContaining({ pkg: 'socket.io', version: '4.6.1', fixedIn: '4.6.2' }));
    expect(findings).toContainEqual(expect.objectContaining({ pkg: 'engine.io', version: '6.4.1', fixedIn: '6.4.2' }));
  });

  it('fails a single transitive copy even when another copy is patched', () => {
    expect(ids(check('ws', '8.23.0', '8.21.0'), 'ws')).toEqual(['CVE-2026-62389']);
    expect(ids(check('socket.io-parser', '4.2.7', '4.2.6'), 'socket.io-parser')).toEqual(['CVE-2026-69185']);
  });

  it('passes patched versions, backport lines and newer majors', () => {
    expect(check('ws', '8.21.1', '8.21.3', '8.23.0', '7.5.12', '9.0.0')).toEqual([]);
    expect(check('socket.io-parser', '4.2.7', '4.3.0', '3.4.5', '3.3.6', '5.0.0')).toEqual([]);
    expect(check('socket.io', '4.6.2', '4.8.4', '5.0.0')).toEqual([]);
    expect(check('engine.io', '6.6.10', '6.6.12', '7.0.0')).toEqual([]);
  });

  it('treats older lines without a fix and in-between lines as vulnerable', () => {
    // socket.io 3.x never got the CVE-2024-38355 fix (2.5.1 and 4.6.2 did).
    expect(check('socket.io', '3.1.2')).toEqual([
      expect.objectContaining({ advisory: 'CVE-2024-38355 / GHSA-25hc-qcg6-38wj', fixedIn: '4.6.2' }),
    ]);
    // engine.io 4.x/5.x have no fix for CVE-2022-41940.
    expect(ids(check('engine.io', '5.2.1'), 'engine.io')).toContain('CVE-2022-41940');
    // A line older than the lowest fixed one.
    expect(ids(check('socket.io-parser', '3.2.0'), 'socket.io-parser')).toContain('CVE-2022-2421');
    // ws 6.x: the 2026 fragment fixes are not confirmed on that line, so it fails closed.
    expect(ids(check('ws', '6.2.7'), 'ws')).toEqual(['CVE-2026-48779', 'CVE-2026-62389']);
  });

  it('respects the version an advisory was introduced in', () => {
    // CVE-2022-21676 starts at engine.io 4.0.0 and CVE-2023-31125 at 5.1.0.
    expect(ids(check('engine.io', '3.6.2'), 'engine.io')).toEqual(['CVE-2026-59725']);
    expect(ids(check('engine.io', '4.1.2'), 'engine.io')).toEqual(['CVE-2022-41940', 'CVE-2026-59725']);
  });

  it('handles prereleases without crashing and fails closed on non-semver versions', () => {
    expect(ids(check('ws', '8.21.1-beta.1'), 'ws')).toEqual(['CVE-2026-62389']);
    expect(check('ws', '8.22.0-rc.1')).toEqual([]);
    // A prerelease of an affected release is affected, even below the range's first release.
    expect(ids(check('socket.io', '3.0.0-rc1'), 'socket.io')).toEqual(['CVE-2024-38355']);
    expect(check('ws', 'https://codeload.github.com/websockets/ws/tar.gz/abc')).toEqual([
      expect.objectContaining({ advisory: 'UNVERIFIABLE' }),
    ]);
  });
});

describe('semver', () => {
  it('orders releases and prereleases', () => {
    const cmp = compareVersions;
    expect(cmp('8.17.1', '8.17.0')).toBe(1);
    expect(cmp('8.9.0', '8.17.1')).toBe(-1);
    expect(cmp('1.0.0-alpha', '1.0.0')).toBe(-1);
    expect(cmp('1.0.0-alpha.2', '1.0.0-alpha.10')).toBe(-1);
    expect(cmp('1.0.0+build', '1.0.0')).toBe(0);
    // Not semver: sorted after every version that is, and never compared as one.
    expect(cmp('link:../x', '1.0.0')).toBe(1);
    expect(check('ws', 'link:../x')).toEqual([expect.objectContaining({ advisory: 'UNVERIFIABLE' })]);
  });

  it('every affected range and fixed version in the table parses, and no fix is in its own range', () => {
    for (const advisory of ADVISORIES) {
      expect(validRange(advisory.affected), `${advisory.id} ${advisory.affected}`).not.toBeNull();
      for (const version of advisory.fixed) {
        expect(valid(version), `${advisory.id} ${version}`).toBe(version);
        expect(findVulnerable(new Map([[advisory.package, [version]]]), [advisory]), `${advisory.id} ${version}`).toEqual([]);
      }
    }
  });
});

describe('parseAdvisoryTable', () => {
  const [first] = advisoryTable.advisories;
  const withAdvisory = (change: Record<string, unknown>) => ({
    ...advisoryTable,
    advisories: [{ ...first, ...change }, ...advisoryTable.advisories.slice(1)],
  });

  it('accepts the table in the repository', () => {
    expect(parseAdvisoryTable(advisoryTable).advisories).toHaveLength(ADVISORIES.length);
  });

  it('rejects a bad range or version, a fix inside its own range, an unknown package and a stray field', () => {
    expect(() => parseAdvisoryTable(withAdvisory({ affected: 'before 8.17.1' }))).toThrow(/not a semver range/);
    expect(() => parseAdvisoryTable(withAdvisory({ fixed: ['8.17'] }))).toThrow(/not a semver version/);
    expect(() => parseAdvisoryTable(withAdvisory({ fixed: ['8.17.0'] }))).toThrow(/8\.17\.0 is in its affected range/);
    expect(() => parseAdvisoryTable(withAdvisory({ package: 'wss' }))).toThrow(/wss is not in `packages`/);
    expect(() => parseAdvisoryTable(withAdvisory({ fixedIn: '8.17.1' }))).toThrow(/fixedIn/);
  });
});

describe('the repository lockfile', () => {
  const versions = resolvedVersions(readFileSync(repoLockfile, 'utf8'));

  it('resolves every checked package (so the check is not passing vacuously)', () => {
    for (const pkg of CHECKED_PACKAGES) expect(versions.get(pkg)?.length ?? 0, pkg).toBeGreaterThan(0);
  });

  it('has no vulnerable version', () => {
    expect(findVulnerable(versions)).toEqual([]);
  });
});

describe('auditUnreachableReason', () => {
  it('recognises an unreachable advisory service, and nothing else', () => {
    expect(
      auditUnreachableReason(
        ' ERR_PNPM_AUDIT_BAD_RESPONSE  The audit endpoint (at https://registry.npmjs.org/-/npm/v1/security/audits/quick) responded with 405: .',
      ),
    ).toBe('ERR_PNPM_AUDIT_BAD_RESPONSE, HTTP 405');
    expect(auditUnreachableReason('request to https://registry.npmjs.org failed, reason: getaddrinfo ENOTFOUND')).toBe('ENOTFOUND');
    expect(auditUnreachableReason('1 vulnerabilities found\nSeverity: 1 high')).toBeNull();
  });
});
