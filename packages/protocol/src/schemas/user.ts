import { z } from 'zod';
import { LIMITS, codePointLength } from '../rooms.js';
import { hasDirectionControl, hasVisibleCharacter, normalizeRoomName } from '../text.js';
import { codePointsBetween, idSchema, storableText } from './common.js';

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

/**
 * A display name as typed, stored in one form (as room names: no direction controls, invisible
 * characters removed, NFKC, whitespace collapsed and trimmed), 0 to 64 code points; '' = show the username.
 */
export const displayNameSchema = storableText('displayName')
  .refine(
    (s) => !hasDirectionControl(s),
    'displayName must not contain direction controls (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C)',
  )
  // Checked as typed: '' (or only spaces) clears the name; only invisible characters is a mistake, not a clear.
  .refine((s) => /^\p{White_Space}*$/u.test(s) || hasVisibleCharacter(s), 'displayName must contain a visible character, or be empty')
  .transform(normalizeRoomName)
  .refine(codePointsBetween('displayName', 0, LIMITS.displayNameMax), `displayName must be at most ${LIMITS.displayNameMax} characters`);

/** v2: PATCH /api/me. */
export const profilePatchSchema = z.strictObject({ displayName: displayNameSchema });
/** v2: POST /api/me/password. The current password is checked as typed (any string), the new one as at sign-up. */
export const passwordChangeSchema = z.strictObject({ currentPassword: z.string().max(1024), newPassword: passwordSchema });
/** v2: DELETE /api/me. */
export const accountDeleteSchema = z.strictObject({ password: z.string().max(1024) });

/** What a deleted account's messages show as their author (CONTRACT.md v2), its id kept. */
export const DELETED_USERNAME = 'deleted';
export const DELETED_DISPLAY_NAME = 'Deleted user';

/** Addition to CONTRACT.md v2: a user's profile changed (their display name), to every room they are in and their own sockets. */
export const userUpdatedSchema = z.strictObject({ user: userSchema });

export const presenceChangedSchema = z.strictObject({ userId: idSchema, online: z.boolean() });
export type PresenceChanged = z.infer<typeof presenceChangedSchema>;

export const presenceQuerySchema = z.strictObject({
  userIds: z.array(idSchema).max(LIMITS.presenceQueryMax),
});
export const presenceResultSchema = z.strictObject({ online: z.array(idSchema) });
