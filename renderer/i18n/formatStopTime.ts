const cache = new Map<string, Intl.DateTimeFormat>();

/** "14:05" for an instant, on the stop's own wall clock (24 h, the same in both languages). */
export function formatStopTime(iso: string | number, timeZone: string): string {
  let f = cache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    cache.set(timeZone, f);
  }
  return f.format(typeof iso === 'number' ? new Date(iso) : new Date(iso));
}
