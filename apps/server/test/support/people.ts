/**
 * The cast of most socket tests as vitest fixtures: a server (the real app on port 0) with alice,
 * bob and carol registered and connected. A test names the people it needs,
 * `it('...', async ({ alice, bob, server }) => ...)`, and they are started for it and stopped after it.
 *
 * `test`/`it` give every test its own server and people. `fileTest` starts them once for the whole
 * file: each test sees what earlier ones left (rooms, messages, who is connected), and suite-level
 * hooks may use them (`it.beforeAll(async ({ alice }) => ...)`).
 *
 * A suite run on each storage (storages.ts) starts its own instead: `it('...', withPeople(start, async ({ alice }) => ...))`.
 */
import { test as base } from 'vitest';
import type { AppDeps } from '../../src/app.js';
import { startWithPeople, stopAll, type Client, type TestServer } from './harness.js';

export interface People {
  server: TestServer;
  alice: Client;
  bob: Client;
  carol: Client;
}

/** All of them at once, as one fixture, so that naming any one starts (and stops) the whole cast. */
// eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
async function startPeople({}: object, { onCleanup }: { onCleanup: (cleanup: () => Promise<void>) => void }): Promise<People> {
  const people = await startWithPeople();
  onCleanup(() => stopAll(people.server, people.alice, people.bob, people.carol));
  return people;
}

/** A fresh server with alice, bob and carol for every test. */
export const test = base
  .extend('people', startPeople)
  .extend('server', ({ people }) => people.server)
  .extend('alice', ({ people }) => people.alice)
  .extend('bob', ({ people }) => people.bob)
  .extend('carol', ({ people }) => people.carol);

export const it = test;

/** One server with alice, bob and carol shared by every test of a file. */
export const fileTest = base
  .extend('people', { scope: 'file' }, startPeople)
  .extend('server', { scope: 'file' }, ({ people }) => people.server)
  .extend('alice', { scope: 'file' }, ({ people }) => people.alice)
  .extend('bob', { scope: 'file' }, ({ people }) => people.bob)
  .extend('carol', { scope: 'file' }, ({ people }) => people.carol);

/** Starts a server with alice, bob and carol: startWithPeople, or the same on another storage. */
export type StartPeople = (overrides?: Partial<AppDeps>) => Promise<People>;

/** Runs a test with its own cast, stopped after it whatever happens. */
export function withPeople(start: StartPeople, test: (people: People) => Promise<void>, overrides?: Partial<AppDeps>) {
  return async () => {
    const people = await start(overrides);
    try {
      await test(people);
    } finally {
      await stopAll(people.server, people.alice, people.bob, people.carol);
    }
  };
}
