import { describe, expect, it } from 'vitest';
import { byActivity } from '../src/features/rooms/room-order';
import { plural } from '../src/lib/plural';
import { formatShortTime } from '../src/lib/short-time';
import { BOB } from './support/fixtures';

describe('plural', () => {
  it('says "1 member" and "2 members", never "1 members"', () => {
    expect(plural(0, 'member')).toBe('0 members');
    expect(plural(1, 'member')).toBe('1 member');
    expect(plural(2, 'member')).toBe('2 members');
    expect(plural(1, 'unread message')).toBe('1 unread message');
    expect(plural(12, 'new message')).toBe('12 new messages');
  });

  it('takes an irregular plural and groups thousands', () => {
    expect(plural(1, 'reply', 'replies')).toBe('1 reply');
    expect(plural(3, 'reply', 'replies')).toBe('3 replies');
    expect(plural(1234, 'member')).toBe('1,234 members');
  });
});

describe('formatShortTime', () => {
  const now = new Date(2026, 10, 23, 15, 30);
  const at = (...parts: [number, number, number, number?, number?]) => new Date(...parts).toISOString();

  it('shows the time of day for today, then Yesterday, a weekday, a date, a date with its year', () => {
    const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(new Date(2026, 10, 23, 9, 5));
    expect(formatShortTime(at(2026, 10, 23, 9, 5), now)).toBe(timeOfDay);
    expect(formatShortTime(at(2026, 10, 22, 23, 59), now)).toMatch(/^Yesterday$/i);
    const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' }).format(new Date(2026, 10, 19));
    expect(formatShortTime(at(2026, 10, 19, 12), now)).toBe(weekday);
    expect(formatShortTime(at(2026, 2, 4, 12), now)).not.toMatch(/2026/);
    expect(formatShortTime(at(2025, 2, 4, 12), now)).toMatch(/2025/);
  });

  it('treats a time a little in the future (another clock) as today', () => {
    expect(formatShortTime(at(2026, 10, 23, 15, 31), now)).not.toMatch(/yesterday|tomorrow/i);
  });
});

describe('byActivity', () => {
  const room = (name: string, createdAt?: string) => ({
    name,
    lastMessage: createdAt ? { text: 'hi', author: BOB, createdAt, files: 0 } : null,
  });

  it('puts the newest message first, then rooms without messages by name', () => {
    const rooms = [
      room('zebra'),
      room('old', '2026-11-20T10:00:00.000Z'),
      room('Apple'),
      room('new', '2026-11-23T10:00:00.000Z'),
      room('banana'),
    ];
    expect(rooms.sort(byActivity).map((r) => r.name)).toEqual(['new', 'old', 'Apple', 'banana', 'zebra']);
  });

  it('orders rooms with messages at the same time by name', () => {
    const time = '2026-11-23T10:00:00.000Z';
    expect([room('b', time), room('a', time)].sort(byActivity).map((r) => r.name)).toEqual(['a', 'b']);
  });
});
