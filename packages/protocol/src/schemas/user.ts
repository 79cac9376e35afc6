import { z } from 'zod';
import { LIMITS, codePointLength } from '../rooms.js';
import { idSchema, storableText } from './common.js';

export const USERNAME_PATTERN = /^[a-z0-9_.-]+$/;

export const userSchema = z.strictObject({
  id: idSchema,
  username: z.string(),
  /** v2: 0 to 64 code points; '' = show the username. */
  displayName: z.string(),
});
export type User = z.infer<typeof userSchema>;

/** A username as typed: lowercased, then 3 to 32 of `a-z 0-9 _ . -`. */
export const usernameSchema = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(
    z
      .string()
      .min(LIMITS.usernameMin, `username must be at least ${LIMITS.usernameMin} characters`)
      .max(LIMITS.usernameMax, `username must be at most ${LIMITS.usernameMax} characters`)
      .regex(USERNAME_PATTERN, 'username may contain only a-z, 0-9, _, . and -'),
  );

export const passwordSchema = storableText('password').refine((s) => {
  const n = codePointLength(s);
  return n >= LIMITS.passwordMin && n <= LIMITS.passwordMax;
}, `password must be ${LIMITS.passwordMin} to ${LIMITS.passwordMax} characters`);

export const credentialsSchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
});
export type Credentials = z.input<typeof credentialsSchema>;

/** Login accepts any string: a wrong username gets the same answer as a wrong password. */
export const loginSchema = z.strictObject({
  username: z
    .string()
    .max(256)
    .transform((s) => s.toLowerCase()),
  password: z.string().max(1024),
});

export const authResultSchema = z.strictObject({ user: userSchema, token: z.string() });
export type AuthResult = z.infer<typeof authResultSchema>;

export const meResultSchema = z.strictObject({ user: userSchema });

/** GET /api/auth/session: who this request is signed in as, or null (never a 401, so a signed-out page load logs no error). */
export const sessionResultSchema = z.strictObject({ user: userSchema.nullable() });
export type SessionResult = z.infer<typeof sessionResultSchema>;

export const userSearchQuerySchema = z.strictObject({
  q: z
    .string()
    .max(LIMITS.usernameMax)
    .default('')
    .transform((s) => s.toLowerCase()),
  /** Addition to CONTRACT.md v2 (issue 15): only members of this room (the composer's `@` completion). */
  roomId: idSchema.optional(),
});
export const userSearchResultSchema = z.strictObject({ users: z.array(userSchema) });

export const presenceChangedSchema = z.strictObject({ userId: idSchema, online: z.boolean() });
export type PresenceChanged = z.infer<typeof presenceChangedSchema>;

export const presenceQuerySchema = z.strictObject({
  userIds: z.array(idSchema).max(LIMITS.presenceQueryMax),
});
export const presenceResultSchema = z.strictObject({ online: z.array(idSchema) });
