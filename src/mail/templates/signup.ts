import { escapeHtml, htmlPage, paragraphs, type Rendered } from "./layout";

/** What asked for the confirmation: mail Sprout now holds, or the sign-in form. */
export interface SignupRequest {
  url: string;
  days: number;
  mailDomain: string;
  /** How many of the address's messages Sprout holds (0 when it came from the form). */
  held: number;
}

/**
 * The one email a new address receives before it is confirmed: what Sprout is, what it
 * holds, and the link. Nothing else is ever sent to a pending address.
 */
export function renderSignup(r: SignupRequest): Rendered {
  const why =
    r.held === 0
      ? `Someone, hopefully you, asked to sign in to Sprout at ${r.mailDomain} with this address, which is new here.`
      : `Someone, hopefully you, wrote to Sprout at ${r.mailDomain} from this address, which is new here.`;
  const them = r.held === 1 ? "your message" : `your ${r.held} messages`;
  const kept =
    r.held === 0
      ? "Confirming creates your account and signs you in."
      : `Sprout keeps ${them} until you confirm. Confirming acts on ${r.held === 1 ? "it" : "them"} (times count from when ${r.held === 1 ? "it" : "they"} reached Sprout) and signs you in.`;
  const before = [
    why,
    "Sprout reminds you to follow up on your outreach: add a Sprout address in Bcc when you write to someone, and if they have not replied, Sprout reminds you. It never writes to the people you contact.",
    "To start using Sprout, confirm your address:",
  ];
  const after = [
    kept,
    `The link works for ${r.days} days. Opening it shows a page with a "Confirm" button; nothing happens until you press it.`,
    `If this was not you, ignore this email: nothing happens without the link, and Sprout forgets this address and anything it kept after ${r.days} days.`,
  ];
  const text = [...before, r.url, ...after].join("\n\n");
  const button = `<p><a href="${escapeHtml(r.url)}" style="display:inline-block;background:#166534;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Confirm your address</a></p>`;
  const html = htmlPage(
    "Confirm your address",
    `${paragraphs(before.join("\n\n"))}\n${button}\n${paragraphs(after.join("\n\n"))}`,
  );
  return { subject: "Confirm your address to start using Sprout", text, html };
}
