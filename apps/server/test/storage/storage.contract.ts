import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateKeyError, StorageUnavailableError } from '../../src/storage/errors.js';
import type { Storage } from '../../src/storage/storage.js';
import { describeAccounts } from './storage.contract.accounts.js';
import { describeBlobStore } from './storage.contract.blobs.js';
import { describeFiles } from './storage.contract.files.js';
import { describeMentions } from './storage.contract.mentions.js';
import { describeMessageChanges } from './storage.contract.messages.js';
import { describeModeration } from './storage.contract.moderation.js';
import { describeSearch } from './storage.contract.search.js';
import { contractContext, T0 } from './storage.contract.support.js';
import { describeThreads } from './storage.contract.threads.js';

export interface StorageFactory {
  /** A fresh, empty, migrated storage. */
  open(): Promise<Storage>;
  /** Releases whatever open() made. */
  dispose?(storage: Storage): Promise<void>;
  /**
   * What the storage's BlobStore holds below its interface (names of files on disk, keys of rows),
   * whole blobs and leftovers alike: [] when it holds nothing at all.
   */
  blobResidue(storage: Storage): Promise<string[]>;
}

/** The repository suite every storage implementation must pass. */
export function describeStorageContract(name: string, factory: StorageFactory): void {
  describe(`${name} storage`, () => {
    let storage: Storage;
    const context = contractContext(() => storage);
    const { user, room, send, scene } = context;

    beforeEach(async () => {
      storage = await factory.open();
    });
    afterEach(async () => {
      await factory.dispose?.(storage);
    });

    describe('users', () => {
      it('finds users by id, username and prefix', async () => {
        const alice = await user('alice');
        await user('alicia');
        await user('bob');
        expect(await storage.users.findById(alice.id)).toEqual({ id: alice.id, username: 'alice', displayName: '' });
        expect((await storage.users.findByUsername('alice'))?.passwordHash).toBe('hash');
        expect(await storage.users.findByUsername('nobody')).toBeNull();
        expect((await storage.users.searchByPrefix('ali', 20)).map((u) => u.username)).toEqual(['alice', 'alicia']);
        expect(await storage.users.searchByPrefix('ali', 1)).toHaveLength(1);
        expect((await storage.users.findByIds([alice.id, 'u_missing'])).map((u) => u.username)).toEqual(['alice']);
      });

      it("finds a room's members by prefix, and nobody else", async () => {
        const alice = await user('alice');
        const alicia = await user('alicia');
        await user('alina');
        const room = await storage.rooms.create({ id: 'r_team', name: 'team', kind: 'public', ownerId: alice.id, createdAt: T0 }, [
          alice.id,
          alicia.id,
        ]);
        const names = async (prefix: string, roomId = room.id, limit = 20) =>
          (await storage.users.searchByPrefix(prefix, limit, roomId)).map((u) => u.username);
        expect(await names('ali')).toEqual(['alice', 'alicia']);
        expect(await names('')).toEqual(['alice', 'alicia']);
        expect(await names('ali', room.id, 1)).toEqual(['alice']);
        expect(await names('al_')).toEqual([]);
        expect(await names('ali', 'r_missing')).toEqual([]);
        await storage.rooms.removeMember(room.id, alicia.id);
        expect(await names('ali')).toEqual(['alice']);
      });

      it('treats LIKE wildcards in a prefix literally', async () => {
        await user('a_b');
        await user('axb');
        expect((await storage.users.searchByPrefix('a_', 20)).map((u) => u.username)).toEqual(['a_b']);
        expect(await storage.users.searchByPrefix('%', 20)).toEqual([]);
      });

      it('refuses a taken username with DuplicateKeyError', async () => {
        await user('carol');
        await expect(storage.users.create({ id: 'u_other', username: 'carol', passwordHash: 'h', createdAt: T0 })).rejects.toBeInstanceOf(
          DuplicateKeyError,
        );
      });
    });

    describe('sessions', () => {
      it('finds active sessions only, and deletes them', async () => {
        const alice = await user();
        await storage.sessions.create({ id: 's1', userId: alice.id, createdAt: T0, expiresAt: 2000 });
        expect((await storage.sessions.findActive('s1', 1000))?.user.id).toBe(alice.id);
        expect(await storage.sessions.findActive('s1', 2000)).toBeNull();
        expect(await storage.sessions.deleteExpired(2000)).toBe(1);
        await storage.sessions.create({ id: 's2', userId: alice.id, createdAt: T0, expiresAt: 5000 });
        expect(await storage.sessions.delete('s2')).toBe(true);
        expect(await storage.sessions.delete('s2')).toBe(false);
        expect(await storage.sessions.findActive('s2', 0)).toBeNull();
      });
    });

    describe('rooms and membership', () => {
      it('creates a room with its first members and counts them', async () => {
        const a = await user();
        const b = await user();
        const r = await room('private', a.id, [a.id, b.id]);
        expect(r).toMatchObject({ kind: 'private', memberCount: 2, lastSeq: 0, lastRev: 0, topic: '', ownerId: a.id });
        expect(await storage.rooms.findMembership(r.id, b.id)).toMatchObject({ lastReadSeq: 0 });
        expect(await storage.rooms.findById('r_missing')).toBeNull();
      });

      it('adds and removes members idempotently, keeping the count true', async () => {
        const a = await user();
        const b = await user();
        const r = await room('public', a.id);
        expect(await storage.rooms.addMember(r.id, b.id, T0)).toBe('added');
        expect(await storage.rooms.addMember(r.id, b.id, T0)).toBe('member');
        expect((await storage.rooms.findById(r.id))?.memberCount).toBe(2);
        expect(await storage.rooms.removeMember(r.id, b.id)).toEqual({ removed: true, newOwnerId: null });
        expect(await storage.rooms.removeMember(r.id, b.id)).toEqual({ removed: false, newOwnerId: null });
        expect((await storage.rooms.findById(r.id))?.memberCount).toBe(1);
        expect(await storage.rooms.memberRoomIds(b.id)).toEqual([]);
        expect(await storage.rooms.memberRoomIds(a.id)).toEqual([r.id]);
      });

      it('starts a new member read marker at the last seq', async () => {
        const a = await user();
        const b = await user();
        const r = await room('public', a.id);
        await send(r.id, a.id, 'c1');
        await send(r.id, a.id, 'c2');
        await storage.rooms.addMember(r.id, b.id, T0);
        expect((await storage.rooms.findMembership(r.id, b.id))?.lastReadSeq).toBe(2);
      });

      it('lists public rooms and the rooms the user belongs to', async () => {
        const a = await user();
        const b = await user();
        const pub = await room('public', a.id);
        const priv = await room('private', a.id);
        const dm = await room('dm', a.id, [a.id, b.id], `dm:${a.id}:${b.id}`);
        const forB = await storage.rooms.listVisible(b.id);
        expect(forB.map((r) => r.id).sort()).toEqual([pub.id, dm.id].sort());
        expect(forB.find((r) => r.id === pub.id)?.joined).toBe(false);
        expect(forB.find((r) => r.id === dm.id)?.joined).toBe(true);
        expect((await storage.rooms.listVisible(a.id)).map((r) => r.id).sort()).toEqual([pub.id, priv.id, dm.id].sort());
      });

      it('lists invitations and each room with its newest message (author included) and the inviter', async () => {
        const [a, b, outsider] = [await user('host'), await user('guest'), await user()];
        const [pub, priv, quiet] = [await room('public', a.id, [a.id, b.id]), await room('private', a.id), await room('public', a.id)];
        await send(pub.id, a.id, 'p1', 'first');
        await send(pub.id, b.id, 'p2', 'newest 😀');
        await send(priv.id, a.id, 'q1', 'private words');
        await storage.rooms.addInvitation({ roomId: priv.id, userId: b.id, invitedBy: a.id, createdAt: T0 });
        const host = { id: a.id, username: 'host', displayName: '' };
        const listed = async (userId: string) => new Map((await storage.rooms.listVisible(userId)).map((r) => [r.id, r]));

        const forB = await listed(b.id);
        expect([...forB.keys()].sort()).toEqual([pub.id, priv.id, quiet.id].sort());
        expect(forB.get(pub.id)).toMatchObject({ lastSeq: 2, lastRev: 2, topic: '', invitedBy: null });
        expect(forB.get(pub.id)?.lastMessage).toEqual({
          text: 'newest 😀',
          author: { id: b.id, username: 'guest', displayName: '' },
          createdAt: T0,
          files: 0,
        });
        // Storage reads the preview for anyone: who may see it is the domain's rule.
        expect(forB.get(priv.id)).toMatchObject({ joined: false, invitedBy: host, lastMessage: { text: 'private words', author: host } });
        expect(forB.get(quiet.id)).toMatchObject({ lastMessage: null, invitedBy: null });
        expect(await storage.rooms.view(priv.id, b.id)).toEqual(forB.get(priv.id));
        expect((await listed(a.id)).get(priv.id)).toMatchObject({ joined: true, invitedBy: null });
        expect((await listed(outsider.id)).has(priv.id)).toBe(false);

        // A member is not invited, even when an invitation row outlives the join.
        await storage.rooms.addMember(priv.id, b.id, T0);
        await storage.rooms.addInvitation({ roomId: priv.id, userId: b.id, invitedBy: a.id, createdAt: T0 });
        expect((await listed(b.id)).get(priv.id)).toMatchObject({ joined: true, invitedBy: null, lastMessage: { text: 'private words' } });
        expect(await storage.rooms.view(priv.id, outsider.id)).toMatchObject({ joined: false, invitedBy: null });
        expect(await storage.rooms.view('r_missing', b.id)).toBeNull();
      });

      it('tells who shares a room with a user', async () => {
        const a = await user();
        const b = await user();
        const c = await user();
        await room('public', a.id, [a.id, b.id]);
        await room('public', c.id);
        expect((await storage.rooms.sharedWith(a.id, [b.id, c.id, a.id, 'u_none'])).sort()).toEqual([a.id, b.id].sort());
        expect(await storage.rooms.sharedWith(c.id, [a.id, b.id])).toEqual([]);
        expect(await storage.rooms.sharedWith(a.id, [])).toEqual([]);
      });

      it('keeps invitations until the invitee joins', async () => {
        const a = await user();
        const b = await user();
        const r = await room('private', a.id);
        await storage.rooms.addInvitation({ roomId: r.id, userId: b.id, invitedBy: a.id, createdAt: T0 });
        await storage.rooms.addInvitation({ roomId: r.id, userId: b.id, invitedBy: a.id, createdAt: T0 });
        expect(await storage.rooms.hasInvitation(r.id, b.id)).toBe(true);
        await storage.rooms.addMember(r.id, b.id, T0);
        expect(await storage.rooms.hasInvitation(r.id, b.id)).toBe(false);
      });

      it('moves read markers forward only, and never past the last seq', async () => {
        const { a, b, r } = await scene();
        for (const id of ['1', '2', '3']) await send(r.id, a.id, id);
        expect(await storage.rooms.markRead(r.id, b.id, 2)).toBe(2);
        expect(await storage.rooms.markRead(r.id, b.id, 1)).toBe(2);
        expect(await storage.rooms.markRead(r.id, b.id, 99)).toBe(3);
      });
    });

    describe('messages', () => {
      it('numbers messages per room from 1 with no gaps', async () => {
        const { a, r, other } = await scene();
        const seqs = [];
        for (let i = 0; i < 5; i++) seqs.push((await send(r.id, a.id, `a${i}`)).message.seq);
        expect(seqs).toEqual([1, 2, 3, 4, 5]);
        expect((await send(other.id, a.id, 'b0')).message.seq).toBe(1);
        expect((await storage.rooms.findById(r.id))?.lastSeq).toBe(5);
      });

      it('assigns distinct gapless seqs to concurrent appends', async () => {
        const { a, r } = await scene();
        const results = await Promise.all(Array.from({ length: 40 }, (_, i) => send(r.id, a.id, `c${i}`)));
        expect(results.map((x) => x.message.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      });

      it('keeps appends made together independent: one failing does not undo the others', async () => {
        const { a, r } = await scene();
        const results = await Promise.allSettled([send(r.id, a.id, 'ok1'), send('r_missing', a.id, 'bad'), send(r.id, a.id, 'ok2')]);
        expect(results.map((x) => x.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((await storage.messages.history(r.id, { limit: 10 })).map((m) => m.clientMsgId)).toEqual(['ok1', 'ok2']);
        // The same clientMsgId twice in one go stores one message.
        const [first, second] = await Promise.all([send(r.id, a.id, 'twin', 'one'), send(r.id, a.id, 'twin', 'two')]);
        expect(second).toEqual({ message: first.message, created: false });
      });

      it('is idempotent on (room, author, clientMsgId)', async () => {
        const { a, b, r } = await scene();
        const first = await send(r.id, a.id, 'same', 'original');
        const again = await send(r.id, a.id, 'same', 'different text');
        expect(first.created).toBe(true);
        expect(again).toEqual({ message: first.message, created: false });
        // Another author may use the same clientMsgId.
        expect((await send(r.id, b.id, 'same')).created).toBe(true);
        expect((await storage.rooms.findById(r.id))?.lastSeq).toBe(2);
      });

      it('keeps text exactly and returns the author', async () => {
        const a = await user('textuser');
        const r = await room('public', a.id);
        const text = '  émoji 😀 \n\t<b>not html</b>  ';
        const { message } = await send(r.id, a.id, 'x', text);
        expect(message).toMatchObject({ text, author: { id: a.id, username: 'textuser' }, seq: 1, clientMsgId: 'x' });
        expect((await storage.messages.history(r.id, { limit: 1 }))[0]).toEqual(message);
      });

      it('moves the author read marker to their message', async () => {
        const { a, r } = await scene();
        await send(r.id, a.id, 'x');
        expect((await storage.rooms.findMembership(r.id, a.id))?.lastReadSeq).toBe(1);
      });

      it('pages history by seq: newest, before and after, always ascending', async () => {
        const { a, r } = await scene();
        for (let i = 1; i <= 12; i++) await send(r.id, a.id, `m${i}`);
        const seqs = async (q: { before?: number; after?: number; limit: number }) =>
          (await storage.messages.history(r.id, q)).map((m) => m.seq);
        expect(await seqs({ limit: 3 })).toEqual([10, 11, 12]);
        expect(await seqs({ before: 10, limit: 3 })).toEqual([7, 8, 9]);
        expect(await seqs({ before: 2, limit: 3 })).toEqual([1]);
        expect(await seqs({ after: 0, limit: 3 })).toEqual([1, 2, 3]);
        expect(await seqs({ after: 10, limit: 5 })).toEqual([11, 12]);
        expect(await seqs({ after: 12, limit: 5 })).toEqual([]);
        expect(await storage.messages.history('r_none', { limit: 5 })).toEqual([]);
      });

      it('rejects a message for a room that does not exist', async () => {
        const a = await user();
        await expect(send('r_none', a.id, 'x')).rejects.toBeDefined();
      });
    });

    describeMessageChanges(context);
    describeThreads(context);
    describeMentions(context);
    describeSearch(context);
    describeModeration(context);
    describeAccounts(context);
    describeFiles(context);
    describeBlobStore(context, () => factory.blobResidue(storage));

    it('answers ping, then reports itself unavailable once closed', async () => {
      await storage.ping();
      await storage.close();
      await expect(storage.ping()).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(storage.users.findById('u_x')).rejects.toBeInstanceOf(StorageUnavailableError);
    });
  });
}
