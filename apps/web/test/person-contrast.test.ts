import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The avatar's background as lib/person.css writes it: hsl(var(--avatar-hue) S% L%). */
function avatarColour(): { saturation: number; lightness: number } {
  const css = readFileSync(path.join(__dirname, '../src/lib/person.css'), 'utf8');
  const match = /hsl\(var\(--avatar-hue\) (\d+)% (\d+)%\)/u.exec(css);
  if (!match) throw new Error('no avatar background in person.css');
  return { saturation: Number(match[1]) / 100, lightness: Number(match[2]) / 100 };
}

/** sRGB channels 0..1 of an HSL colour (CSS Color 4's hslToRgb). */
function hslToRgb(hue: number, s: number, l: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    return l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1));
  };
  return [f(0), f(8), f(4)];
}

const luminance = (rgb: [number, number, number]) => {
  const [r, g, b] = rgb.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

describe('avatar colours', () => {
  it('keep white initials at 4.5:1 or more at every hue (WCAG AA for small text)', () => {
    const { saturation, lightness } = avatarColour();
    let worst = Infinity;
    for (let hue = 0; hue < 360; hue++) worst = Math.min(worst, 1.05 / (luminance(hslToRgb(hue, saturation, lightness)) + 0.05));
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });
});
