import type { LIMITS } from '@parley/protocol';

/**
 * The protocol's username and password rules (usernameSchema, passwordSchema), for forms that check
 * before they send, in words a person can act on. Written without zod: importing anything from
 * `@parley/protocol` at run time brings zod into the sign-in page's chunk, which must stay without it.
 * Kept equal to the protocol all the same: the numbers by type (a change to LIMITS fails the
 * typecheck here), the pattern and the verdicts by test/credential-rules.test.ts, which runs both.
 */
export const CREDENTIAL_LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  passwordMin: 8,
  passwordMax: 128,
} as const satisfies Pick<typeof LIMITS, 'usernameMin' | 'usernameMax' | 'passwordMin' | 'passwordMax'>;

/** USERNAME_PATTERN of the protocol: what a username may contain after lowercasing. */
export const USERNAME_CHARACTERS = /^[a-z0-9_.-]+$/;

/** The rules as a form shows them, before anyone breaks them. */
export const CREDENTIAL_RULES = {
  username: `${CREDENTIAL_LIMITS.usernameMin} to ${CREDENTIAL_LIMITS.usernameMax} characters: letters a–z, digits 0–9, and _ . -`,
  password: `${CREDENTIAL_LIMITS.passwordMin} to ${CREDENTIAL_LIMITS.passwordMax} characters.`,
} as const;

const codePointLength = (s: string) => [...s].length;

/** What is wrong with a new username (as typed: uppercase letters are fine), or null. */
export function usernameProblem(username: string): string | null {
  const lowered = username.toLowerCase();
  const refused = [...new Set([...lowered].filter((char) => !USERNAME_CHARACTERS.test(char)))];
  if (lowered.length < CREDENTIAL_LIMITS.usernameMin) return `Too short: use at least ${CREDENTIAL_LIMITS.usernameMin} characters.`;
  if (lowered.length > CREDENTIAL_LIMITS.usernameMax) return `Too long: use at most ${CREDENTIAL_LIMITS.usernameMax} characters.`;
  if (refused.length === 0) return null;
  const named = refused.map((char) => (char.trim() === '' ? 'spaces' : `“${char}”`)).join(', ');
  return `Use only letters a–z, digits 0–9, and _ . - (not ${named}).`;
}

/** What is wrong with a new password, or null. */
export function passwordProblem(password: string): string | null {
  if (!password.isWellFormed() || password.includes('\u0000')) return 'This password has characters that cannot be stored. Try another.';
  const length = codePointLength(password);
  if (length < CREDENTIAL_LIMITS.passwordMin) return `Too short: use at least ${CREDENTIAL_LIMITS.passwordMin} characters.`;
  if (length > CREDENTIAL_LIMITS.passwordMax) return `Too long: use at most ${CREDENTIAL_LIMITS.passwordMax} characters.`;
  return null;
}
