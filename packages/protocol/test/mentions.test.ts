import { describe, expect, it } from 'vitest';
import { mentionTokens } from '../src/index.js';

const names = (text: string) => mentionTokens(text).map((t) => t.names);
const written = (text: string) => mentionTokens(text).map((t) => text.slice(t.index, t.index + t.length));

describe('mentionTokens', () => {
  it('finds each @name as a whole word, lowercased, with where it was written', () => {
    expect(names('hi @Bob and @carol_2')).toEqual([['bob'], ['carol_2']]);
    expect(written('hi @Bob and @carol_2')).toEqual(['@Bob', '@carol_2']);
    expect(mentionTokens('@alice')[0]).toEqual({ index: 0, length: 6, names: ['alice'] });
  });

  it('offers the name without the punctuation that ends a sentence as a second reading', () => {
    expect(names('thanks @bob.')).toEqual([['bob.', 'bob']]);
    expect(names('@a.b-c--')).toEqual([['a.b-c--', 'a.b-c']]);
    expect(names('see @...')).toEqual([['...']]);
  });

  it('ignores an @ inside a word or an address, and a text without one', () => {
    expect(names('mail bob@example.com')).toEqual([]);
    expect(names('x@@bob')).toEqual([]);
    expect(names('no mention here')).toEqual([]);
    expect(names('@ alone')).toEqual([]);
  });

  it('reads names in any script', () => {
    expect(names('こんにちは @たなか さん')).toEqual([['たなか']]);
    expect(written('Привет,@Иван!')).toEqual(['@Иван']);
  });
});
