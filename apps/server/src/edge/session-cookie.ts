import type { Request, Response } from 'express';
import { parse } from 'cookie';

export const SESSION_COOKIE = 'parley_session';

/** The session token in a Cookie header, if any (HTTP requests and socket handshakes alike). */
export function sessionTokenFromCookie(header: string | undefined): string | undefined {
  return header ? parse(header)[SESSION_COOKIE] : undefined;
}

export function readSessionCookie(req: Request): string | undefined {
  return sessionTokenFromCookie(req.headers.cookie);
}

export function setSessionCookie(req: Request, res: Response, token: string, expiresAt: number): void {
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' });
}
