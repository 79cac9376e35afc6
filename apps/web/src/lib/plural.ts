/**
 * Counts in words: "1 member", "2 members", "1,024 unread messages". The app's texts are English,
 * so the plural rules and the number format are English too, whatever the browser's language.
 */
const pluralRules = new Intl.PluralRules('en');
const numberFormat = new Intl.NumberFormat('en');

/** `count` with the noun in the form it takes: `plural(1, 'member')`, `plural(3, 'reply', 'replies')`. */
export function plural(count: number, one: string, other = `${one}s`): string {
  return `${numberFormat.format(count)} ${pluralRules.select(count) === 'one' ? one : other}`;
}
