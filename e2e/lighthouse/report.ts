import type { Result } from 'lighthouse';
import type { Preset } from './audit';

/** What must hold, as category scores 0 to 100; these do not depend on how fast the machine is. */
export const THRESHOLDS = { accessibility: 100, 'best-practices': 100, seo: 90 } as const;
type AssertedCategory = keyof typeof THRESHOLDS;

export interface FailingAudit {
  category: string;
  id: string;
  title: string;
  score: number | null;
  displayValue?: string;
  /** A few of the audit's findings, in a line each (what to look at first). */
  findings: string[];
}

export interface PageReport {
  page: string;
  preset: Preset;
  url: string;
  scores: Record<string, number | null>;
  /** Reported, never asserted: performance depends on the machine. Milliseconds, except CLS. */
  metrics: { fcp: number | null; lcp: number | null; cls: number | null; tbt: number | null };
  /** Categories under their threshold, with the audits that pulled them down. */
  failures: { category: string; score: number | null; threshold: number; audits: FailingAudit[] }[];
}

export function summarise(page: string, preset: Preset, lhr: Result): PageReport {
  const scores = Object.fromEntries(
    Object.values(lhr.categories).map((category) => [category.id, category.score === null ? null : Math.round(category.score * 100)]),
  );
  const failures = (Object.keys(THRESHOLDS) as AssertedCategory[])
    .filter((id) => (scores[id] ?? 0) < THRESHOLDS[id])
    .map((id) => ({ category: id, score: scores[id] ?? null, threshold: THRESHOLDS[id], audits: failingAudits(lhr, id) }));
  return {
    page,
    preset,
    url: lhr.finalDisplayedUrl,
    scores,
    metrics: {
      fcp: numeric(lhr, 'first-contentful-paint'),
      lcp: numeric(lhr, 'largest-contentful-paint'),
      cls: numeric(lhr, 'cumulative-layout-shift'),
      tbt: numeric(lhr, 'total-blocking-time'),
    },
    failures,
  };
}

/** The scored audits of a category that did not pass (a missing category counts as failing with no audits). */
function failingAudits(lhr: Result, categoryId: string): FailingAudit[] {
  const category = lhr.categories[categoryId];
  if (!category) return [];
  return category.auditRefs
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit !== undefined)
    .filter((audit) => ['binary', 'numeric', 'metricSavings'].includes(audit.scoreDisplayMode) && (audit.score ?? 0) < 1)
    .map((audit) => ({
      category: categoryId,
      id: audit.id,
      title: audit.title,
      score: audit.score,
      ...(audit.displayValue && { displayValue: audit.displayValue }),
      findings: findings(audit.details),
    }));
}

const FINDING_KEYS = ['issueType', 'description', 'source', 'url', 'index', 'line', 'message'];
const MAX_FINDINGS = 3;

/** The first rows of an audit's table or list, each as `key: value` pairs of its plain fields. */
function findings(details: Result['audits'][string]['details']): string[] {
  if (!details || !('items' in details) || !Array.isArray(details.items)) return [];
  const items = details.items as Record<string, unknown>[];
  const lines = items.slice(0, MAX_FINDINGS).map((item) => {
    const fields = FINDING_KEYS.filter((key) => typeof item[key] === 'string' || typeof item[key] === 'number').map(
      (key) => `${key}: ${String(item[key])}`,
    );
    for (const value of [item.source, item.sourceLocation]) {
      const location = value as { type?: string; url?: string; line?: number } | undefined;
      if (location?.type === 'source-location' && location.url) fields.push(`at ${location.url} line ${(location.line ?? 0) + 1}`);
    }
    const node = item.node as { snippet?: string } | undefined;
    if (node?.snippet) fields.push(node.snippet);
    return fields.join('; ');
  });
  if (items.length > MAX_FINDINGS) lines.push(`… and ${items.length - MAX_FINDINGS} more`);
  return lines.filter((line) => line.length > 0);
}

function numeric(lhr: Result, auditId: string): number | null {
  return lhr.audits[auditId]?.numericValue ?? null;
}

/** A plain-text table: one row per page and preset. */
export function table(reports: readonly PageReport[]): string {
  const header = ['page', 'preset', 'perf', 'a11y', 'best pr.', 'SEO', 'FCP', 'LCP', 'CLS', 'TBT', 'result'];
  const rows = reports.map((r) => [
    r.page,
    r.preset,
    score(r.scores.performance),
    score(r.scores.accessibility),
    score(r.scores['best-practices']),
    score(r.scores.seo),
    ms(r.metrics.fcp),
    ms(r.metrics.lcp),
    r.metrics.cls === null ? '-' : r.metrics.cls.toFixed(3),
    ms(r.metrics.tbt),
    r.failures.length === 0 ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Each failing category and its failing audits' ids and titles. */
export function failureDetails(reports: readonly PageReport[]): string {
  return reports
    .flatMap((r) =>
      r.failures.map((f) =>
        [
          `${r.page} (${r.preset}): ${f.category} ${f.score ?? 'missing'} < ${f.threshold}`,
          ...f.audits.flatMap((a) => [
            `  - ${a.id}: ${a.title}${a.displayValue ? ` (${a.displayValue})` : ''}`,
            ...a.findings.map((finding) => `      ${finding}`),
          ]),
        ].join('\n'),
      ),
    )
    .join('\n');
}

function score(value: number | null | undefined): string {
  return value === null || value === undefined ? '-' : String(value);
}

function ms(value: number | null): string {
  return value === null ? '-' : `${Math.round(value)} ms`;
}
