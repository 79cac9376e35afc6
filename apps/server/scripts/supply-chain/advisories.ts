/**
 * The advisory table (scripts/advisories.json) and the check of resolved
 * versions against it.
 */
import { minSatisfying, parse as parseVersion, satisfies, valid, validRange, type SemVer } from 'semver';
import { z } from 'zod';
import table from '../advisories.json' with { type: 'json' };

// Without this a range like "<8.21.1" would never match a prerelease such as 8.21.1-beta.1.
const withPrereleases = { includePrerelease: true };

/**
 * Whether `version` is in `affectedRange`. A prerelease also counts when its
 * release is: it carries that release's code, and ranges are written for
 * releases (an 8.0.0-beta is as affected as 8.0.0 by ">=8.0.0 <8.17.1").
 */
export function isAffected(affectedRange: string, version: SemVer): boolean {
  if (satisfies(version, affectedRange, withPrereleases)) return true;
  const release = `${version.major}.${version.minor}.${version.patch}`;
  return version.prerelease.length > 0 && satisfies(release, affectedRange, withPrereleases);
}

const semverVersion = z.string().refine((text) => valid(text) === text, 'not a semver version (x.y.z)');
const semverRange = z.string().refine((text) => validRange(text) !== null, 'not a semver range');

const advisorySchema = z.strictObject({
  /** The CVE id. */
  id: z.string().min(1),
  /** Other ids for the same advisory, the GitHub advisory id first. */
  aliases: z.array(z.string().min(1)),
  package: z.string().min(1),
  summary: z.string().min(1),
  /** The affected versions, as a node-semver range. */
  affected: semverRange,
  /** Every release that carries the fix (none while there is no fix). */
  fixed: z.array(semverVersion),
  /** Where the ranges come from. */
  sources: z.array(z.url()).min(1),
  /** What the sources say. */
  evidence: z.string().min(1),
  note: z.string().optional(),
});

export type Advisory = z.infer<typeof advisorySchema>;

const tableSchema = z
  .object({
    $comment: z.array(z.string()).optional(),
    /** The packages the check reports on, each resolved version of each. */
    packages: z.array(z.string().min(1)).min(1),
    advisories: z.array(advisorySchema).min(1),
  })
  .superRefine(({ packages, advisories }, ctx) => {
    const seen = new Set<string>();
    advisories.forEach((advisory, index) => {
      const path = ['advisories', index];
      if (seen.has(advisory.id)) ctx.addIssue({ code: 'custom', path, message: `${advisory.id} is listed twice` });
      seen.add(advisory.id);
      if (!packages.includes(advisory.package)) {
        ctx.addIssue({ code: 'custom', path, message: `${advisory.package} is not in \`packages\`` });
      }
      for (const fixed of advisory.fixed) {
        const parsed = parseVersion(fixed); // null when already reported as not semver
        if (parsed !== null && isAffected(advisory.affected, parsed)) {
          ctx.addIssue({ code: 'custom', path, message: `${advisory.id}: fixed release ${fixed} is in its affected range` });
        }
      }
    });
    for (const pkg of packages) {
      if (!advisories.some((advisory) => advisory.package === pkg)) {
        ctx.addIssue({ code: 'custom', path: ['packages'], message: `no advisory for ${pkg}` });
      }
    }
  });

export type AdvisoryTable = z.infer<typeof tableSchema>;

/** Validates an advisory table; throws with every problem found. */
export function parseAdvisoryTable(data: unknown): AdvisoryTable {
  const result = tableSchema.safeParse(data);
  if (!result.success) throw new Error(`invalid advisory table:\n${z.prettifyError(result.error)}`);
  return result.data;
}

const loaded = parseAdvisoryTable(table);
export const ADVISORIES: readonly Advisory[] = loaded.advisories;
export const CHECKED_PACKAGES: readonly string[] = loaded.packages;

export interface Finding {
  pkg: string;
  version: string;
  /** Advisory id, CVE first (e.g. "CVE-2024-37890 / GHSA-3h5v-q93c-6h6q"). */
  advisory: string;
  summary: string;
  /** The release to move to: the lowest fixed release above the version. */
  fixedIn: string;
}

/** The release to upgrade to when `version` is affected by `advisory`, or null when it is not. */
export function vulnerableTo(advisory: Advisory, version: SemVer): string | null {
  if (!isAffected(advisory.affected, version)) return null;
  return minSatisfying(advisory.fixed, `>${version.version}`, withPrereleases) ?? 'no fixed release yet';
}

export function findVulnerable(versions: Map<string, string[]>, advisories: readonly Advisory[] = ADVISORIES): Finding[] {
  const findings: Finding[] = [];
  const packages = [...new Set(advisories.map((a) => a.package))];
  for (const pkg of packages) {
    for (const resolved of versions.get(pkg) ?? []) {
      const parsed = parseVersion(resolved);
      if (parsed === null) {
        // A git/tarball/link version cannot be compared: fail closed.
        findings.push({
          pkg,
          version: resolved,
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
          const id = [advisory.id, ...advisory.aliases].join(' / ');
          findings.push({ pkg, version: resolved, advisory: id, summary: advisory.summary, fixedIn });
        }
      }
    }
  }
  return findings;
}
