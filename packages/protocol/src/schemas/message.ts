import { z } from 'zod';
import { LIMITS } from '../rooms.js';
import { hasVisibleCharacter } from '../text.js';
import { codePointsBetween, idSchema, roomIdSchema, isoTimeSchema, seqSchema, storableText } from './common.js';
import { userSchema } from './user.js';
import { fileIdsSchema, messageFileSchema } from './file.js';

export const reactionSchema = z.strictObject({ emoji: z.string(), userIds: z.array(idSchema) });
export type Reaction = z.infer<typeof reactionSchema>;

export const threadSummarySchema = z.strictObject({
  replyCount: z.number().int().nonnegative(),
  lastReplyAt: isoTimeSchema.nullable(),
  lastReplySeq: z.number().int().positive().nullable(),
});
export type ThreadSummary = z.infer<typeof threadSummarySchema>;

export const messageSchema = z.strictObject({
  id: idSchema,
  roomId: roomIdSchema,
  seq: z.number().int().positive(),
  author: userSchema,
  text: z.string(),
  clientMsgId: z.string(),
  createdAt: isoTimeSchema,
  /** v2: the room's rev of this message's latest change (its creation, an edit, a delete, a reaction, its thread). */
  rev: z.number().int().positive(),
  /** v2: time of the last edit, null if never edited (and once deleted). */
  editedAt: isoTimeSchema.nullable(),
  /** v2: a tombstone: text '', reactions [], mentions [], files []. */
  deleted: z.boolean(),
  /** v2: set on a thread reply. */
  threadRootId: idSchema.nullable(),
  /** v2: on a message that has replies (deleted replies not counted); null otherwise. */
  thread: threadSummarySchema.nullable(),
  /** v2: in order of each emoji's first use; each emoji's users in the order they reacted. */
  reactions: z.array(reactionSchema),
  /** v2 (issue 15 fills it): ids of members mentioned. */
  mentions: z.array(idSchema),
  /** v2 (issue 17): the files sent with it, in the order they were sent; [] once deleted. */
  files: z.array(messageFileSchema),
});
export type Message = z.infer<typeof messageSchema>;

const VISIBLE_TEXT_MESSAGE = 'text must contain a visible character, not only spaces or invisible characters';

/**
 * Message text: at least one visible character (whitespace, zero-width and other invisible characters
 * alone are refused), at most 4000 code points, kept exactly as sent: never normalised.
 */
export const messageTextSchema = storableText('text')
  .refine(hasVisibleCharacter, VISIBLE_TEXT_MESSAGE)
  .refine(codePointsBetween('text', 1, LIMITS.messageTextMax), `text must be at most ${LIMITS.messageTextMax} characters`);

export const clientMsgIdSchema = z
  .string()
  .min(1, 'clientMsgId must not be empty')
  .max(LIMITS.clientMsgIdMax, `clientMsgId must be at most ${LIMITS.clientMsgIdMax} characters`)
  .regex(/^[\x21-\x7e]+$/, 'clientMsgId must be printable ASCII without spaces');

/**
 * `message:send`: text as `messageTextSchema`, except that a message with files (v2, issue 17) may
 * have empty text ('' exactly: whitespace alone is still refused).
 */
export const messageSendPayloadSchema = z
  .strictObject({
    roomId: roomIdSchema,
    clientMsgId: clientMsgIdSchema,
    text: storableText('text').refine(
      codePointsBetween('text', 0, LIMITS.messageTextMax),
      `text must be at most ${LIMITS.messageTextMax} characters`,
    ),
    /** v2: a reply in the thread of this top-level message of the same room. */
    threadRootId: idSchema.optional(),
    /** v2 (issue 17): files this user uploaded to this room and has not sent yet, in the order shown. */
    fileIds: fileIdsSchema.optional(),
  })
  .superRefine((payload, ctx) => {
    if (payload.text === '' && payload.fileIds !== undefined) return;
    if (!hasVisibleCharacter(payload.text)) ctx.addIssue({ code: 'custom', path: ['text'], message: VISIBLE_TEXT_MESSAGE });
  });

/**
 * v2: one emoji: a single grapheme cluster with at least one Extended_Pictographic or
 * Regional_Indicator code point (so `👍🏽`, `🇫🇷` and `👩‍💻` pass; `a`, `:)` and `👍👍` do not).
 */
