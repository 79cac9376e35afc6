import fs from 'node:fs';
import path from 'node:path';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@parley/protocol';

/** A build id as the web build writes it (and as BUILD_ID may set it): short, no markup, no spaces. */
export const BUILD_ID_PATTERN = /^[\w.-]{1,64}$/;

/** The file the web build writes beside index.html: `{ "build": "<id>" }` (apps/web/vite.config.ts). */
export const BUILD_FILE = 'build.json';

/**
 * The id of the web build in webDist, read once at start-up: null when there is no built app to
 * serve (no index.html) or it names no valid build.
 */
export function readWebBuild(webDist: string | undefined): string | null {
  if (!webDist || !fs.existsSync(path.join(webDist, 'index.html'))) return null;
  try {
    const { build } = JSON.parse(fs.readFileSync(path.join(webDist, BUILD_FILE), 'utf8')) as { build?: unknown };
    return typeof build === 'string' && BUILD_ID_PATTERN.test(build) ? build : null;
  } catch {
    return null;
  }
}

/**
 * The protocol version a handshake asks for: `auth.protocol`, 1 when absent (v1 clients send
 * none). null when this server does not speak it (anything but a supported integer).
 */
export function handshakeProtocol(auth: unknown): number | null {
  const value = (auth as { protocol?: unknown } | undefined)?.protocol;
  if (value === undefined) return 1;
  return typeof value === 'number' && SUPPORTED_PROTOCOL_VERSIONS.includes(value) ? value : null;
}

/** The web build a handshake says it runs (`auth.build`), for the logs only; anything odd is dropped. */
export function handshakeBuild(auth: unknown): string | undefined {
  const value = (auth as { build?: unknown } | undefined)?.build;
  return typeof value === 'string' && BUILD_ID_PATTERN.test(value) ? value : undefined;
}

/**
 * The connect_error for a client whose protocol this server no longer (or does not yet) speak:
 * says which versions it does, never echoes what the client sent.
 */
export function unsupportedProtocolError(): Error {
  const supported = [...SUPPORTED_PROTOCOL_VERSIONS];
  return Object.assign(new Error('UNSUPPORTED_PROTOCOL'), {
    data: { message: `this server speaks protocol versions ${supported.join(', ')}: reload or update the client`, supported },
  });
}
