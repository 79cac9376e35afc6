import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWithPeople, stopAll, type Client, type TestServer } from './support/harness.js';

let server: TestServer, alice: Client, bob: Client, carol: Client;
beforeAll(async () => {
  ({ server, alice, bob, carol } = await startWithPeople());
});
afterAll(() => stopAll(server, alice, bob, carol));

/** The value of one sample in Prometheus' text format (0 when absent). */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

const scrape = () => fetch(`${server.url}/metrics`).then(async (res) => ({ type: res.headers.get('content-type'), text: await res.text() }));

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
