import fs from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/harness.js';

const INDEX_HTML = '<!doctype html><title>Parley</title><div id="root"></div>';
const ENTRY_JS = `console.log(${JSON.stringify('parley '.repeat(200))});\n`;
const LAZY_JS = 'export const lazy = 1;\n';
const SOURCE_MAP = '{"version":3,"sources":["src/main.tsx"],"mappings":""}';

/** A stand-in for the built web app, laid out as `vite build` with the compression plugin writes it. */
function writeDist(): string {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
  const write = (file: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dist, file)), { recursive: true });
    fs.writeFileSync(path.join(dist, file), content);
  };
  write('index.html', INDEX_HTML);
  write('favicon.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
  write('robots.txt', 'User-agent: *\nAllow: /\n');
  write('assets/index-AbC123.js', ENTRY_JS);
  write('assets/index-AbC123.js.br', brotliCompressSync(ENTRY_JS));
  write('assets/index-AbC123.js.gz', gzipSync(ENTRY_JS));
  write('assets/index-AbC123.js.map', SOURCE_MAP);
  // Too small for the build to compress: only the plain file exists.
  write('assets/lazy-XyZ789.js', LAZY_JS);
  write('.vite/manifest.json', '{"index.html":{"file":"assets/index-AbC123.js","isEntry":true}}');
  return dist;
}

const servers: TestServer[] = [];
const dists: string[] = [];
let server: TestServer;
beforeAll(async () => {
  dists.push(writeDist());
  server = await startServer({ webDist: dists[0]! });
  servers.push(server);
});
afterAll(async () => {
  for (const s of servers) await s.close();
  for (const dist of dists) fs.rmSync(dist, { recursive: true, force: true });
});

/** A GET with this Accept-Encoding (identity when unset), its body as the raw bytes sent (fetch would decode them). */
function get(pathname: string, acceptEncoding = 'identity', base = server.url) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = request(`${base}${pathname}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the web app: compressed assets', () => {
  it('serves brotli to a client that accepts it, preferring it over gzip', async () => {
    const res = await get('/assets/index-AbC123.js', 'gzip, deflate, br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(brotliDecompressSync(res.body).toString()).toBe(ENTRY_JS);
  });

  it('serves gzip to a client that accepts only gzip', async () => {
    const res = await get('/assets/index-AbC123.js', 'gzip');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(gunzipSync(res.body).toString()).toBe(ENTRY_JS);
  });

  it('falls back to the plain file: for a client that accepts neither, and for a file with no compressed copy', async () => {
    const plain = await get('/assets/index-AbC123.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(plain.body.toString()).toBe(ENTRY_JS);

    const small = await get('/assets/lazy-XyZ789.js', 'br, gzip');
    expect(small.status).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body.toString()).toBe(LAZY_JS);
  });
});

describe('the web app: caching', () => {
  it('caches hashed assets for a year as immutable, whichever encoding is sent', async () => {
    for (const encoding of ['br', 'gzip', undefined]) {
      const res = await get('/assets/index-AbC123.js', encoding);
      expect(res.headers['cache-control'], String(encoding)).toBe('public, max-age=31536000, immutable');
    }
  });

  it('revalidates index.html (every page) and the files outside assets/', async () => {
    for (const pathname of ['/', '/rooms/r_1', '/index.html', '/favicon.svg', '/robots.txt']) {
      const res = await get(pathname, 'br, gzip');
      expect(res.status, pathname).toBe(200);
      expect(res.headers['cache-control'], pathname).toBe('no-cache');
    }
    expect((await get('/rooms/r_1')).body.toString()).toBe(INDEX_HTML);
  });
});

describe('the web app: files that are not there', () => {
  it('answers 404, never the app HTML, for a path that looks like a file', async () => {
    const paths = [
      '/favicon.ico',
      '/apple-touch-icon.png',
      '/assets/index-old.js',
      '/assets/gone.css',
      '/rooms/r_1/x.txt',
      '/.vite/manifest.json',
    ];
    for (const pathname of paths) {
      const res = await get(pathname);
      expect(res.status, pathname).toBe(404);
      expect(res.headers['content-type'], pathname).toMatch(/^application\/json/);
      expect(JSON.parse(res.body.toString()), pathname).toEqual({ error: { code: 'NOT_FOUND', message: 'no such file' } });
    }
  });

  it('answers 404 for /robots.txt and /favicon.svg when the build has none', async () => {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
    dists.push(dist);
    fs.writeFileSync(path.join(dist, 'index.html'), INDEX_HTML);
    const bare = await startServer({ webDist: dist });
    servers.push(bare);
    for (const pathname of ['/robots.txt', '/favicon.svg', '/favicon.ico']) {
      expect((await get(pathname, undefined, bare.url)).status, pathname).toBe(404);
    }
    expect((await get('/', undefined, bare.url)).body.toString()).toBe(INDEX_HTML);
  });
});

describe('the web app: a build replacing dist/ under a running server', () => {
  it('sends the plain file when a compressed copy is gone, and a clean 404 when every copy is', async () => {
    const dist = writeDist();
    dists.push(dist);
    const live = await startServer({ webDist: dist });
    servers.push(live);
    fs.rmSync(path.join(dist, 'assets/index-AbC123.js.br'));
    const plain = await get('/assets/index-AbC123.js', 'br', live.url);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(ENTRY_JS);

    fs.rmSync(path.join(dist, 'assets/index-AbC123.js'));
    fs.rmSync(path.join(dist, 'assets/index-AbC123.js.gz'));
    const gone = await get('/assets/index-AbC123.js', 'br, gzip', live.url);
    expect(gone.status).toBe(404);
    expect(gone.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(gone.body.toString())).toEqual({ error: { code: 'NOT_FOUND', message: 'no such file' } });
  });

  it('answers 503 UNAVAILABLE, not "malformed request", while index.html is missing', async () => {
    const dist = writeDist();
    dists.push(dist);
    const live = await startServer({ webDist: dist });
    servers.push(live);
    fs.rmSync(path.join(dist, 'index.html'));
    const res = await get('/rooms/r_1', undefined, live.url);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: 'UNAVAILABLE' } });
  });
});

describe('the web app: source maps', () => {
  it('are a 404 by default, compressed or not', async () => {
    for (const pathname of ['/assets/index-AbC123.js.map', '/assets/index-AbC123.js.map.br', '/assets/index-AbC123.js.MAP']) {
      const res = await get(pathname, 'br, gzip');
      expect(res.status, pathname).toBe(404);
      expect(res.body.toString(), pathname).not.toContain('mappings');
    }
  });

  it('are served when SERVE_SOURCE_MAPS asks for them', async () => {
    const withMaps = await startServer({ webDist: dists[0]!, serveSourceMaps: true });
    servers.push(withMaps);
    const res = await get('/assets/index-AbC123.js.map', undefined, withMaps.url);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(SOURCE_MAP);
  });
});
