// SPEC section 9, sender authentication. Cloudflare Email Routing checks SPF, DKIM and
// DMARC and prepends its verdict above every header the sender wrote, so only the FIRST
// Authentication-Results or ARC-Authentication-Results header is believed, and only when
// mx.cloudflare.net wrote it; any stamp further down may be the sender's own forgery.

import { type AuthResult, type AuthStamp, parseAuthResults, propertyOf } from "./auth-results";
import { normalizeDomain, relaxedAligned } from "./org-domain";
import type { RawHeader } from "./raw-headers";

/** The authserv-id of Cloudflare Email Routing's inbound MX. */
const CLOUDFLARE_AUTHSERV_ID = "mx.cloudflare.net";

/** A first stamp longer than this is not Cloudflare's (real ones are under 2 KB). */
export const MAX_STAMP_LENGTH = 16 * 1024;

/** What the stamp says about the From address. */
export type SenderAuth =
  | { kind: "authenticated"; by: "dmarc" | "dkim" | "spf"; description: string }
  | { kind: "unauthenticated"; reason: UnauthenticatedReason; description: string };

export type UnauthenticatedReason =
  | "no-stamp"
  | "foreign-stamp"
  | "unreadable-stamp"
  | "bad-from-domain"
  | "dmarc-failed"
  | "dmarc-other-domain"
  | "no-aligned-pass";

/**
 * Decides whether the message's first authentication stamp vouches for `fromAddress`.
 * `headers` are the raw header fields in message order (see readHeaders).
 */
export function senderAuth(headers: readonly RawHeader[], fromAddress: string): SenderAuth {
  const first = headers.find(
    (h) => h.key === "authentication-results" || h.key === "arc-authentication-results",
  );
  if (first === undefined) return no("no-stamp", "no Cloudflare authentication stamp");
  if (first.value.length > MAX_STAMP_LENGTH) {
    return no("unreadable-stamp", `authentication stamp of ${first.value.length} characters`);
  }
  const parsed = parseAuthResults(first.value, first.key === "arc-authentication-results");
  if (!parsed.ok) return no("unreadable-stamp", `unreadable authentication stamp: ${parsed.error}`);
  const stamp = parsed.value;
  if (!isCloudflare(stamp)) {
    return no("foreign-stamp", `stamp from another server: ${shown(stamp.authservId)}`);
  }
  const at = fromAddress.lastIndexOf("@");
  const fromDomain = at < 0 ? null : normalizeDomain(fromAddress.slice(at + 1));
  if (fromDomain === null) return no("bad-from-domain", "no domain name in the From address");
  return judge(stamp.results, fromDomain);
}

/** The in-session rejection sentence of SPEC section 9. */
export function senderAuthRejection(address: string, verdict: SenderAuth): string {
  return `Sprout could not verify that this message came from ${shown(address)} (${verdict.description})`;
}

function isCloudflare(stamp: AuthStamp): boolean {
  return normalizeDomain(stamp.authservId) === CLOUDFLARE_AUTHSERV_ID;
}

// DMARC decides when it has a result other than `none` (no policy published); without one,
// an aligned DKIM or SPF pass is enough.
function judge(results: AuthResult[], fromDomain: string): SenderAuth {
  const dmarc = results.filter((r) => r.method === "dmarc");
  // Cloudflare writes one DMARC result. Two mean text was smuggled into the stamp (through a
  // comment or an address it copied), and neither can be told from the other.
  if (dmarc.length > 1) return no("unreadable-stamp", `${dmarc.length} DMARC results in one stamp`);
  const [verdict] = dmarc;
  let prefix = "";
  if (verdict !== undefined) {
    const headerFrom = propertyOf(verdict, "header.from");
    const said = `dmarc=${shown(verdict.result)}${headerFrom === null ? "" : ` header.from=${shown(headerFrom)}`}`;
    if (headerFrom !== null && normalizeDomain(headerFrom) !== fromDomain) {
      return no("dmarc-other-domain", `${said}, but the From domain is ${fromDomain}`);
    }
    if (verdict.result === "pass") {
      if (headerFrom === null) return no("dmarc-other-domain", `${said} without header.from`);
      return { kind: "authenticated", by: "dmarc", description: said };
    }
    if (verdict.result !== "none") return no("dmarc-failed", said);
    prefix = `${said}; `;
  }
  for (const r of results) {
    if (r.method !== "dkim" || r.result !== "pass") continue;
    const d = dkimDomain(r);
    if (d !== null && relaxedAligned(d, fromDomain)) {
      return { kind: "authenticated", by: "dkim", description: `${prefix}dkim=pass header.d=${d}` };
    }
  }
  for (const r of results) {
    if (r.method !== "spf" || r.result !== "pass") continue;
    const d = mailFromDomain(r);
    if (d !== null && relaxedAligned(d, fromDomain)) {
      return {
        kind: "authenticated",
        by: "spf",
        description: `${prefix}spf=pass smtp.mailfrom=${d}`,
      };
    }
  }
  return no("no-aligned-pass", `${prefix}${summary(results, fromDomain)}`);
}

// header.d names the signing domain; header.i (`@example.com`) is the fallback some write.
function dkimDomain(r: AuthResult): string | null {
  const d = propertyOf(r, "header.d") ?? propertyOf(r, "header.i");
  if (d === null) return null;
  return normalizeDomain(d.slice(d.lastIndexOf("@") + 1));
}

// SPF alignment is on the envelope sender (smtp.mailfrom), never on the HELO name.
function mailFromDomain(r: AuthResult): string | null {
  const from = propertyOf(r, "smtp.mailfrom");
  if (from === null) return null;
  return normalizeDomain(from.slice(from.lastIndexOf("@") + 1));
}

function summary(results: AuthResult[], fromDomain: string): string {
  const relevant = results.filter((r) => r.method === "dkim" || r.method === "spf");
  if (relevant.length === 0) return "no DKIM, SPF or DMARC result";
  const parts = relevant.slice(0, 3).map((r) => {
    const d = r.method === "dkim" ? dkimDomain(r) : mailFromDomain(r);
    const key = r.method === "dkim" ? "header.d" : "smtp.mailfrom";
    return `${r.method}=${shown(r.result)}${d === null ? "" : ` ${key}=${d}`}`;
  });
  const more = relevant.length > 3 ? `, and ${relevant.length - 3} more` : "";
  return `nothing aligned with ${fromDomain}: ${parts.join(", ")}${more}`;
}

function no(reason: UnauthenticatedReason, description: string): SenderAuth {
  return { kind: "unauthenticated", reason, description };
}

// Text copied from the stamp goes into an SMTP rejection: printable ASCII, short.
function shown(text: string): string {
  const printable = text.replace(/[^\x21-\x7e]/g, "?");
  return printable.length > 80 ? `${printable.slice(0, 77)}...` : printable;
}
