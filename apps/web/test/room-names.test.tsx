import { render, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import type { RoomSummary } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RoomRoute } from '../src/app/room-route';
import { RoomList } from '../src/features/rooms/components/room-list';
import { sharedKeys } from '../src/lib/query-keys';
import { lookAlikeScripts, nameSkeleton, roomNameTags } from '../src/lib/room-names';
import { ME, roomSummary } from './support/fixtures';
import { historyServer, setup } from './support/render';

afterEach(() => vi.unstubAllGlobals());

const room = (id: string, name: string, overrides: Partial<RoomSummary> = {}) => roomSummary({ id, name, memberCount: 1, ...overrides });

const CYRILLIC_E = '\u0435';
const general = room('r_00000000000000001a2b', 'general');
const lookAlike = room('r_00000000000000003fa2', `g${CYRILLIC_E}neral`);
const random = room('r_00000000000000009999', 'random');

describe('nameSkeleton', () => {
  it.each([`g${CYRILLIC_E}neral`, 'Ｇｅｎｅｒａｌ', 'GENERAL', 'GeneraI', 'genera1', 'général', 'general\u200b', 'g\u0435n\u0435r\u0430l'])(
    'folds %j to the skeleton of "general"',
    (name) => {
      expect(nameSkeleton(name)).toBe(nameSkeleton('general'));
    },
  );

  it('keeps different names apart', () => {
    expect(nameSkeleton('general')).not.toBe(nameSkeleton('generals'));
    expect(nameSkeleton('random')).not.toBe(nameSkeleton('general'));
  });

  it('knows which look-alike scripts a name mixes', () => {
    expect(lookAlikeScripts(`p${'\u0430'}ypal`)).toEqual(['Latin', 'Cyrillic']);
    expect(lookAlikeScripts('общий')).toEqual(['Cyrillic']);
    expect(lookAlikeScripts('dev 開発 ラウンジ')).toEqual(['Latin']);
  });
});

describe('roomNameTags', () => {
  it('tags look-alikes (both of them), mixed scripts, blank names and a room named like a DM; never a DM or a plain name', () => {
    const tags = roomNameTags([
      general,
      lookAlike,
      random,
      room('r_0000000000000000beef', `p${'\u0430'}ypal`),
      room('r_0000000000000000b0b0', 'b\u043eb'),
      room('dm:u_bob:u_me', 'bob', { kind: 'dm' }),
      room('r_0000000000000000dead', '\u200b'),
      room('r_0000000000000000cafe', 'café'),
      room('r_0000000000000000abcd', 'общий'),
    ]);
    expect(Object.fromEntries([...tags].map(([id, { tag }]) => [id, tag]))).toEqual({
      [general.id]: '1a2b',
      [lookAlike.id]: '3fa2',
      r_0000000000000000beef: 'beef',
      r_0000000000000000b0b0: 'b0b0',
      r_0000000000000000dead: 'dead',
    });
    expect(tags.get(lookAlike.id)?.reason).toMatch(/looks the same/);
    expect(tags.get('r_0000000000000000beef')?.reason).toMatch(/mixes Latin and Cyrillic/);
    expect(tags.get('r_0000000000000000dead')?.reason).toMatch(/no visible characters/);
  });
});

describe('room names on screen', () => {
  it('the room list shows the look-alikes with the end of their ids and says why; plain names stay as they are', () => {
    const { wrapper, queryClient } = setup();
    queryClient.setQueryData(sharedKeys.rooms, [general, lookAlike, random]);
    render(<RoomList me={ME} />, { wrapper });
    const nav = screen.getByRole('navigation', { name: 'Rooms' });
    const real = within(nav).getByRole('link', { name: /^general · 1a2b/ });
    const fake = within(nav).getByRole('link', { name: new RegExp(`^g${CYRILLIC_E}neral · 3fa2`) });
    expect(real).toHaveAttribute('href', `/rooms/${general.id}`);
    expect(fake).toHaveAttribute('href', `/rooms/${lookAlike.id}`);
    expect(within(fake).getByTitle(/looks the same/)).toHaveTextContent('3fa2');
    expect(within(nav).getByRole('link', { name: 'random' })).toHaveTextContent(/^random$/);
  });

  it('the room header shows the tag too, and isolates the name from the text around it', async () => {
    const { queryClient, wrapper } = setup({ path: `/rooms/${lookAlike.id}` });
    vi.stubGlobal('fetch', historyServer([]).fetchImpl);
    queryClient.setQueryData(sharedKeys.rooms, [general, lookAlike]);
    render(
      <Routes>
        <Route path="/rooms/:roomId" element={<RoomRoute me={ME} />} />
      </Routes>,
      { wrapper },
    );
    const heading = await screen.findByRole('heading', { level: 1 });
    expect(heading).toHaveTextContent(new RegExp(`^#g${CYRILLIC_E}neral · 3fa2`));
    expect(heading.querySelector('bdi')).toHaveTextContent(`g${CYRILLIC_E}neral`);
  });
});
