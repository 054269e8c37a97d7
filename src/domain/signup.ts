// SPEC section 6, sign-up with SIGNUP=open: the rules, as numbers. The queries that keep
// them are in db/signup.ts; the flow is inbound/hold.ts (mail), auth/signup-link.ts (the
// confirmation email) and inbound/held.ts (what confirming does).

const DAY_MS = 24 * 60 * 60 * 1000;

/** A held message not confirmed within this long after it arrived is deleted. */
export const HOLD_TTL_MS = 7 * DAY_MS;
/** A confirmation link works this long after it was sent. */
export const SIGNUP_LINK_TTL_MS = 7 * DAY_MS;
/** At most this many messages are held for one pending address... */
export const MAX_HELD_MESSAGES = 20;
/** ...and at most this many bytes, all held messages together. */
export const MAX_HELD_BYTES = 5 * 1024 * 1024;
