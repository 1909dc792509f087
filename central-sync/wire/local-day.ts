import { z } from 'zod';

/**
 * Calendar days in a site's time zone: footfall's daily totals. The gateway's API and central both
 * answer "how many came on 2026-12-01" and must cut the day at the same local midnight, so the one
 * definition lives here with the other things both ends share.
 */

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
const clockFormatters = new Map<string, Intl.DateTimeFormat>();

function cached(map: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = map.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, ...options });
    map.set(timeZone, f);
  }
  return f;
}

/** An IANA time zone name this runtime knows (Asia/Ho_Chi_Minh, UTC, ...). */
export function isTimeZone(name: string): boolean {
  if (name.length === 0 || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A query or config field holding an IANA time zone name; the message names what is wrong. */
export const timeZoneSchema = z.string().refine(isTimeZone, { message: 'expected an IANA time zone name such as Asia/Ho_Chi_Minh' });

/** The calendar date of `ms` in `timeZone`, as YYYY-MM-DD. */
export function localDate(ms: number, timeZone: string): string {
  return cached(dateFormatters, timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(ms));
}

/** How far `timeZone`'s wall clock is ahead of UTC at `ms`, in ms (whole seconds). */
function offsetAt(ms: number, timeZone: string): number {
  const parts = cached(clockFormatters, timeZone, { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' }).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The first millisecond of the local day (in `timeZone`) that holds `ms`. */
export function startOfLocalDay(ms: number, timeZone: string): number {
  const [y, m, d] = localDate(ms, timeZone).split('-').map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(y, m - 1, d);
  // The offset at midnight may differ from the offset now (a daylight-saving change during the day).
  const guess = midnightAsUtc - offsetAt(ms, timeZone);
  return midnightAsUtc - offsetAt(guess, timeZone);
}

export interface CrossingCount {
  /** Any time inside the counted interval (its start). No interval may straddle a local midnight. */
  at: number;
  in: number;
  out: number;
}

export interface DayTotal {
  /** YYYY-MM-DD in the site's time zone. */
  date: string;
  in: number;
  out: number;
}

/**
 * Sums crossings per local calendar day, oldest day first. Intervals of a minute, or of 15 minutes
 * aligned to the epoch, never straddle a local midnight (every time zone in use is a whole number of
 * quarter hours from UTC).
 */
export function dailyTotals(counts: Iterable<CrossingCount>, timeZone: string): DayTotal[] {
  const days = new Map<string, DayTotal>();
  for (const c of counts) {
    const date = localDate(c.at, timeZone);
    const day = days.get(date) ?? { date, in: 0, out: 0 };
    day.in += c.in;
    day.out += c.out;
    days.set(date, day);
  }
  return [...days.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Slots of this many minutes are what the stores sum crossings into for daily totals (see dailyTotals). */
export const FOOTFALL_SLOT_MINUTES = 15;
