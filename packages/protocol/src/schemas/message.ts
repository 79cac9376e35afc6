import { z } from 'zod';
import { LIMITS } from '../rooms.js';
import { hasVisibleCharacter } from '../text.js';
import { codePointsBetween, idSchema, isoTimeSchema, seqSchema, storableText } from './common.js';
import { userSchema } from './user.js';

export const messageSchema = z.strictObject({
  id: idSchema,
  roomId: idSchema,
  seq: z.number().int().positive(),
  author: userSchema,
  text: z.string(),
  clientMsgId: z.string(),
  createdAt: isoTimeSchema,
});
export type Message = z.infer<typeof messageSchema>;

/**
 * Message text: at least one visible character (whitespace, zero-width and other invisible characters
 * alone are refused), at most 4000 code points, kept exactly as sent: never normalised.
 */
export const messageTextSchema = storableText('text')
  .refine(hasVisibleCharacter, 'text must contain a visible character, not only spaces or invisible characters')
  .refine(codePointsBetween('text', 1, LIMITS.messageTextMax), `text must be at most ${LIMITS.messageTextMax} characters`);

export const clientMsgIdSchema = z
  .string()
  .min(1, 'clientMsgId must not be empty')
  .max(LIMITS.clientMsgIdMax, `clientMsgId must be at most ${LIMITS.clientMsgIdMax} characters`)
  .regex(/^[\x21-\x7e]+$/, 'clientMsgId must be printable ASCII without spaces');

export const messageSendPayloadSchema = z.strictObject({
  roomId: idSchema,
  clientMsgId: clientMsgIdSchema,
  text: messageTextSchema,
});

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

export const historyPayloadSchema = z.strictObject({ roomId: idSchema, ...historyBounds }).refine(notBoth, notBothMessage);

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
  })
  .refine(notBoth, notBothMessage);

export type HistoryQuery = { before?: number | undefined; after?: number | undefined; limit: number };

export const messageResultSchema = z.strictObject({ message: messageSchema });
export const historyResultSchema = z.strictObject({ messages: z.array(messageSchema) });
