import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, uniqueName, type TestServer } from '../support/harness.js';

let server: TestServer;
let webDist: string;
beforeAll(async () => {
  // A stand-in for the built web app, so the SPA's own responses are checked too.
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
  fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Parley</title><div id="root"></div>');
  server = await startServer({ webDist });
});
afterAll(async () => {
  await server.close();
  fs.rmSync(webDist, { recursive: true, force: true });
});

/** The Content-Security-Policy header as a map of directive to its sources. */
function csp(res: Response): Map<string, string[]> {
  const header = res.headers.get('content-security-policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('HTTP security headers', () => {
  it('serve the SPA under a strict Content-Security-Policy: own scripts only, no inline code, no framing', async () => {
    for (const pathname of ['/', '/rooms/r_1', '/api/me', '/healthz']) {
      const res = await fetch(`${server.url}${pathname}`);
      const policy = csp(res);
      expect(policy.get('default-src'), pathname).toEqual(["'self'"]);
      expect(policy.get('script-src'), pathname).toEqual(["'self'"]);
      expect(policy.get('style-src'), pathname).toEqual(["'self'"]);
      expect(policy.get('object-src'), pathname).toEqual(["'none'"]);
      expect(policy.get('frame-ancestors'), pathname).toEqual(["'none'"]);
      // Image thumbnails are <img src="/api/files/:id/thumbnail">: same origin, cookie auth.
      expect(policy.get('img-src'), pathname).toContain("'self'");
      expect(res.headers.get('x-content-type-options'), pathname).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), pathname).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy'), pathname).toBe('no-referrer');
    }
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, and Secure when the request came over HTTPS', async () => {
    const register = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ username: uniqueName('ck'), password: 'correct horse' }),
      }).then((res) => res.headers.get('set-cookie') ?? '');

    const plain = await register({});
    expect(plain).toMatch(/^parley_session=[^;]+;/);
    expect(plain).toMatch(/; HttpOnly/);
    expect(plain).toMatch(/; SameSite=Lax/);
    expect(plain).not.toMatch(/; Secure/);
    // A TLS-terminating proxy on this machine says the client used HTTPS.
    expect(await register({ 'x-forwarded-proto': 'https' })).toMatch(/; Secure/);
  });
});

describe('Engine.IO responses under /socket.io', () => {
  it('carry nosniff, a deny-all policy, no referrer and no caching, on the handshake and on later polls', async () => {
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    const open = await handshake.text();
    const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
    const poll = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '1', // close
    });
    for (const res of [handshake, poll]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(csp(res).get('default-src')).toEqual(["'none'"]);
      expect(csp(res).get('frame-ancestors')).toEqual(["'none'"]);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});
