import { escapeHtml, htmlPage, type Rendered } from "./layout";

/** The email that carries a one-time sign-in link. */
export function renderLogin(url: string, minutes: number): Rendered {
  const text = [
    "Here is your link to sign in to Sprout:",
    "",
    url,
    "",
    `It works once, within ${minutes} minutes. Opening it shows a page with a "Sign in" button; nothing happens until you press it.`,
    "",
    "If you did not ask to sign in, ignore this email: nobody can use the link without it.",
  ].join("\n");
  const html = htmlPage(
    "Sign in to Sprout",
    `<p>Here is your link to sign in to Sprout:</p>
<p><a href="${escapeHtml(url)}" style="display:inline-block;background:#166534;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Sign in to Sprout</a></p>
<p>It works once, within ${minutes} minutes. Opening it shows a page with a "Sign in" button; nothing happens until you press it.</p>
<p>If you did not ask to sign in, ignore this email: nobody can use the link without it.</p>`,
  );
  return { subject: "Your Sprout sign-in link", text, html };
}