const PICTOGRAPHIC = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
export function isOneEmoji(text: string): boolean {
  if (!PICTOGRAPHIC.test(text)) return false;
  const iterator = graphemes.segment(text)[Symbol.iterator]();
  const first = iterator.next();
  return !first.done && iterator.next().done === true;
}
export const emojiSchema = storableText('emoji')
  .max(LIMITS.emojiMax, `emoji must be at most ${LIMITS.emojiMax} characters`)
  .refine(isOneEmoji, 'emoji must be one emoji (one grapheme with a pictographic or regional-indicator character)');

const messageRef = { roomId: roomIdSchema, messageId: idSchema };
export const messageEditPayloadSchema = z.strictObject({ ...messageRef, text: messageTextSchema });
export const messageDeletePayloadSchema = z.strictObject(messageRef);
export const messageVersionsPayloadSchema = z.strictObject(messageRef);
export const reactionSetPayloadSchema = z.strictObject({ ...messageRef, emoji: emojiSchema, on: z.boolean() });
export const revSchema = seqSchema;
export const messageChangesPayloadSchema = z.strictObject({
  roomId: roomIdSchema,
  afterRev: revSchema,
  limit: z
    .number()
    .int()
    .min(1, 'limit must be at least 1')
    .max(LIMITS.changesLimitMax, `limit must be at most ${LIMITS.changesLimitMax}`)
    .default(LIMITS.changesLimitDefault),
});
export const threadReadPayloadSchema = z.strictObject({ roomId: roomIdSchema, threadRootId: idSchema, seq: seqSchema });

export const messageVersionSchema = z.strictObject({ text: z.string(), editedAt: isoTimeSchema });
export type MessageVersion = z.infer<typeof messageVersionSchema>;
export const messageVersionsResultSchema = z.strictObject({ versions: z.array(messageVersionSchema) });
export const messageChangesResultSchema = z.strictObject({
  messages: z.array(messageSchema),
  /**
   * The rev this answer brings the caller to: the room's lastRev when `more` is false, else the
   * rev of the last message in the page (ask again with it as `afterRev`).
   */
  lastRev: revSchema,
  more: z.boolean(),
});
export type MessageChanges = z.infer<typeof messageChangesResultSchema>;

export const historyLimitSchema = z
  .number()
  .int()
  .min(1, 'limit must be at least 1')
  .max(LIMITS.historyLimitMax, `limit must be at most ${LIMITS.historyLimitMax}`);

/** Paging: neither bound = newest; `before` = newest below it; `after` = oldest above it. */
const historyBounds = {
  before: seqSchema.optional(),
  after: seqSchema.optional(),
  limit: historyLimitSchema.default(LIMITS.historyLimitDefault),
};

function notBoth(q: { before?: number | undefined; after?: number | undefined }) {
  return q.before === undefined || q.after === undefined;
}
const notBothMessage = { message: 'give before or after, not both' };

/** v2: `threadRootId` pages that thread's replies; `topLevel: true` leaves thread replies out. */
const historyScope = { threadRootId: idSchema.optional(), topLevel: z.boolean().optional() };
function oneScope(q: { threadRootId?: string | undefined; topLevel?: boolean | undefined }) {
  return q.threadRootId === undefined || q.topLevel !== true;
}
const oneScopeMessage = { message: 'give threadRootId or topLevel, not both' };

export const historyPayloadSchema = z
  .strictObject({ roomId: roomIdSchema, ...historyBounds, ...historyScope })
  .refine(notBoth, notBothMessage)
  .refine(oneScope, oneScopeMessage);

/** The HTTP query of GET /api/rooms/:id/messages: numbers arrive as decimal strings. */
const decimal = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a whole number')
  .transform(Number);
export const historyQuerySchema = z
  .strictObject({
    before: decimal.pipe(seqSchema).optional(),
    after: decimal.pipe(seqSchema).optional(),
    limit: decimal.pipe(historyLimitSchema).default(LIMITS.historyLimitDefault),
    threadRootId: idSchema.optional(),
    topLevel: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .refine(notBoth, notBothMessage)
  .refine(oneScope, oneScopeMessage);

export type HistoryQuery = {
  before?: number | undefined;
  after?: number | undefined;
  limit: number;
  threadRootId?: string | undefined;
  topLevel?: boolean | undefined;
};

export const messageResultSchema = z.strictObject({ message: messageSchema });
export const historyResultSchema = z.strictObject({ messages: z.array(messageSchema) });

/**
 * Addition to CONTRACT.md v2: what the server tells each socket on connect: the protocol it speaks
 * and the build of the web app it serves (null when it serves none), so an open tab of an older
 * build can offer a reload.
 */
export const serverInfoSchema = z.strictObject({ protocol: z.number().int().positive(), build: z.string().nullable() });
export type ServerInfo = z.infer<typeof serverInfoSchema>;
