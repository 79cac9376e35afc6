import { describe, expect, it } from 'vitest';
import { membersOf, withMember, withoutMember, type MembersData } from '../src/features/rooms/api/room-members.api';
import { member, person } from './support/members-support';

const names = (data: MembersData) => membersOf(data).map((m) => m.user.username);
const data = (pages: string[][], lastFull: boolean): MembersData => ({
  pages: pages.map((usernames, i) => ({
    members: usernames.map((u) => member(person(u))),
    next: i < pages.length - 1 || lastFull ? usernames.at(-1) : undefined,
  })),
  pageParams: pages.map((_, i) => (i === 0 ? undefined : pages[i - 1]!.at(-1))),
});

describe('the members cache', () => {
  it('puts a newcomer in their place by username, in the page that holds that place', () => {
    const held = data(
      [
        ['ann', 'cat'],
        ['dan', 'eve'],
      ],
      false,
    );
    const next = withMember(held, member(person('bea')));
    expect(next.pages.map((p) => p.members.map((m) => m.user.username))).toEqual([
      ['ann', 'bea', 'cat'],
      ['dan', 'eve'],
    ]);
    expect(names(withMember(held, member(person('zed'))))).toEqual(['ann', 'cat', 'dan', 'eve', 'zed']);
    expect(names(withMember(held, member(person('aaron'))))).toEqual(['aaron', 'ann', 'cat', 'dan', 'eve']);
  });

  it('leaves one who sorts after the pages held to the page that will hold them', () => {
    const held = data([['ann', 'cat']], true);
    expect(names(withMember(held, member(person('zed'))))).toEqual(['ann', 'cat']);
    expect(names(withMember(held, member(person('bea'))))).toEqual(['ann', 'bea', 'cat']);
  });

  it('replaces someone already held instead of listing them twice; removes by id', () => {
    const held = data([['ann', 'cat']], false);
    const again = withMember(held, member(person('cat'), 'admin', true));
    expect(membersOf(again).map((m) => [m.user.username, m.role])).toEqual([
      ['ann', 'member'],
      ['cat', 'admin'],
    ]);
    expect(names(withoutMember(held, 'u_ann'))).toEqual(['cat']);
    // The next page is still asked after the same username.
    expect(withoutMember(data([['ann', 'cat']], true), 'u_cat').pages[0]!.next).toBe('cat');
  });
});
