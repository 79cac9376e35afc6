import { LIMITS, USERNAME_PATTERN, passwordSchema, usernameSchema } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_LIMITS, USERNAME_CHARACTERS, passwordProblem, usernameProblem } from '../src/lib/credential-rules';

// The sign-in page checks without zod (its chunk must stay small): these prove it checks what the
// server checks, with the protocol's own schemas as the reference.
describe('credential rules', () => {
  it('are the protocol limits and pattern', () => {
    expect(CREDENTIAL_LIMITS).toEqual({
      usernameMin: LIMITS.usernameMin,
      usernameMax: LIMITS.usernameMax,
      passwordMin: LIMITS.passwordMin,
      passwordMax: LIMITS.passwordMax,
    });
    expect(USERNAME_CHARACTERS.source).toBe(USERNAME_PATTERN.source);
    expect(USERNAME_CHARACTERS.flags).toBe(USERNAME_PATTERN.flags);
  });

  it.each([
    'alice',
    'Alice',
    'a.b-c_d',
    'abc',
    'x'.repeat(32),
    'ab',
    'x'.repeat(33),
    'al ice',
    'alice!',
    'ålice',
    'İstanbul',
    '',
    'a\u0000b',
  ])('judge the username %j as the protocol does', (username) => {
    expect(usernameProblem(username) === null).toBe(usernameSchema.safeParse(username).success);
  });

  it.each([
    'correct horse',
    '1234567',
    '12345678',
    'x'.repeat(128),
    'x'.repeat(129),
    '😀'.repeat(8),
    '😀'.repeat(7),
    '😀'.repeat(128),
    'password\u0000',
    'password\ud800',
  ])('judge the password %j as the protocol does', (password) => {
    expect(passwordProblem(password) === null).toBe(passwordSchema.safeParse(password).success);
  });

  it('say what to change', () => {
    expect(usernameProblem('ab')).toBe('Too short: use at least 3 characters.');
    expect(usernameProblem('x'.repeat(33))).toBe('Too long: use at most 32 characters.');
    expect(usernameProblem('al ice!')).toBe('Use only letters a–z, digits 0–9, and _ . - (not spaces, “!”).');
    expect(passwordProblem('short')).toBe('Too short: use at least 8 characters.');
  });
});
