import type { RoomSummary } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { previewOf } from '../src/features/rooms/components/room-list-item';
import { roomSummary } from './support/fixtures';

const alice = { id: 'u_a', username: 'alice', displayName: '' };
const room = (lastMessage: RoomSummary['lastMessage']) => roomSummary({ lastSeq: 3, lastRev: 5, lastMessage });

describe('the room list preview', () => {
  it('shows the newest text with its author', () => {
    expect(previewOf(room({ text: 'hello  there', author: alice, createdAt: '2026-01-01T00:00:00.000Z', files: 0 }), 'u_b')).toBe(
      'alice: hello there',
    );
  });

  it('says a deleted newest message was deleted, without any old text', () => {
    expect(previewOf(room({ text: '', author: alice, createdAt: '2026-01-01T00:00:00.000Z', files: 0 }), 'u_a')).toBe(
      'You: message deleted',
    );
  });

  it('says that files were sent when the newest message is files alone, and shows the text when it has some', () => {
    const at = '2026-01-01T00:00:00.000Z';
    expect(previewOf(room({ text: '', author: alice, createdAt: at, files: 1 }), 'u_b')).toBe('alice: sent a file');
    expect(previewOf(room({ text: '', author: alice, createdAt: at, files: 3 }), 'u_a')).toBe('You: sent 3 files');
    expect(previewOf(room({ text: 'the plan', author: alice, createdAt: at, files: 2 }), 'u_b')).toBe('alice: the plan');
  });
});
