// Hostile input is cheap (SPEC 9): every parser of text a stranger controls (a local part,
// a reply's command line, the web snooze field, a cadence) reads it through `forParsing`
// first, so no parser ever sees more than MAX_PARSED characters, however long the input.
// chrono-node in particular is super-linear: "aug 15 " x 100,000 took 44 s before this cut.
// And what Sprout stores of a stranger's mail is cut too (`cutText`), so a row costs the
// same whatever the stranger sent.

/** The most characters of untrusted text any parser reads. */
export const MAX_PARSED = 200;

/** The most characters of an inbound subject Sprout stores (an outgoing one is at most 250). */
export const MAX_STORED_SUBJECT = 250;

/** The first `max` characters of `text`, never ending in half a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** The first MAX_PARSED characters of `text`, never ending in half a surrogate pair. */
export function forParsing(text: string): string {
  return cutText(text, MAX_PARSED);
}
