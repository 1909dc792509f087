import type { Schedule } from '../config';

const DAY_INDEX: Record<string, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };
const WEEKDAY: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(at: Date, timeZone: string): { day: number; minutes: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return { day: WEEKDAY[parts.weekday ?? 'Mon'] ?? 0, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether a restricted zone is armed at `at` (no schedule: always). A window whose end is before its
 * start runs past midnight into the next day, e.g. Mon 18:00-07:00 covers Tue 06:59.
 */
export function isArmed(schedule: Schedule | undefined, at: Date, timeZone: string): boolean {
  if (!schedule) return true;
  const { day, minutes } = localTime(at, timeZone);
  return schedule.windows.some((w) => {
    const start = toMinutes(w.start);
    const end = toMinutes(w.end);
    return w.days.some((d) => {
      const wd = DAY_INDEX[d]!;
      if (start <= end) return wd === day && minutes >= start && minutes < end;
      return (wd === day && minutes >= start) || ((wd + 1) % 7 === day && minutes < end);
    });
  });
}
