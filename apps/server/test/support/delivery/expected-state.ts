import { isDeepStrictEqual } from 'node:util';
import type { Message } from '@parley/protocol';
import type { DeliveryLog } from './delivery-log.js';

/** What the acknowledged operations say a message must end as. */
interface Expected {
  deleted: boolean;
  /** The text of the last acknowledged edit; undefined when none was. */
  editedText: string | undefined;
  /** Per emoji, per user: on or off, as that user's last acknowledged reaction:set said. */
  reactions: Map<string, Map<string, boolean>>;
}

/**
 * Each message's final state predicted from the log: only the author edits or deletes (the
 * scenario never uses an owner's right to delete) and only a user sets their own reaction, and
 * each client sends its operations one at a time, so its last acknowledged operation on a thing
 * decides it.
 */
function predict(log: DeliveryLog): Map<string, Expected> {
  const byOp = new Map(log.mutations.map((m) => [m.opId, m]));
  const expected = new Map<string, Expected>();
  for (const { opId } of log.mutationAcks) {
    const op = byOp.get(opId)!;
    const state = expected.get(op.messageId) ?? { deleted: false, editedText: undefined, reactions: new Map() };
    expected.set(op.messageId, state);
    if (op.kind === 'edit') state.editedText = op.text;
    else if (op.kind === 'delete') state.deleted = true;
    else state.reactions.set(op.emoji!, (state.reactions.get(op.emoji!) ?? new Map()).set(op.userId, op.on!));
  }
  return expected;
}

/**
 * Every stored message of the test's sends against what its acknowledged edits, deletes and
 * reactions say; every acknowledgement against the operation it answers; every error answer to
 * an operation explained by what is stored.
 */
export function checkMutations(log: DeliveryLog, storedById: ReadonlyMap<string, Message>, problems: string[]): void {
  const expected = predict(log);
  const sendText = new Map(log.sends.map((s) => [s.clientMsgId, s.text]));
  for (const message of storedById.values()) {
    const original = sendText.get(message.clientMsgId);
    if (original === undefined) continue; // not one of this test's sends
    const want = expected.get(message.id) ?? { deleted: false, editedText: undefined, reactions: new Map() };
    const where = `${message.roomId} seq ${message.seq}`;
    if (message.deleted !== want.deleted) {
      problems.push(`${where}: stored deleted=${message.deleted}, but ${want.deleted ? 'a delete was' : 'no delete was'} acknowledged`);
      continue;
    }
    if (message.deleted) {
      if (message.text !== '' || message.reactions.length > 0 || message.editedAt !== null || message.mentions.length > 0)
        problems.push(`${where}: a deleted message keeps text, reactions, mentions or editedAt`);
      continue;
    }
    if (message.text !== (want.editedText ?? original)) problems.push(`${where}: stored text is not the last acknowledged edit`);
    if ((message.editedAt !== null) !== (want.editedText !== undefined))
      problems.push(
        `${where}: editedAt is ${message.editedAt ?? 'null'} after ${want.editedText === undefined ? 'no' : 'an'} acknowledged edit`,
      );
    const stored = new Set(message.reactions.flatMap((r) => r.userIds.map((u) => `${r.emoji} ${u}`)));
    const wanted = new Set(
      [...want.reactions].flatMap(([emoji, users]) => [...users].filter(([, on]) => on).map(([u]) => `${emoji} ${u}`)),
    );
    const extra = [...stored].filter((r) => !wanted.has(r));
    const lost = [...wanted].filter((r) => !stored.has(r));
    if (extra.length || lost.length) problems.push(`${where}: reactions lost [${lost.join(', ')}], not asked for [${extra.join(', ')}]`);
    if (message.reactions.some((r) => r.userIds.length === 0)) problems.push(`${where}: a reaction with no users is stored`);
  }

  const byOp = new Map(log.mutations.map((m) => [m.opId, m]));
  for (const { client, opId, message } of log.mutationAcks) {
    const op = byOp.get(opId)!;
    const stored = storedById.get(op.messageId);
    const mine = message.reactions.some((r) => r.emoji === op.emoji && r.userIds.includes(op.userId));
    const answers =
      message.id === op.messageId &&
      (op.kind === 'edit' ? message.text === op.text && !message.deleted : op.kind === 'delete' ? message.deleted : mine === op.on);
    if (!answers) problems.push(`${client}: the ack of ${op.kind} ${opId} does not show the change`);
    if (!stored) problems.push(`${client}: ${op.kind} ${opId} was acknowledged on ${op.messageId}, which is not stored`);
    else if (message.rev > stored.rev)
      problems.push(`${client}: the ack of ${opId} has rev ${message.rev}, newer than the stored ${stored.rev}`);
  }
  // Nothing done was dropped: every edit, delete and reaction sent was answered, with an ack or an error.
  const answered = new Set([...log.mutationAcks, ...log.mutationErrors].map((a) => a.opId));
  for (const op of log.mutations) if (!answered.has(op.opId)) problems.push(`${op.client}: ${op.kind} ${op.opId} was never answered`);
  // Refused by what is stored: only a change to a message someone deleted meanwhile may be (CONFLICT).
  for (const { client, opId, code } of log.mutationErrors) {
    const op = byOp.get(opId)!;
    if (code !== 'CONFLICT' || !storedById.get(op.messageId)?.deleted)
      problems.push(
        `${client}: ${op.kind} ${opId} answered ${code} on a message that is ${storedById.get(op.messageId)?.deleted ? 'deleted' : 'not deleted'}`,
      );
  }
}

/** Every stored thread root's summary against its stored replies (deleted replies do not count). */
export function checkThreads(messages: readonly Message[], problems: string[]): void {
  const replies = new Map<string, Message[]>();
  for (const m of messages) {
    if (m.threadRootId && !m.deleted) replies.set(m.threadRootId, [...(replies.get(m.threadRootId) ?? []), m]);
  }
  for (const root of messages) {
    if (root.deleted || root.threadRootId !== null) continue;
    const own = (replies.get(root.id) ?? []).sort((a, b) => a.seq - b.seq);
    const last = own.at(-1);
    const want = last ? { replyCount: own.length, lastReplyAt: last.createdAt, lastReplySeq: last.seq } : null;
    if (!isDeepStrictEqual(root.thread, want))
      problems.push(`${root.roomId} seq ${root.seq}: thread ${JSON.stringify(root.thread)}, its replies say ${JSON.stringify(want)}`);
  }
  for (const m of messages) {
    if (m.threadRootId !== null && m.thread !== null) problems.push(`${m.roomId} seq ${m.seq}: a reply has a thread of its own`);
  }
}
