/**
 * Supply-chain check for the realtime stack: fails when `ws`, `engine.io`,
 * `socket.io-parser` or `socket.io` resolve anywhere in pnpm-lock.yaml
 * (direct or transitive copies) to a version affected by an advisory in
 * scripts/advisories.json, then runs `pnpm audit`.
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
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADVISORIES, CHECKED_PACKAGES, findVulnerable, type Finding } from './supply-chain/advisories.js';
import { runPnpmAudit } from './supply-chain/audit.js';
import { readLockfile, type Lockfile } from './supply-chain/lockfile.js';

/** apps/server/scripts -> repository root. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function printReport(versions: Map<string, string[]>, findings: Finding[]): void {
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
}

function main(argv: string[]): number {
  const flags = argv.filter((a) => a.startsWith('--'));
  const positional = argv.filter((a) => !a.startsWith('--'));
  const unknown = flags.filter((f) => f !== '--no-audit');
  if (unknown.length > 0 || positional.length > 1) {
    console.error('usage: tsx scripts/check-supply-chain.ts [path/to/pnpm-lock.yaml] [--no-audit]');
    return 2;
  }
  const lockfilePath = resolve(positional[0] ?? resolve(repoRoot, 'pnpm-lock.yaml'));

  let lockfile: Lockfile;
  try {
    lockfile = readLockfile(readFileSync(lockfilePath, 'utf8'));
  } catch (err) {
    console.error(`cannot read ${lockfilePath}: ${(err as Error).message}`);
    return 2;
  }
  const { lockfileVersion, versions } = lockfile;
  if (lockfileVersion !== undefined && !lockfileVersion.startsWith('9.')) {
    console.warn(`warning: lockfileVersion ${lockfileVersion}; this check is written for pnpm's v9 format`);
  }
  if (versions.size === 0) {
    // Guard against a silent pass if the lockfile format ever changes.
    console.error(`no package entries parsed from ${lockfilePath}; is it a pnpm v9 lockfile?`);
    return 2;
  }

  console.log(`Supply-chain check: ${lockfilePath}`);
  const findings = findVulnerable(versions);
  printReport(versions, findings);

  const auditOk = flags.includes('--no-audit') || runPnpmAudit(repoRoot);
  return findings.length > 0 || !auditOk ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
