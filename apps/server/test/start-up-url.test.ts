import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { browserUrl } from '../src/config.js';
import { startProcess } from './support/process.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the URL to open, printed at start-up', () => {
  it('is localhost when listening on every interface, the host itself otherwise', () => {
    expect(browserUrl(undefined, 3000)).toBe('http://localhost:3000');
    expect(browserUrl('0.0.0.0', 3000)).toBe('http://localhost:3000');
    expect(browserUrl('::', 8080)).toBe('http://localhost:8080');
    expect(browserUrl('127.0.0.1', 4173)).toBe('http://127.0.0.1:4173');
    expect(browserUrl('chat.example', 80)).toBe('http://chat.example:80');
    expect(browserUrl('::1', 3000)).toBe('http://[::1]:3000');
  });

  it('is logged with the listening line (its port field kept) and on a line of its own', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-url-'));
    const webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-url-web-'));
    dirs.push(dataDir, webDist);
    fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Parley</title>');
    const server = await startProcess({ PORT: '0', DATA_DIR: dataDir, WEB_DIST: webDist });
    const exited = once(server.child, 'exit');
    try {
      const expected = `http://localhost:${server.port}`;
      await expect.poll(() => server.output()).toContain(`Open ${expected} in a browser`);
      const lines = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{') && line.endsWith('}'))
        .map((line) => JSON.parse(line) as { msg: string; port?: number; url?: string });
      expect(lines.find((line) => line.msg === 'Parley is listening')).toMatchObject({ port: server.port, url: expected });
      // The app answers at that URL (HOST unset: every interface, so localhost too).
      expect((await fetch(`${expected}/`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      await exited;
    }
  });
});
