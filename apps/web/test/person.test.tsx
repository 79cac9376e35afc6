import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { AVATAR_LIGHTNESS, AVATAR_SATURATION, Avatar, avatarHue, initials, shownName } from '../src/lib/person';

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

describe('avatar colours', () => {
  /** sRGB of hsl(h, s, l), each 0..1 (CSS Color 4's hslToRgb). */
  const hslToRgb = (h: number, s: number, l: number) => {
    const f = (n: number) => {
      const k = (n + h / 30) % 12;
      return l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    };
    return [f(0), f(8), f(4)];
  };
  const luminance = ([r, g, b]: number[]) => {
    const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
  };

  it('gives white initials at least 4.5:1 at every hue (WCAG AA)', () => {
    for (let hue = 0; hue < 360; hue++) {
      const contrast = 1.05 / (luminance(hslToRgb(hue, AVATAR_SATURATION, AVATAR_LIGHTNESS)) + 0.05);
      expect(contrast, `hue ${hue}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
