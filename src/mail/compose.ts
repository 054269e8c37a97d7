import type { Config } from "../config";
import type { OutgoingEmail } from "./mailer";
import type { Rendered } from "./templates/layout";

/** How an email came about (RFC 3834): a reply to the user's mail, or Sprout's own initiative. */
export type AutoSubmitted = "auto-replied" | "auto-generated";

/**
 * An email from Sprout to a user that threads under `parentId` in their mailbox:
 * `In-Reply-To` is the parent, `References` its ancestors and then the parent.
 */
export function threadedEmail(
  config: Config,
  to: string,
  rendered: Rendered,
  thread: { parentId: string; ancestors: string[] },
  autoSubmitted: AutoSubmitted,
  replyTo?: string,
): OutgoingEmail {
  const references = [...thread.ancestors, thread.parentId].slice(-20);
  return {
    from: config.fromAddress,
    to,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    replyTo,
    headers: {
      "Auto-Submitted": autoSubmitted,
      "In-Reply-To": `<${thread.parentId}>`,
      References: references.map((id) => `<${id}>`).join(" "),
    },
  };
}
