import { describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';

describe('newId', () => {
  it('gives prefixed ids of 80 random bits, all different across many refills of its random pool', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => newId(i % 2 ? 'm' : 'u'));
    for (const [i, id] of ids.entries()) expect(id).toMatch(i % 2 ? /^m_[0-9a-f]{20}$/ : /^u_[0-9a-f]{20}$/);
    expect(new Set(ids.map((id) => id.slice(2))).size).toBe(ids.length);
  });
});
