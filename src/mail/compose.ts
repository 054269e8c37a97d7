import type { Config } from "../config";
import { headerSafe, type OutgoingEmail, outgoingSubject } from "../domain/outgoing";
import type { Rendered } from "./templates/layout";

/** How an email came about (RFC 3834): a reply to the user's mail, or Sprout's own initiative. */
type AutoSubmitted = "auto-replied" | "auto-generated";

/** Everything that decides an outgoing email's headers; the body comes rendered. */
export interface Composition {
  to: string;
  rendered: Rendered;
  autoSubmitted: AutoSubmitted;
  /** Threads the email under `parentId` in the recipient's mailbox. */
  thread?: { parentId: string; ancestors: string[] } | undefined;
  replyTo?: string | undefined;
  /** Further headers, e.g. List-Unsubscribe; their values are made header-safe too. */
  headers?: Record<string, string> | undefined;
}

/** How many ancestors `References` carries: enough for every client to thread. */
const MAX_REFERENCES = 20;

/**
 * The one builder of every email Sprout sends. Every value that reaches a header passes
 * through headerSafe here (subjects are also cut to 250 characters), so text that came from
 * inbound mail can never inject a header, whichever template produced it.
 */
export function composeEmail(config: Config, c: Composition): OutgoingEmail {
  const headers: Record<string, string> = { "Auto-Submitted": c.autoSubmitted };
  if (c.thread !== undefined) {
    const ids = [...c.thread.ancestors, c.thread.parentId].slice(-MAX_REFERENCES);
    headers["In-Reply-To"] = `<${headerSafe(c.thread.parentId)}>`;
    headers.References = ids.map((id) => `<${headerSafe(id)}>`).join(" ");
  }
  for (const [name, value] of Object.entries(c.headers ?? {})) headers[name] = headerSafe(value);
  return {
    from: config.fromAddress,
    to: headerSafe(c.to),
    subject: outgoingSubject(c.rendered.subject),
    text: c.rendered.text,
    html: c.rendered.html,
    replyTo: c.replyTo === undefined ? undefined : headerSafe(c.replyTo),
    headers,
  };
}
