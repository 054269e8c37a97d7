// Telling a time address from a command or a typo'd address, before parsing it. A local part
// looks like a time as a whole, never by its first letters: `monday9am` and `wensday` do,
// `monitor`, `marketing` and `satisfaction` do not (they are unknown addresses).
import { UNIT_WORDS } from "./time-duration";
import { MONTH_WORDS, WEEKDAY_WORDS } from "./time-scanner";
import { forParsing } from "./untrusted";

/** How a word of a time may be used; `anchor` words make a local part a time on their own. */
type WordKind =
  /** A day, a month, `next`, `noon`, `midnight`: a time by itself (`aug`, `monday`). */
  | "anchor"
  /** `at`: joins words (`fri.at.noon`), never a time alone (`atlas` is not one). */
  | "joiner"
  /** Units, ordinals, am/pm: only right after a number (`3d`, `15th`, `9am`). */
  | "afterNumber"
  /** `week`, `month`, `year`: only right after `next` (`nextweek`). */
  | "afterNext";

const WORDS = new Map<string, WordKind>();
for (const w of Object.keys(UNIT_WORDS)) WORDS.set(w, "afterNumber");
for (const w of ["st", "nd", "rd", "th", "am", "pm"]) WORDS.set(w, "afterNumber");
for (const w of ["week", "month", "year"]) WORDS.set(w, "afterNext");
WORDS.set("at", "joiner");
// `midnight` is not in the grammar, but it is plainly meant as a time: its sender should
// hear that it was not understood, with examples, rather than that the address is unknown.
for (const w of [
  ...Object.keys(MONTH_WORDS),
  ...Object.keys(WEEKDAY_WORDS),
  "today",
  "tomorrow",
  "next",
  "noon",
  "midnight",
]) {
  WORDS.set(w, "anchor");
}
/** Longer than any word or accepted typo (`businessdays` is 12). */
const LONGEST_WORD = 12;

// Typos of these still count as time-like, so the user hears what was not understood
// rather than that the address is unknown. Short names (may, june, july, march, april) are
// left out: too many words are one letter away from them (`match`, `junk`, `julie`).
const TYPO_TARGETS = [
  "today",
  "tomorrow",
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
  "january",
  "february",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** No time has a longer run of letters (`nextwednesdayat` is 15). */
const MAX_LETTER_RUN = 30;

/**
 * True when a local part looks meant as a time, so that it gets a time error rather than
 * "unknown address": it starts with a digit (`3d`, `3dayz`), or each run of letters in it
 * splits into time words (`tomorrow9am`, `fri.at.noon`, `nextweek`, near typos of long day
 * and month names such as `wensday`), with at least one day, month, `next` or clock word.
 */
export function looksLikeTime(untrusted: string): boolean {
  const text = forParsing(untrusted).toLowerCase();
  const runs = text.match(/[a-z]+|\d+/g) ?? [];
  const first = runs[0];
  if (first === undefined) return false;
  if (/^\d/.test(first)) return true;
  let anchored = false;
  let after: After = "start";
  for (const run of runs) {
    if (/^\d/.test(run)) {
      anchored = true;
      after = "number";
      continue;
    }
    const words = splitTimeWords(run, after);
    if (words === null) return false;
    if (words.some((w) => w.kind === "anchor")) anchored = true;
    after = words[words.length - 1]?.word === "next" ? "next" : "word";
  }
  return anchored;
}

/** What came just before a word: it decides whether units or `week` may follow. */
type After = "start" | "number" | "next" | "word";

interface TimeWord {
  word: string;
  kind: WordKind;
}

/**
 * Splits a run of letters into time words, or null when it does not split. `after` is what
 * came just before the run. Memoised per position and whether the word before was `next`,
 * so at most 2 x 30 states of at most 12 pieces each.
 */
function splitTimeWords(run: string, after: After): TimeWord[] | null {
  if (run.length > MAX_LETTER_RUN) return null;
  const memo = new Map<string, TimeWord[] | null>();
  const from = (pos: number, before: After): TimeWord[] | null => {
    if (pos === run.length) return [];
    const key = `${pos}:${before}`;
    const known = memo.get(key);
    if (known !== undefined || memo.has(key)) return known ?? null;
    let found: TimeWord[] | null = null;
    const last = Math.min(run.length, pos + LONGEST_WORD);
    for (let end = pos + 1; end <= last && found === null; end += 1) {
      const word = run.slice(pos, end);
      const kind = wordKind(word, before);
      if (kind === null) continue;
      const rest = from(end, word === "next" ? "next" : "word");
      if (rest !== null) found = [{ word, kind }, ...rest];
    }
    memo.set(key, found);
    return found;
  };
  return from(0, after);
}

/** How `piece` may be used after `before`, or null when it is no time word there. */
function wordKind(piece: string, before: After): WordKind | null {
  const kind = WORDS.get(piece);
  if (kind === "afterNumber" && before === "number") return kind;
  if (kind === "afterNext" && before === "next") return kind;
  if (kind === "anchor" || kind === "joiner") return kind;
  return TYPO_TARGETS.some((target) => isNearTypo(piece, target)) ? "anchor" : null;
}

/** True when `word` is within a typo or two of `target` and starts with the same letter. */
function isNearTypo(word: string, target: string): boolean {
  if (word.charAt(0) !== target.charAt(0)) return false;
  const allowed = target.length > 6 ? 2 : 1;
  if (word.length < Math.max(target.length - allowed, 4)) return false;
  if (word.length > target.length + allowed) return false;
  return editDistance(word, target) <= allowed;
}

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  // rows[i][j] = distance between a[0..i) and b[0..j).
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j += 1) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const up = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? Number.POSITIVE_INFINITY;
}
