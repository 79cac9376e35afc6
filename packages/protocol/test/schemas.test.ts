import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  clientEvents,
  fileUploadQuerySchema,
  isInlineImageType,
  credentialsSchema,
  historyPayloadSchema,
  hasVisibleCharacter,
  historyQuerySchema,
  messageSendPayloadSchema,
  roomCreatePayloadSchema,
  roomReadPayloadSchema,
  roomJoinedSchema,
  roomListResultSchema,
  roomSummarySchema,
} from '../src/index.js';

describe('credentials', () => {
  it('lowercases usernames', () => {
    expect(credentialsSchema.parse({ username: 'Alice', password: 'password1' }).username).toBe('alice');
  });

  it.each(['ab', 'a'.repeat(33), 'al ice', 'alice!', 'ålice', ''])('rejects username %j', (username) => {
    expect(credentialsSchema.safeParse({ username, password: 'password1' }).success).toBe(false);
  });

  it('accepts the whole username alphabet', () => {
    expect(credentialsSchema.safeParse({ username: 'a_b.c-9', password: 'password1' }).success).toBe(true);
  });

  it('counts password length in code points', () => {
    expect(credentialsSchema.safeParse({ username: 'alice', password: '😀'.repeat(7) }).success).toBe(false);
    expect(credentialsSchema.safeParse({ username: 'alice', password: '😀'.repeat(8) }).success).toBe(true);
    expect(credentialsSchema.safeParse({ username: 'alice', password: '😀'.repeat(128) }).success).toBe(true);
    expect(credentialsSchema.safeParse({ username: 'alice', password: 'x'.repeat(129) }).success).toBe(false);
  });

  it('rejects unknown keys', () => {
    expect(credentialsSchema.safeParse({ username: 'alice', password: 'password1', admin: true }).success).toBe(false);
  });
});

describe('room names', () => {
  it('trims and keeps 1 to 64 code points', () => {
    expect(roomCreatePayloadSchema.parse({ name: '  general  ', visibility: 'public' }).name).toBe('general');
    expect(roomCreatePayloadSchema.safeParse({ name: '   ', visibility: 'public' }).success).toBe(false);
    expect(roomCreatePayloadSchema.safeParse({ name: '🎉'.repeat(64), visibility: 'public' }).success).toBe(true);
    expect(roomCreatePayloadSchema.safeParse({ name: 'x'.repeat(65), visibility: 'public' }).success).toBe(false);
  });

  it('rejects dm as a visibility', () => {
    expect(roomCreatePayloadSchema.safeParse({ name: 'x', visibility: 'dm' }).success).toBe(false);
  });
});

describe('room names: invisible and direction-changing text', () => {
  const name = (value: string) => roomCreatePayloadSchema.safeParse({ name: value, visibility: 'public' });
  const stored = (value: string) => {
    const parsed = name(value);
    return parsed.success ? parsed.data.name : parsed.error.issues.map((i) => i.message).join('; ');
  };

  it.each([' \u200b ', '\u200b', '\u2060\ufeff\u00ad', '\u3164', '\u2800', '\u0301\u0301', '\ufe0f', '\u200d', '\u{E0041}'])(
    'refuses %j: no visible character',
    (value) => {
      expect(stored(value)).toBe('name must contain a visible character');
    },
  );

  it.each(['\u202Eevil', 'a\u2066b', 'a\u2069', '\u202Aa', 'a\u202Cb', '\u200Fgeneral', 'general\u200E', 'a\u061Cb'])(
    'refuses %j: direction control',
    (value) => {
      expect(stored(value)).toMatch(/^name must not contain direction controls/);
    },
  );

  it.each([
    ['general\u200b', 'general'],
    ['\u200bgeneral', 'general'],
    ['gen\u00aderal', 'general'],
    ['gen\u200ceral', 'general'],
    ['gen\u2060eral\ufeff', 'general'],
    ['Ｇｅｎｅｒａｌ', 'General'],
    ['ｇｅｎｅｒａｌ\u3000', 'general'],
    ['e\u200b\u0301', '\u00e9'],
    ['team\u00a0 \t\nchat', 'team chat'],
    ['bell\u0007', 'bell'],
  ])('stores %j as %j', (value, expected) => {
    expect(stored(value)).toBe(expected);
  });

  it.each(['👩‍💻 devs', '🏳️‍🌈', '❤️ fans', '1️⃣ first', '🏴󠁧󠁢󠁳󠁣󠁴󠁿 scots', 'می‌خواهم', 'café', 'общий', 'ラウンジ'])('keeps %j as typed', (value) => {
    expect(stored(value)).toBe(value.normalize('NFKC'));
    expect(stored(value)).toBe(value);
  });

  it('is idempotent: a stored name parses to itself', () => {
    for (const value of ['general\u200b', 'Ｇｅｎｅｒａｌ', ' a \u200b b ', 'e\u200b\u0301', '👩‍💻 devs', 'ﷺ']) {
      const once = stored(value);
      expect(stored(once)).toBe(once);
    }
  });

  it('counts the limit after normalising', () => {
    expect(stored('x'.repeat(LIMITS.roomNameMax) + '\u200b'.repeat(10))).toBe('x'.repeat(LIMITS.roomNameMax));
    expect(name('ﷺ'.repeat(4)).success).toBe(false); // NFKC: 18 code points each
  });
});

