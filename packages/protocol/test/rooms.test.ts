import { describe, expect, it } from 'vitest';
import { codePointLength, dmParticipants, dmRoomId } from '../src/index.js';

describe('dmRoomId', () => {
  it('sorts the two ids with a plain string sort', () => {
    expect(dmRoomId('u_9f', 'u_1a')).toBe('dm:u_1a:u_9f');
    expect(dmRoomId('u_1a', 'u_9f')).toBe('dm:u_1a:u_9f');
    // Plain string sort, not numeric or locale-aware: 'u_B' < 'u_a' because 'B' < 'a'.
    expect(dmRoomId('u_a', 'u_B')).toBe('dm:u_B:u_a');
    expect(dmRoomId('u_10', 'u_9')).toBe('dm:u_10:u_9');
  });

  it('round-trips through dmParticipants', () => {
    expect(dmParticipants(dmRoomId('u_b', 'u_a'))).toEqual(['u_a', 'u_b']);
    expect(dmParticipants('r_general')).toBeNull();
    expect(dmParticipants('dm:only-one')).toBeNull();
    expect(dmParticipants('dm:a::c')).toBeNull();
  });

  it('names a group DM of up to 9 by every member id sorted, each once', () => {
    expect(dmRoomId('u_c', 'u_a', 'u_b', 'u_a')).toBe('dm:u_a:u_b:u_c');
    expect(dmParticipants('dm:u_a:u_b:u_c')).toEqual(['u_a', 'u_b', 'u_c']);
    const nine = Array.from({ length: 9 }, (_, i) => `u_${i}`);
    expect(dmParticipants(dmRoomId(...nine))).toEqual(nine);
    expect(dmParticipants(`dm:${[...nine, 'u_9'].join(':')}`)).toBeNull();
  });
});

describe('codePointLength', () => {
  it('counts astral characters once', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect('a😀b'.length).toBe(4);
  });
});
