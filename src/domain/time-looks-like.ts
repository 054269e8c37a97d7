// Telling a time address from a command or a typo'd address, before parsing it.
import { MONTH_WORDS, WEEKDAY_WORDS } from "./time-scanner";

const LEADING_WORDS = [
  ...Object.keys(MONTH_WORDS),
  ...Object.keys(WEEKDAY_WORDS),
  "today",
  "tomorrow",
  "next",
  "noon",
];

// Typos of these still count as time-like, so the user hears what was not understood
// rather than that the address is unknown. Short names are left out: too many words are
// one letter away from `june`.
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
  "march",
  "april",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/**
 * True when a local part looks meant as a time: it starts with a digit, a month or weekday
 * name, today, tomorrow, next, noon, or at + digit/noon, or its first word is a near typo of
 * a day or month name (`tomorow9am`), so that it gets a time error rather than "unknown".
 */
export function looksLikeTime(localPart: string): boolean {
  const text = localPart.toLowerCase().replace(/^[-_.\s]+/, "");
  if (/^\d/.test(text) || /^at(\d|noon)/.test(text)) return true;
  const word = /^[a-z]*/.exec(text)?.[0] ?? "";
  if (LEADING_WORDS.some((w) => word.startsWith(w))) return true;
  return TYPO_TARGETS.some((target) => isNearTypo(word, target));
}

/** True when some prefix of `word` is within a typo or two of `target`. */
function isNearTypo(word: string, target: string): boolean {
  const allowed = target.length > 6 ? 2 : 1;
  const shortest = Math.max(target.length - allowed, 4);
  for (let len = shortest; len <= Math.min(word.length, target.length + allowed); len += 1) {
    if (editDistance(word.slice(0, len), target) <= allowed) return true;
  }
  return false;
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
