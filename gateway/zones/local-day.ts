const formatters = new Map<string, Intl.DateTimeFormat>();

/** The local calendar day of `at` in a time zone, as YYYY-MM-DD: daily totals reset when it changes. */
export function localDay(at: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f.format(at);
}
