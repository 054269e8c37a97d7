// Relaxed DMARC alignment (RFC 7489 section 3.1): two domains align when they share the
// organizational domain, the registrable domain of the Public Suffix List. The list comes
// from the tldts package (kept current upstream), never from hand-written rules.
//
// Private suffixes count (github.io, herokuapp.com, blogspot.com...): foo.github.io and
// bar.github.io belong to different people, so they do not align. Honouring them can only
// make alignment stricter, never looser.

import { getDomain } from "tldts";

const TLDTS_OPTIONS = { allowPrivateDomains: true, extractHostname: false } as const;

/** Lower-cased ASCII (punycode) form of a domain name, without a final dot; null if it is not one. */
export function normalizeDomain(domain: string): string | null {
  let d = domain.trim().toLowerCase();
  if (d.endsWith(".")) d = d.slice(0, -1);
  if (d.length === 0 || d.length > 253) return null;
  if (/[\u0080-\uffff]/.test(d)) {
    // Internationalized names: the URL parser applies IDNA (UTS 46) and yields punycode.
    if (/[\s/?#@:[\]\\%]/.test(d)) return null;
    try {
      d = new URL(`http://${d}`).hostname;
    } catch {
      return null;
    }
  }
  const labels = d.split(".");
  return labels.every((l) => /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/.test(l)) ? d : null;
}

/** The registrable (organizational) domain, e.g. example.co.uk for mail.example.co.uk. */
export function registrableDomain(domain: string): string | null {
  const d = normalizeDomain(domain);
  return d === null ? null : getDomain(d, TLDTS_OPTIONS);
}

/**
 * True when two domains align under relaxed rules: the same name, or the same registrable
 * domain. A public suffix itself (co.uk, github.io) aligns only with itself.
 */
export function relaxedAligned(a: string, b: string): boolean {
  const x = normalizeDomain(a);
  const y = normalizeDomain(b);
  if (x === null || y === null) return false;
  if (x === y) return true;
  const orgX = getDomain(x, TLDTS_OPTIONS);
  return orgX !== null && orgX === getDomain(y, TLDTS_OPTIONS);
}
