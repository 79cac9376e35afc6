import { describe, expect, it } from 'vitest';
import { toEmojiData } from '../src/features/chat/components/emoji-picker';

const messages = {
  groups: [
    { key: 'people-body', message: 'people & body', order: 1 },
    { key: 'symbols', message: 'symbols', order: 7 },
  ],
  subgroups: [],
  skinTones: [],
};

describe('the emoji picker data', () => {
  it('offers only what a reaction may be: no keycaps, which have no pictographic character', () => {
    const data = toEmojiData(
      [
        { emoji: '👍', label: 'thumbs up', group: 1, version: 0.6 },
        { emoji: '#️⃣', label: 'keycap: #', group: 7, version: 0.6 },
        { emoji: '©️', label: 'copyright', group: 7, version: 0.6 },
      ],
      messages,
    );
    expect(data.emojis.map((e) => e.emoji)).toEqual(['👍', '©️']);
  });
});
