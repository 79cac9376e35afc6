/**
 * Times as a list shows them, short and absolute (nothing to tick): the time of day for today,
 * "Yesterday", the weekday within the week, the day and month within the year, else the full date.
 */
const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const relativeDay = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const complete = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole calendar days from `then` to `now`, in local time (0 = the same day). */
function daysBetween(then: Date, now: Date): number {
  const startOf = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  return Math.round((startOf(now) - startOf(then)) / DAY_MS);
}

export function formatShortTime(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  const days = daysBetween(then, now);
  if (days <= 0) return timeOfDay.format(then);
  if (days === 1) return capitalize(relativeDay.format(-1, 'day'));
  if (days < 7) return weekday.format(then);
  if (then.getFullYear() === now.getFullYear()) return dayMonth.format(then);
  return fullDate.format(then);
}

/** The whole date and time, for a tooltip. */
export function formatFullTime(iso: string): string {
  return complete.format(new Date(iso));
}

const capitalize = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);
