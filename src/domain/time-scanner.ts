// The cursor the time grammar reads with, its word lists, and clock times (shared by
// parseWhen and parseEvery). Letters are matched against word lists rather than split into
// tokens first, because a local part glues words together: `weds930am`, `april3rdat1300`.

/** Month names and abbreviations, to month numbers 1-12. */
export const MONTH_WORDS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

/** Weekday names and abbreviations, to 0 = Sunday .. 6 = Saturday. */
export const WEEKDAY_WORDS: Readonly<Record<string, number>> = {
  sun: 0,
  sunday: 0,
  mon: 1,
  monday: 1,
  tue: 2,
  tues: 2,
  tuesday: 2,
  wed: 3,
  weds: 3,
  wednesday: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  thursday: 4,
  fri: 5,
  friday: 5,
  sat: 6,
  saturday: 6,
};

/** A clock time as written; clockMinutes checks it is a real time. */
export interface ClockAst {
  hour: number;
  minute: number;
  meridiem: "am" | "pm" | null;
}

const SEPARATORS = new Set(["-", "_", ".", " ", "\t"]);

type CharClass = "letter" | "digit" | "separator" | "other";

function classOf(c: string): CharClass {
  if (c >= "a" && c <= "z") return "letter";
  if (c >= "0" && c <= "9") return "digit";
  return SEPARATORS.has(c) ? "separator" : "other";
}

/** A cursor over one lower-cased local part that remembers where parsing got furthest. */
export class Scanner {
  readonly input: string;
  readonly text: string;
  pos = 0;
  private furthest = 0;

  constructor(input: string) {
    this.input = input;
    // ASCII-only lower-casing keeps indexes equal, so `near` can quote the original text.
    this.text = input.replace(/[A-Z]/g, (c) => c.toLowerCase());
  }

  /** Notes that parsing got stuck at the cursor; returns null for `return sc.stuck()`. */
  stuck(): null {
    this.furthest = Math.max(this.furthest, this.pos);
    return null;
  }

  /** Moves past `-`, `_`, `.` and spaces, which carry no meaning between words. */
  skipSeparators(): void {
    while (this.pos < this.text.length && classOf(this.text.charAt(this.pos)) === "separator") {
      this.pos += 1;
    }
  }

  /** True when only separators are left. */
  atEnd(): boolean {
    this.skipSeparators();
    if (this.pos === this.text.length) return true;
    this.stuck();
    return false;
  }

  /** The character at the cursor ("" at the end). */
  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  /** Consumes the longest of `words` at the cursor; `skip` first passes separators. */
  word(words: Readonly<Record<string, unknown>> | readonly string[], skip = true): string | null {
    if (skip) this.skipSeparators();
    const list = Array.isArray(words) ? words : Object.keys(words);
    let best = "";
    for (const w of list) {
      if (w.length > best.length && this.text.startsWith(w, this.pos)) best = w;
    }
    if (best === "") return this.stuck();
    this.pos += best.length;
    return best;
  }

  /** The whole run of digits at the cursor, not consumed ("" when none). */
  peekDigits(): string {
    let end = this.pos;
    while (end < this.text.length && classOf(this.text.charAt(end)) === "digit") end += 1;
    return this.text.slice(this.pos, end);
  }

  /** Consumes the run of digits at the cursor; `skip` first passes separators. */
  digits(skip = true): string | null {
    if (skip) this.skipSeparators();
    const run = this.peekDigits();
    if (run === "") return this.stuck();
    this.pos += run.length;
    return run;
  }

  /** The word or number where parsing got furthest, from the original text. */
  near(): string {
    const text = this.text;
    let i = Math.min(this.furthest, text.length);
    if (i === text.length) {
      // Stuck at the end: something was missing, so quote the last word instead.
      i -= 1;
      while (i > 0 && classOf(text.charAt(i)) === "separator") i -= 1;
    }
    if (i < 0) return this.input;
    const cls = classOf(text.charAt(i));
    let start = i;
    let end = i + 1;
    while (start > 0 && classOf(text.charAt(start - 1)) === cls) start -= 1;
    while (end < text.length && classOf(text.charAt(end)) === cls) end += 1;
    return this.input.slice(start, end);
  }
}

/** Runs `parse` from the cursor, rewinding when it fails. */
export function attempt<T>(sc: Scanner, parse: (sc: Scanner) => T | null): T | null {
  const start = sc.pos;
  const result = parse(sc);
  if (result === null) sc.pos = start;
  return result;
}

/**
 * A clock time: `noon`, `9am`, `930am`, `9.30am`, `9:30pm`, `1300` (24-hour, four digits) or
 * `21.30` (24-hour with a separator). A bare `9` is not a time: am or pm would be a guess.
 */
function parseClock(sc: Scanner): ClockAst | null {
  return attempt(sc, () => {
    if (sc.word(["noon"]) !== null) return { hour: 12, minute: 0, meridiem: null };
    const run = sc.digits();
    if (run === null) return null;
    let hour: number;
    let minute: number | null = null;
    if (run.length <= 2) {
      hour = Number(run);
      const sep = sc.peek();
      if (sep === ":" || sep === ".") {
        sc.pos += 1;
        const mins = sc.digits(false);
        if (mins?.length !== 2) return sc.stuck();
        minute = Number(mins);
      }
    } else if (run.length <= 4) {
      hour = Number(run.slice(0, -2));
      minute = Number(run.slice(-2));
    } else {
      return sc.stuck();
    }
    const meridiem = sc.word(["am", "pm"], false);
    if (meridiem === "am" || meridiem === "pm") return { hour, minute: minute ?? 0, meridiem };
    // Without am/pm only four digits or an explicit minutes separator make a 24-hour time.
    if (run.length === 4 || (run.length <= 2 && minute !== null)) {
      return { hour, minute: minute ?? 0, meridiem: null };
    }
    return sc.stuck();
  });
}

/** An optional `at` and a clock time, after separators: `at9am`, `-1300`, `atnoon`. */
export function parseClockPart(sc: Scanner): ClockAst | null {
  return attempt(sc, () => {
    sc.skipSeparators();
    attempt(sc, () => sc.word(["at"]));
    return parseClock(sc);
  });
}

/** Minutes after midnight of a clock time, or null when it is not a real time (13pm). */
export function clockMinutes(clock: ClockAst): number | null {
  const { hour, minute, meridiem } = clock;
  if (minute < 0 || minute > 59) return null;
  if (meridiem === null) return hour <= 23 ? hour * 60 + minute : null;
  if (hour < 1 || hour > 12) return null;
  return ((hour % 12) + (meridiem === "pm" ? 12 : 0)) * 60 + minute;
}

/** "9:00" or "13:30" for minutes after midnight: the hour unpadded, as prose writes it. */
export function formatHMM(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
}
