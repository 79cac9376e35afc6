import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, register, uniqueName, disconnected } from './support/harness.js';
import { spawnServer, startProcess } from './support/process.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the server process', () => {
  it('starts from env, keeps data in DATA_DIR and shuts down gracefully on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-main-'));
    dirs.push(dataDir);
    const { child, url } = await startProcess({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(fs.existsSync(path.join(dataDir, 'parley.db'))).toBe(true);

    const person = await register(url, uniqueName('proc'));
    const client = await connect(url, person);
    const gone = disconnected(client.socket);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(await gone).toMatch(/transport close|io server disconnect/);

    // Sessions are stored: the token still works after a restart on the same data.
    const again = await startProcess({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir });
    const me = await fetch(`${again.url}/api/me`, { headers: { authorization: `Bearer ${person.token}` } });
    expect(await me.json()).toEqual({ user: person.user });
    again.child.kill('SIGINT');
    expect((await once(again.child, 'exit'))[0]).toBe(0);
  });

  it('refuses to start with invalid configuration, saying why', async () => {
    const child = spawnServer({ PORT: 'not-a-port' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
  });
});