describe('visible characters', () => {
  it.each([
    ['hello', true],
    ['👩‍💻', true],
    ['\uE000', true],
    [' \u200b\u2060\u200d\ufe0f\u034f\u115f\u3164\uffa0\u2800\u00ad\u202e\u2066 ', false],
    ['\u0301', false],
  ])('%j: %s', (value, visible) => {
    expect(hasVisibleCharacter(value)).toBe(visible);
  });
});

describe('message text', () => {
  const send = (text: unknown) => messageSendPayloadSchema.safeParse({ roomId: 'r_1', clientMsgId: 'c1', text });

  it('keeps text exactly as sent', () => {
    const text = '  hello\n\tworld  ';
    const parsed = send(text);
    expect(parsed.success && parsed.data.text).toBe(text);
  });

  it('needs a non-whitespace character', () => {
    expect(send(' \n\t ').success).toBe(false);
    expect(send('').success).toBe(false);
  });

  it.each(['\u200b', '\u202e', '\u200b \u2060', '\ufeff', '\u3164', '\u2800\u2800', '\u0301', '\u00ad\u200d'])(
    'refuses %j: no visible character',
    (text) => {
      const parsed = send(text);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.message)).toContain(
        'text must contain a visible character, not only spaces or invisible characters',
      );
    },
  );

  it.each(['👩‍💻', 'hi\u200b', '\u202eevil', 'Ｇｅｎｅｒａｌ', 'a\u2066b', ' 🏳️‍🌈 '])(
    'keeps %j exactly: message text is never normalised',
    (text) => {
      const parsed = send(text);
      expect(parsed.success && parsed.data.text).toBe(text);
    },
  );

  it('counts at most 4000 code points, not UTF-16 units', () => {
    expect(send('😀'.repeat(LIMITS.messageTextMax)).success).toBe(true);
    expect(send('😀'.repeat(LIMITS.messageTextMax + 1)).success).toBe(false);
    expect(send('a'.repeat(LIMITS.messageTextMax + 1)).success).toBe(false);
  });

  it('rejects what storage could not keep exactly', () => {
    expect(send('lone \ud800 surrogate').success).toBe(false);
    expect(send('nul \u0000 byte').success).toBe(false);
  });

  it.each([null, 42, ['hi'], { text: 'hi' }])('rejects a non-string text %j', (text) => {
    expect(send(text).success).toBe(false);
  });

  it('rejects an authorId smuggled into the payload', () => {
    expect(messageSendPayloadSchema.safeParse({ roomId: 'r', clientMsgId: 'c', text: 'hi', authorId: 'u_x' }).success).toBe(false);
  });
});

