// Time-zone arithmetic on top of Intl.DateTimeFormat alone: the Workers runtime ships full
// ICU data, so a date library would only add bundle size. Local calendar dates are plain
// `{ year, month, day }` records whose arithmetic runs on a UTC Date, which has no DST.

/** A calendar date with no time zone; month is 1-12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A wall-clock time in some zone; weekday is 0 = Sunday .. 6 = Saturday. */
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  weekday: number;
}

/** Wall-clock fields to turn back into an instant. */
export interface LocalFields extends LocalDate {
  hour: number;
  minute: number;
}

const DAY_MS = 86_400_000;

const WEEKDAY_SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTH_SHORT = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

// Building a DateTimeFormat costs far more than formatting with one, and a Worker formats
// the same few zones over and over.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached;
  const made = new Intl.DateTimeFormat("en-US", {
    timeZone,
    // h23, not hour12: false, which some engines render as "24" at midnight.
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  formatters.set(timeZone, made);
  return made;
}

// Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, sec = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, sec, 0);
  return d.getTime();
}

function dateOfUtcMs(ms: number): LocalDate {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

// A zone's offset is the same all day on every day but the few with a transition, and the
// reminder job converts the same few days over and over (measured: Intl formatting was the
// largest share of a reminder's CPU). So each UTC day's offset is read once, at its first
// and last second; a day whose two differ is a transition day and is always read exactly.
const dayOffsets = new Map<string, number | null>();
const MAX_CACHED_DAYS = 20_000;

/** The wall clock of `ms` in the zone, written as if it were a UTC timestamp (to the second). */
function wallMs(ms: number, timeZone: string): number {
  const day = Math.floor(ms / DAY_MS);
  const key = `${timeZone}|${day}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const first = day * DAY_MS;
    const last = first + DAY_MS - 1000;
    const atFirst = exactWallMs(first, timeZone) - first;
    offset = exactWallMs(last, timeZone) - last === atFirst ? atFirst : null;
    if (dayOffsets.size >= MAX_CACHED_DAYS) dayOffsets.clear();
    dayOffsets.set(key, offset);
  }
  return offset === null ? exactWallMs(ms, timeZone) : Math.floor(ms / 1000) * 1000 + offset;
}

/** wallMs read from Intl, without the cache. */
function exactWallMs(ms: number, timeZone: string): number {
  const fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (part.type in fields) {
      fields[part.type as keyof typeof fields] = Number(part.value);
    }
  }
  const hour = fields.hour === 24 ? 0 : fields.hour;
  return utcMs(fields.year, fields.month, fields.day, hour, fields.minute, fields.second);
}

/** The zone's UTC offset at `ms`, in milliseconds (positive east of Greenwich). */
function offsetAt(ms: number, timeZone: string): number {
  // The formatter drops milliseconds, so compare against the whole second.
  return wallMs(ms, timeZone) - Math.floor(ms / 1000) * 1000;
}

/** Converts an instant to wall-clock fields in an IANA zone (throws on an unknown zone). */
export function toLocal(instant: Date, timeZone: string): LocalDateTime {
  const wall = new Date(wallMs(instant.getTime(), timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    weekday: wall.getUTCDay(),
  };
}

/**
 * Converts wall-clock fields in an IANA zone to an instant. A time skipped by a DST gap
 * moves forward by the gap (02:30 on a spring-forward day is 03:30); a time that happens
 * twice in a DST overlap is the earlier of the two.
 */
export function fromLocal(fields: LocalFields, timeZone: string): Date {
  const wall = utcMs(fields.year, fields.month, fields.day, fields.hour, fields.minute);
  // A day either side of the wall time brackets any one transition, so the offset in force
  // is one of these two.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const matches = [wall - before, wall - after].filter((t) => wallMs(t, timeZone) === wall);
  if (matches.length > 0) return new Date(Math.min(...matches));
  // In a gap, reading the wall time with the pre-transition offset lands past the gap by
  // exactly the gap's length.
  return new Date(wall - before);
}

/** The instant at `minutes` after local midnight of `date` in the zone. */
export function atLocalMinutes(date: LocalDate, minutes: number, timeZone: string): Date {
  return fromLocal({ ...date, hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone);
}

/** The date `days` calendar days after `date` (negative goes back). */
export function addDays(date: LocalDate, days: number): LocalDate {
  return dateOfUtcMs(utcMs(date.year, date.month, date.day) + days * DAY_MS);
}

/** The number of days in a month (month 1-12). */
export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(utcMs(year, month + 1, 0)).getUTCDate();
}

/** The same day `months` months later, clamped to the month's last day (Jan 31 -> Feb 28). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** The weekday of a calendar date, 0 = Sunday .. 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(utcMs(date.year, date.month, date.day)).getUTCDay();
}

/** Orders two calendar dates: negative if a is earlier, 0 if equal, positive if later. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return utcMs(a.year, a.month, a.day) - utcMs(b.year, b.month, b.day);
}

/** True when the fields name a real calendar date. */
export function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True when `timeZone` is a zone name the runtime's Intl knows, such as "Europe/Berlin". */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === "") return false;
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Formats an instant for display in a zone, e.g. "Tue 3 Mar 2026, 08:00". */
export function formatLocal(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  const weekday = WEEKDAY_SHORT[l.weekday] ?? "";
  const month = MONTH_SHORT[l.month - 1] ?? "";
  const hh = String(l.hour).padStart(2, "0");
  const mm = String(l.minute).padStart(2, "0");
  return `${weekday} ${l.day} ${month} ${l.year}, ${hh}:${mm}`;
}
