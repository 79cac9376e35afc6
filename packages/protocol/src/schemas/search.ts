import { z } from 'zod';
import { codePointsBetween, idSchema, roomIdSchema, storableText } from './common.js';
import { messageSchema } from './message.js';
import { roomKindSchema } from './room.js';

/** GET /api/search bounds (CONTRACT.md v2): q in code points, a page of results. */
export const SEARCH_LIMITS = { queryMin: 3, queryMax: 200, limitMax: 50, limitDefault: 20 } as const;

/**
 * The HTTP query of GET /api/search: `q` is searched literally (no operators, no wildcards),
 * case-insensitively, as a substring of current message texts; `before` is the id of the last
 * result of the previous page; `limit` arrives as a decimal string.
 */
export const searchQuerySchema = z.strictObject({
  q: storableText('q').refine(
    codePointsBetween('q', SEARCH_LIMITS.queryMin, SEARCH_LIMITS.queryMax),
    `q must be ${SEARCH_LIMITS.queryMin} to ${SEARCH_LIMITS.queryMax} characters`,
  ),
  roomId: roomIdSchema.optional(),
  before: idSchema.optional(),
  limit: z
    .string()
    .regex(/^\d{1,2}$/, 'limit must be a whole number')
    .transform(Number)
    .pipe(
      z.number().int().min(1, 'limit must be at least 1').max(SEARCH_LIMITS.limitMax, `limit must be at most ${SEARCH_LIMITS.limitMax}`),
    )
    .default(SEARCH_LIMITS.limitDefault),
});
export type SearchQuery = z.infer<typeof searchQuerySchema>;

/** One match: the message in its current state and the room it is in, named as the viewer sees it. */
export const searchHitSchema = z.strictObject({
  message: messageSchema,
  room: z.strictObject({ id: roomIdSchema, name: z.string(), kind: roomKindSchema }),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

/** Newest first. */
export const searchResultSchema = z.strictObject({ results: z.array(searchHitSchema) });
export type SearchResult = z.infer<typeof searchResultSchema>;
