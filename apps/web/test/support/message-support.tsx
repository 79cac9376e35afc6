import { render, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { RoomRole } from '@parley/protocol';
import { vi } from 'vitest';
import { ThreadOpenerContext } from '../../src/features/chat/thread-context';
import { sharedKeys } from '../../src/lib/query-keys';
import { ME, roomSummary } from './fixtures';
import { setup } from './render';

/** Renders inside the signed-in providers, as me, with my role in room r_1 and a thread opener. */
export function renderAs(ui: ReactNode, { role = 'member', joined = true }: { role?: RoomRole | null; joined?: boolean } = {}) {
  const ctx = setup();
  ctx.queryClient.setQueryData(sharedKeys.me, ME);
  ctx.queryClient.setQueryData(sharedKeys.rooms, [roomSummary({ lastSeq: 3, lastRev: 3, joined, role })]);
  const openThread = vi.fn();
  const view = render(<ThreadOpenerContext.Provider value={{ openThread, openRootId: null }}>{ui}</ThreadOpenerContext.Provider>, {
    wrapper: ctx.wrapper,
  });
  return { ...ctx, ...view, openThread };
}

/** The names of the message actions an article offers, in their order. */
export const actionNames = (article: HTMLElement) =>
  within(article)
    .queryAllByRole('button')
    .map((b) => b.getAttribute('aria-label') ?? b.textContent)
    .filter((name) => ['Edit', 'Delete', 'Add reaction', 'Reply in thread'].includes(name!));
