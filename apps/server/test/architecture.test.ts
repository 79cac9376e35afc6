import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The boundaries of STYLE.md are lint rules (eslint.config.js at the repository root). These
 * cases prove the rules bite: each deliberate violation must fail lint, each allowed import pass.
 */
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: repoRoot });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const violations: Array<[string, string, string, RegExp]> = [
  [
    'domain imports socket.io',
    'apps/server/src/domain/probe.ts',
    "import { Server } from 'socket.io';\nexport const s = Server;\n",
    /no-restricted-imports/,
  ],
  ['domain imports a driver', 'apps/server/src/domain/probe.ts', "import pg from 'pg';\nexport const p = pg;\n", /no-restricted-imports/],
  [
    'domain imports the image library',
    'apps/server/src/domain/probe.ts',
    "import sharp from 'sharp';\nexport const s = sharp;\n",
    /no-restricted-imports/,
  ],
  [
    'domain imports http/',
    'apps/server/src/domain/probe.ts',
    "import { sendError } from '../http/errors.js';\nexport const f = sendError;\n",
    /no-restricted-paths/,
  ],
  [
    'domain imports infra/',
    'apps/server/src/domain/probe.ts',
    "import { Metrics } from '../infra/metrics.js';\nexport const m = Metrics;\n",
    /no-restricted-paths/,
  ],
  [
    'storage imports domain/',
    'apps/server/src/storage/probe.ts',
    "import { AppError } from '../domain/errors.js';\nexport const e = AppError;\n",
    /no-restricted-paths/,
  ],
  [
    'storage imports realtime/',
    'apps/server/src/storage/probe.ts',
    "import { isChatRoom } from '../realtime/channels.js';\nexport const f = isChatRoom;\n",
    /no-restricted-paths/,
  ],
  [
    'edge imports http/',
    'apps/server/src/edge/probe.ts',
    "import { sendError } from '../http/errors.js';\nexport const f = sendError;\n",
    /no-restricted-paths/,
  ],
  [
    'http imports realtime/',
    'apps/server/src/http/probe.ts',
    "import { isChatRoom } from '../realtime/channels.js';\nexport const f = isChatRoom;\n",
    /no-restricted-paths/,
  ],
  ['process.env outside config.ts', 'apps/server/src/app-probe.ts', 'export const port = process.env.PORT;\n', /no-restricted-syntax/],
  ['protocol imports node', 'packages/protocol/src/probe.ts', "import fs from 'node:fs';\nexport const f = fs;\n", /no-restricted-imports/],
  [
    'protocol imports socket.io',
    'packages/protocol/src/probe.ts',
    "import { Server } from 'socket.io';\nexport const s = Server;\n",
    /no-restricted-imports/,
  ],
  [
    'a web feature imports another',
    'apps/web/src/features/chat/probe.ts',
    "import { RoomList } from '../rooms/components/room-list';\nexport const r = RoomList;\n",
    /no-restricted-paths/,
  ],
  [
    'web lib imports a feature',
    'apps/web/src/lib/probe.ts',
    "import { useChatStore } from '../features/chat/chat.store';\nexport const s = useChatStore;\n",
    /no-restricted-paths/,
  ],
];

const allowed: Array<[string, string, string]> = [
  [
    'domain imports storage/ and protocol',
    'apps/server/src/domain/probe.ts',
    "import type { Storage } from '../storage/storage.js';\nimport { LIMITS } from '@parley/protocol';\nexport type S = Storage;\nexport const l = LIMITS;\n",
  ],
  [
    'realtime imports domain/ and edge/',
    'apps/server/src/realtime/probe.ts',
    "import { AppError } from '../domain/errors.js';\nimport { parseInput } from '../edge/validation.js';\nexport const a = [AppError, parseInput];\n",
  ],
  ['config.ts reads the environment', 'apps/server/src/config.ts', 'export const port = process.env.PORT;\n'],
  ['protocol imports zod', 'packages/protocol/src/probe.ts', "import { z } from 'zod';\nexport const s = z.string();\n"],
  [
    'a web feature imports its own files and lib/',
    'apps/web/src/features/chat/probe.ts',
    "import { useChatStore } from './chat.store';\nimport { useSocket } from '../../lib/socket-context';\nexport const x = [useChatStore, useSocket];\n",
  ],
];

describe('lint enforces the boundaries', () => {
  it.each(violations)('fails when %s', async (_name, filePath, code, rule) => {
    expect((await problems(filePath, code)).join('\n')).toMatch(rule);
  });

  it.each(allowed)('passes when %s', async (_name, filePath, code) => {
    expect(await problems(filePath, code)).toEqual([]);
  });
});
