// SOQL date literals as ranges of time (SOQL and SOSL Reference "Date Formats and Date Literals in
// WHERE"): each is a start (inclusive) and an end (exclusive) relative to today. "=" keeps values in
// the range, "<" before its start, ">" from its end on, "<=" before its end, ">=" from its start on.
// The local org's users are in GMT with the en_US locale, so days start at 00:00:00Z and weeks on
// Sunday. LAST_N_DAYS:n includes today ("LAST_N_DAYS:1 includes yesterday and today").
import { SoqlError } from './lexer';

export interface DateRange {
  t: 'range';
  name: string;
  /** Inclusive start and exclusive end, as epoch milliseconds and as YYYY-MM-DD. */
  from: number;
  to: number;
  fromDate: string;
  toDate: string;
}

const DAY = 864e5;
const WITH_N = new Set([
  'LAST_N_DAYS',
  'NEXT_N_DAYS',
  'N_DAYS_AGO',
  'LAST_N_WEEKS',
  'NEXT_N_WEEKS',
  'LAST_N_MONTHS',
  'NEXT_N_MONTHS',
]);
const PLAIN = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
]);

export const takesN = (name: string) => WITH_N.has(name.toUpperCase());
export const isDateLiteral = (name: string) => PLAIN.has(name.toUpperCase()) || takesN(name);

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const monthStart = (y: number, m: number) => Date.UTC(y, m, 1);

export function dateRange(rawName: string, n: number | undefined, now = Date.now()): DateRange {
  const name = rawName.toUpperCase();
  const d = new Date(now);
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const week = today - d.getUTCDay() * DAY;
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const k = n ?? 0;
  const span: Record<string, [number, number]> = {
    YESTERDAY: [today - DAY, today],
    TODAY: [today, today + DAY],
    TOMORROW: [today + DAY, today + 2 * DAY],
    LAST_WEEK: [week - 7 * DAY, week],
    THIS_WEEK: [week, week + 7 * DAY],
    NEXT_WEEK: [week + 7 * DAY, week + 14 * DAY],
    LAST_MONTH: [monthStart(y, m - 1), monthStart(y, m)],
    THIS_MONTH: [monthStart(y, m), monthStart(y, m + 1)],
    NEXT_MONTH: [monthStart(y, m + 1), monthStart(y, m + 2)],
    LAST_90_DAYS: [today - 90 * DAY, today + DAY],
    NEXT_90_DAYS: [today + DAY, today + 91 * DAY],
    THIS_YEAR: [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1)],
    LAST_YEAR: [Date.UTC(y - 1, 0, 1), Date.UTC(y, 0, 1)],
    NEXT_YEAR: [Date.UTC(y + 1, 0, 1), Date.UTC(y + 2, 0, 1)],
    LAST_N_DAYS: [today - k * DAY, today + DAY],
    NEXT_N_DAYS: [today + DAY, today + (k + 1) * DAY],
    N_DAYS_AGO: [today - k * DAY, today - (k - 1) * DAY],
    LAST_N_WEEKS: [week - 7 * k * DAY, week],
    NEXT_N_WEEKS: [week + 7 * DAY, week + 7 * (k + 1) * DAY],
    LAST_N_MONTHS: [monthStart(y, m - k), monthStart(y, m)],
    NEXT_N_MONTHS: [monthStart(y, m + 1), monthStart(y, m + 1 + k)],
  };
  const s = span[name];
  if (!s) throw new SoqlError('MALFORMED_QUERY', `unexpected token: ${rawName}`);
  return { t: 'range', name, from: s[0], to: s[1], fromDate: iso(s[0]), toDate: iso(s[1]) };
}

/** Whether a date (YYYY-MM-DD) or datetime (epoch ms) value satisfies `value <op> range`. */
export function inRange(v: string | number, op: string, r: DateRange): boolean {
  const lo = typeof v === 'number' ? r.from : r.fromDate;
  const hi = typeof v === 'number' ? r.to : r.toDate;
  switch (op) {
    case '=':
      return v >= lo && v < hi;
    case '!=':
      return !(v >= lo && v < hi);
    case '<':
      return v < lo;
    case '<=':
      return v < hi;
    case '>':
      return v >= hi;
    default:
      return v >= lo;
  }
}
