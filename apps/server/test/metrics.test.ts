import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, startWithPeople, stopAll, type Client, type TestServer } from './support/harness.js';
import { startProcess } from './support/process.js';

const METRICS_TOKEN = 'test-metrics-token-0123456789';

let server: TestServer, alice: Client, bob: Client, carol: Client;
beforeAll(async () => {
  ({ server, alice, bob, carol } = await startWithPeople({ metricsToken: METRICS_TOKEN }));
});
afterAll(() => stopAll(server, alice, bob, carol));

/** The value of one sample in Prometheus' text format (0 when absent). */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

const scrape = () =>
  fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then(async (res) => ({
    type: res.headers.get('content-type'),
    text: await res.text(),
  }));

describe('/metrics', () => {
  it('exposes sockets, messages stored and broadcast, ack latency and event-loop lag in Prometheus format', async () => {
    const before = await scrape();
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(sample(before.text, 'parley_connected_sockets')).toBe(3);
    expect(before.text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(before.text).toMatch(/^# TYPE parley_adapter_errors_total counter/m);

    const { room } = await alice.call('room:create', { name: 'counted', visibility: 'public' });
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'one', text: 'one' });
    await alice.call('message:send', { roomId: room.id, clientMsgId: 'one', text: 'one' }); // a retry: not a new message
    await alice.request('message:send', { roomId: 'r_nowhere', clientMsgId: 'two', text: 'two' });

    const after = (await scrape()).text;
    expect(sample(after, 'parley_messages_stored_total') - sample(before.text, 'parley_messages_stored_total')).toBe(1);
    expect(sample(after, 'parley_messages_broadcast_total') - sample(before.text, 'parley_messages_broadcast_total')).toBe(1);
    expect(sample(after, 'parley_ack_latency_seconds_count', '{event="message:send",outcome="ok"}')).toBe(2);
    expect(sample(after, 'parley_ack_latency_seconds_count', '{event="message:send",outcome="NOT_FOUND"}')).toBe(1);
  });
});

describe('who may scrape /metrics', () => {
  const get = async (url: string, authorization?: string) => {
    const res = await fetch(`${url}/metrics`, authorization ? { headers: { authorization } } : {});
    const text = await res.text();
    return { status: res.status, body: res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text };
  };
  const notFound = { status: 404, body: { error: { code: 'NOT_FOUND', message: 'no such route' } } };

  it('is an unknown path on the app port unless METRICS_TOKEN is set', async () => {
    const plain = await startServer();
    try {
      expect(await get(plain.url)).toEqual(notFound);
      expect(await get(plain.url, `Bearer ${METRICS_TOKEN}`)).toEqual(notFound);
    } finally {
      await plain.close();
    }
  });

  it('answers on the app port only to the bearer of METRICS_TOKEN', async () => {
    expect(await get(server.url)).toEqual(notFound);
    expect(await get(server.url, 'Bearer wrong')).toEqual(notFound);
    expect(await get(server.url, `Bearer ${METRICS_TOKEN.slice(0, -1)}X`)).toEqual(notFound);
    expect(await get(server.url, `Bearer ${METRICS_TOKEN} extra`)).toEqual(notFound);
    expect(await get(server.url, METRICS_TOKEN)).toEqual(notFound);
    const allowed = await get(server.url, `Bearer ${METRICS_TOKEN}`);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toMatch(/^parley_connected_sockets \d+/m);
  });

  it('is served, and nothing else, on METRICS_PORT, while the app port keeps it hidden', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-metrics-'));
    const node = await startProcess({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, METRICS_PORT: '0' });
    try {
      const metricsPort = Number(/"metricsPort":(\d+)/.exec(node.output())?.[1]);
      expect(metricsPort).toBeGreaterThan(0);
      expect(metricsPort).not.toBe(node.port);
      const metricsUrl = `http://127.0.0.1:${metricsPort}`;
      const scraped = await get(metricsUrl);
      expect(scraped.status).toBe(200);
      expect(scraped.body).toMatch(/^parley_connected_sockets 0/m);
      expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(404);
      expect((await fetch(`${metricsUrl}/api/rooms`)).status).toBe(404);
      expect(await get(node.url)).toEqual(notFound);
    } finally {
      node.child.kill('SIGTERM');
      await once(node.child, 'exit');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
