import { htmlPage, paragraphs, type Rendered } from "./layout";

/** Tells an owner that someone else wrote to one of their reply addresses. */
export function renderForeignReply(sender: string, subject: string, mailDomain: string): Rendered {
  const text = `Someone other than you (${sender}) wrote to the Sprout reply address of your conversation "${subject}". Sprout changed nothing and refused the message.

If that was you from another address, send commands from the address you use with Sprout. Sprout tells you about this at most once a day. help@${mailDomain} lists every command.`;
  return {
    subject: "Sprout: someone else wrote to your reply address",
    text,
    html: htmlPage("Someone else wrote to your reply address", paragraphs(text)),
  };
}
