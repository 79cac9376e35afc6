/**
 * `pnpm audit`, which needs the registry's advisory service: when that cannot
 * be reached the check relies on the advisory table alone.
 */
import { spawnSync } from 'node:child_process';

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
export function runPnpmAudit(cwd: string): boolean {
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
    console.log(`pnpm audit: the advisory service could not be reached (${reason}); relying on the advisory table above`);
    return true;
  }
  console.error(`pnpm audit: failed (exit ${result.status ?? `signal ${result.signal ?? '?'}`})`);
  return false;
}
