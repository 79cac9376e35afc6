import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Avatar, avatarHue, initials, shownName } from '../src/lib/person';

describe('people as shown', () => {
  it('shows the display name, else the username', () => {
    expect(shownName({ username: 'bob', displayName: '' })).toBe('bob');
    expect(shownName({ username: 'bob', displayName: 'Bob Marley' })).toBe('Bob Marley');
  });

  it('takes the initials of two words, else the first two characters, in any script', () => {
    expect(initials('Bob Marley')).toBe('BM');
    expect(initials('alice')).toBe('AL');
    expect(initials('jean-luc.picard')).toBe('JL');
    expect(initials('Ёжик в тумане')).toBe('ЁВ');
    expect(initials('😀x')).toBe('😀X');
  });

  it('gives a person one colour from their id, whatever they are called', () => {
    expect(avatarHue('u_1')).toBe(avatarHue('u_1'));
    expect(new Set(['u_1', 'u_2', 'u_3', 'u_4'].map(avatarHue)).size).toBeGreaterThan(1);
    const { container } = render(<Avatar user={{ id: 'u_1', username: 'bob', displayName: 'Bob Marley' }} />);
    const avatar = container.querySelector('.avatar')!;
    expect(avatar.textContent).toBe('BM');
    expect(avatar.getAttribute('aria-hidden')).toBe('true');
    expect((avatar as HTMLElement).style.getPropertyValue('--avatar-hue')).toBe(String(avatarHue('u_1')));
  });
});
