// Hostile input is cheap (SPEC 9): every parser of text a stranger controls (a local part,
// a reply's command line, the web snooze field, a cadence) reads it through `forParsing`
// first, so no parser ever sees more than MAX_PARSED characters, however long the input.
// chrono-node in particular is super-linear: "aug 15 " x 100,000 took 44 s before this cut.

/** The most characters of untrusted text any parser reads. */
export const MAX_PARSED = 200;

/** The first MAX_PARSED characters of `text`, never ending in half a surrogate pair. */
export function forParsing(text: string): string {
  if (text.length <= MAX_PARSED) return text;
  const cut = text.slice(0, MAX_PARSED);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}
