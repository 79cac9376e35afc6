import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/realtime/in-flight.js';

/** A task that finishes when the test says so, recording when it started. */
function gate(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { task: () => (started.push(name), done), finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('events in flight per socket', () => {
  it('runs at most `running` at once and the rest in arrival order', async () => {
    const started: string[] = [];
    const limiter = new InFlight(2, 10);
    const tasks = ['a', 'b', 'c', 'd'].map((name) => gate(started, name));
    for (const { task } of tasks) expect(limiter.run(task)).toBe(true);
    expect(started).toEqual(['a', 'b']);

    tasks[1]!.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    tasks[0]!.finish();
    await settle();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses at once, without running it, what would wait beyond `waiting`', () => {
    const started: string[] = [];
    const limiter = new InFlight(1, 2);
    expect(['a', 'b', 'c'].map((name) => limiter.run(gate(started, name).task))).toEqual([true, true, true]);
    expect(limiter.run(gate(started, 'd').task)).toBe(false);
    expect(started).toEqual(['a']);
  });

  it('drops what waits once the socket is gone', async () => {
    const started: string[] = [];
    const limiter = new InFlight(1, 5);
    const first = gate(started, 'a');
    limiter.run(first.task);
    limiter.run(gate(started, 'b').task);
    limiter.close();
    first.finish();
    await settle();
    expect(started).toEqual(['a']);
  });

  it('keeps running after a task fails', async () => {
    const started: string[] = [];
    const limiter = new InFlight(1, 5);
    limiter.run(() => Promise.reject(new Error('handler blew up')));
    limiter.run(gate(started, 'next').task);
    await settle();
    expect(started).toEqual(['next']);
  });
});