describe('history paging', () => {
  it('defaults the limit to 50', () => {
    expect(historyPayloadSchema.parse({ roomId: 'r' }).limit).toBe(50);
    expect(historyQuerySchema.parse({}).limit).toBe(50);
  });

  it('refuses before and after together', () => {
    expect(historyPayloadSchema.safeParse({ roomId: 'r', before: 5, after: 1 }).success).toBe(false);
  });

  it('parses the HTTP query strictly', () => {
    expect(historyQuerySchema.parse({ before: '10', limit: '20' })).toEqual({ before: 10, limit: 20 });
    for (const bad of [{ before: 'abc' }, { limit: '0' }, { limit: '101' }, { after: '-1' }, { after: '1.5' }, { x: '1' }]) {
      expect(historyQuerySchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('read markers', () => {
  it('takes whole non-negative seqs only', () => {
    expect(roomReadPayloadSchema.safeParse({ roomId: 'r', seq: 3 }).success).toBe(true);
    for (const seq of [-1, 1.5, '3', Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(roomReadPayloadSchema.safeParse({ roomId: 'r', seq }).success).toBe(false);
    }
  });
});

describe('room summaries: preview and inviter', () => {
  const alice = { id: 'u_alice', username: 'alice', displayName: '' };
  const base = {
    id: 'r_1',
    kind: 'private',
    name: 'plans',
    memberCount: 2,
    lastSeq: 3,
    lastRev: 4,
    topic: '',
    joined: true,
    unread: 1,
    mentions: 0,
    threadsUnread: 0,
    role: 'member',
    muted: false,
  } as const;
  const lastMessage = { text: 'see you at 5', author: alice, createdAt: '2025-01-02T03:04:05.000Z', files: 0 };

  it('carries the newest message and who invited me', () => {
    const summary = { ...base, lastMessage, invitedBy: alice };
    expect(roomSummarySchema.parse(summary)).toEqual(summary);
    expect(roomJoinedSchema.safeParse({ room: summary }).success).toBe(true);
    expect(roomListResultSchema.safeParse({ rooms: [summary] }).success).toBe(true);
  });

  it('takes null for both', () => {
    expect(roomSummarySchema.safeParse({ ...base, lastSeq: 0, lastMessage: null, invitedBy: null }).success).toBe(true);
  });

  it('requires both fields: never missing', () => {
    expect(roomSummarySchema.safeParse({ ...base, invitedBy: null }).success).toBe(false);
    expect(roomSummarySchema.safeParse({ ...base, lastMessage: null }).success).toBe(false);
  });

  it('keeps the preview strict', () => {
    const parse = (preview: unknown) => roomSummarySchema.safeParse({ ...base, lastMessage: preview, invitedBy: null }).success;
    expect(parse({ ...lastMessage, seq: 3 })).toBe(false);
    expect(parse({ ...lastMessage, createdAt: 'yesterday' })).toBe(false);
    expect(parse({ ...lastMessage, author: { id: 'u_alice' } })).toBe(false);
    expect(parse({ text: 'hi', author: alice })).toBe(false);
  });
});

describe('every client event', () => {
  const hostile: unknown[] = [null, undefined, 'string', 42, [], [1, 2], JSON.parse('{"__proto__":{"polluted":true}}')];

  it.each(Object.keys(clientEvents))('%s rejects hostile payloads without throwing', (event) => {
    const { payload } = clientEvents[event as keyof typeof clientEvents];
    for (const value of hostile) {
      expect(payload.safeParse(value).success).toBe(false);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('files (v2, issue 17)', () => {
  const send = (payload: Record<string, unknown>) =>
    messageSendPayloadSchema.safeParse({ roomId: 'r_1', clientMsgId: 'c1', text: 'hi', ...payload });

  it('lets a message with files have empty text, and only then', () => {
    expect(send({ text: '', fileIds: ['f_1'] }).success).toBe(true);
    expect(send({ text: '' }).success).toBe(false);
    expect(send({ text: ' \n', fileIds: ['f_1'] }).success).toBe(false);
    expect(send({ text: 'look', fileIds: ['f_1', 'f_2'] }).success).toBe(true);
  });

  it('takes 1 to 10 distinct file ids', () => {
    expect(send({ fileIds: [] }).success).toBe(false);
    expect(send({ fileIds: Array.from({ length: 10 }, (_, i) => `f_${i}`) }).success).toBe(true);
    expect(send({ fileIds: Array.from({ length: 11 }, (_, i) => `f_${i}`) }).success).toBe(false);
    expect(send({ fileIds: ['f_1', 'f_1'] }).success).toBe(false);
    expect(send({ fileIds: ['has space'] }).success).toBe(false);
  });

  it.each(['report.pdf', 'Снимок экрана 2026-12-03.png', '写真.jpg', '.env', 'a'.repeat(LIMITS.fileNameMax)])(
    'accepts the file name %j',
    (name) => {
      expect(fileUploadQuerySchema.safeParse({ name }).success).toBe(true);
    },
  );

  it.each(['', ' ', '.', '..', '../etc/passwd', 'a\\b', 'line\nbreak', 'nul\u0000', 'a'.repeat(LIMITS.fileNameMax + 1)])(
    'refuses the file name %j',
    (name) => {
      expect(fileUploadQuerySchema.safeParse({ name }).success).toBe(false);
    },
  );

  it('shows only raster images inline', () => {
    expect(isInlineImageType('image/png')).toBe(true);
    expect(isInlineImageType('image/jpeg')).toBe(true);
    expect(isInlineImageType('image/svg+xml')).toBe(false);
    expect(isInlineImageType('text/html')).toBe(false);
  });
});
