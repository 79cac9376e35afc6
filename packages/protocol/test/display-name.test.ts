import { describe, expect, it } from 'vitest';
import { profilePatchSchema } from '../src/index.js';

const parse = (displayName: unknown) => profilePatchSchema.safeParse({ displayName });

describe('display names (PATCH /api/me)', () => {
  it.each([
    ['Alice', 'Alice'],
    ['  Alice   Liddell ', 'Alice Liddell'],
    ['Ａｌｉｃｅ', 'Alice'],
    ['Ali\u200bce', 'Alice'],
    ['👩‍💻 dev', '👩‍💻 dev'],
    ['', ''],
    ['   ', ''],
    ['x'.repeat(64), 'x'.repeat(64)],
  ])('%j is stored as %j', (typed, stored) => {
    expect(parse(typed)).toMatchObject({ success: true, data: { displayName: stored } });
  });

  it.each([
    ['evil\u202Eman', 'direction controls'],
    ['\u2066Bob', 'direction controls'],
    ['\u200b', 'visible character'],
    ['\ufeff\u2060', 'visible character'],
    ['x'.repeat(65), 'at most 64'],
    ['bad\u0000', 'NUL'],
  ])('%j is refused (%s)', (typed, reason) => {
    const result = parse(typed);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join(' ')).toContain(reason);
  });

  it('takes nothing but a display name', () => {
    expect(profilePatchSchema.safeParse({}).success).toBe(false);
    expect(profilePatchSchema.safeParse({ displayName: 'a', username: 'b' }).success).toBe(false);
  });
});
