// Reading a forwarded message: a user forwards a contact's reply to Sprout so the thread is
// marked replied. The markers come from quoted.ts, the one list of them.

import { fromLineValue, markerOf, splitLines } from "./quoted";

// Fwd:, Fw:, and the French, German and Spanish forms (TR:, WG:, RV:).
const FORWARD_SUBJECT = /^\s*(fwd?|fw|tr|wg|rv)\s*:/i;

/** How far below the marker the forwarded header block may start. */
const BLOCK_LINES = 40;

/**
 * Only the top of a message is searched for the forward marker and its block, as for the
 * snippet: a megabyte of short lines (or of lone CRs) cost 100-190 ms to split and test.
 */
const MAX_READ = 64 * 1024;

function topLines(text: string | undefined): string[] {
  return splitLines((text ?? "").slice(0, MAX_READ));
}

/**
 * True when a message is a forward: by its subject, or a forwarded-message marker in its text.
 * A quoted original alone ("-----Original Message-----") is how Outlook replies, not a forward.
 */
export function isForward(subject: string | null, text: string | undefined): boolean {
  if (FORWARD_SUBJECT.test(subject ?? "")) return true;
  return topLines(text).some((line) => markerOf(line) === "forward");
}

/**
 * The sender named in the forwarded block ("From: Jane <jane@example.org>"), lower-cased: the
 * first From line under the first forward marker or quoted original, else near the top.
 */
export function forwardedSender(text: string | undefined): string | null {
  const lines = topLines(text);
  const marker = lines.findIndex((line) => markerOf(line) !== null);
  const start = Math.max(0, marker);
  for (const line of lines.slice(start, start + BLOCK_LINES)) {
    const from = fromLineValue(line);
    if (from === null) continue;
    const address =
      /<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? /([^\s<>"]+@[^\s<>"]+)/.exec(from)?.[1];
    return address === undefined ? null : address.toLowerCase().replace(/[.,;]+$/, "");
  }
  return null;
}

/** Strips Re:/Fwd: prefixes for comparing subjects. */
export function baseSubject(subject: string): string {
  return subject
    .replace(/^(\s*(re|fwd?|fw|aw|tr|wg|rv)\s*(\[\d+\])?\s*:\s*)+/i, "")
    .trim()
    .toLowerCase();
}
