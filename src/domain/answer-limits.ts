// SPEC section 9: limits on the answers Sprout sends on its own, per recipient address, and on
// new tracked threads per user. Past a limit an answer is silence (the message itself is
// accepted and recorded); a new thread past its limit is refused in-session. The claim that
// enforces a budget lives in db/answer-log.ts; this file only says what the budgets are.

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The kinds of automatic answer that have a budget. */
export type AnswerKind =
  /** help@, and the help text in answer to a reply Sprout did not understand */
  | "help"
  | "list"
  /** sign-in links, whether asked for by mail (login@) or on the sign-in form */
  | "login"
  | "time-error"
  /** the one-line confirmation of a reply command (or why it changed nothing) */
  | "confirmation"
  /** the email that asks a new address to confirm itself */
  | "signup";

/** One budget: at most `limit` claims of `key` in any `windowMs`. */
export interface Budget {
  key: string;
  windowMs: number;
  limit: number;
}

interface Limits {
  perHour?: number;
  perDay?: number;
}

/** The limits per recipient address, by kind (SPEC section 9). */
const ANSWER_LIMITS: Readonly<Record<AnswerKind, Limits>> = {
  help: { perHour: 5, perDay: 20 },
  list: { perHour: 5, perDay: 20 },
  login: { perHour: 5, perDay: 20 },
  "time-error": { perHour: 5, perDay: 20 },
  confirmation: { perHour: 30 },
  signup: { perDay: 1 },
};

/** Confirmation emails one deployment sends in an hour, to all addresses together. */
export const SIGNUPS_PER_HOUR = 100;

/** New tracked threads one user may start in a day. */
export const THREADS_PER_DAY = 200;

/** The deployment-wide budget of confirmation emails; "all" has no "@", so no address meets it. */
const ALL_SIGNUPS_KEY = "signup:all";

/** The budgets one automatic answer of `kind` to `address` spends. */
export function answerBudgets(kind: AnswerKind, address: string): Budget[] {
  const key = `${kind}:${address.toLowerCase()}`;
  const { perHour, perDay } = ANSWER_LIMITS[kind];
  const out: Budget[] = [];
  if (perHour !== undefined) out.push({ key, windowMs: HOUR_MS, limit: perHour });
  if (perDay !== undefined) out.push({ key, windowMs: DAY_MS, limit: perDay });
  if (kind === "signup")
    out.push({ key: ALL_SIGNUPS_KEY, windowMs: HOUR_MS, limit: SIGNUPS_PER_HOUR });
  return out;
}

/** The budget one new tracked thread of a user spends. */
export function threadBudget(userId: string): Budget[] {
  return [{ key: `threads:${userId}`, windowMs: DAY_MS, limit: THREADS_PER_DAY }];
}

/** Every key that names an address, for deleting an account's rows. */
export function answerKeysOf(address: string): string[] {
  return (Object.keys(ANSWER_LIMITS) as AnswerKind[]).map((k) => `${k}:${address.toLowerCase()}`);
}

/** The longest window of any budget: older rows count for nothing. */
export const LONGEST_WINDOW_MS = DAY_MS;
