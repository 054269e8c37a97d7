import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { type ThreadRow, threadMessages, threads } from "../db/schema";
import { threadContacts } from "../db/threads";
import type { InboundMessage } from "./parse";

/** Every Message-ID a message points back to (In-Reply-To first, then References). */
export function ancestorIds(msg: InboundMessage): string[] {
  return [...new Set([...msg.inReplyTo, ...msg.references.slice().reverse()])].slice(0, 90);
}

/** The thread any of these Message-IDs belongs to, whoever owns it. */
export async function threadByAncestors(db: Db, ids: string[]): Promise<ThreadRow | null> {
  if (ids.length === 0) return null;
  const rows = await db
    .select({ thread: threads })
    .from(threadMessages)
    .innerJoin(threads, eq(threads.id, threadMessages.threadId))
    .where(inArray(threadMessages.messageId, ids))
    .limit(1);
  return rows[0]?.thread ?? null;
}

// Markers that open a forwarded message in the body, as the major clients write them.
const FORWARD_MARKERS = [
  /^-{2,}\s*forwarded message\s*-{2,}/im,
  /^begin forwarded message:/im,
  /^-{2,}\s*original message\s*-{2,}/im,
  /^_{10,}\s*$/m,
];

/** True when a message is a forward (by its subject or a forwarded-message marker). */
export function isForward(msg: InboundMessage): boolean {
  if (/^\s*(fwd?|fw|tr|wg|rv)\s*:/i.test(msg.subject ?? "")) return true;
  const text = msg.text ?? "";
  return FORWARD_MARKERS.some((m) => m.test(text));
}

/** The sender named in a forwarded block ("From: Jane <jane@example.org>"), lower-cased. */
export function forwardedSender(msg: InboundMessage): string | null {
  const text = msg.text ?? "";
  let start = -1;
  for (const marker of FORWARD_MARKERS) {
    const m = marker.exec(text);
    if (m !== null && (start < 0 || m.index < start)) start = m.index;
  }
  const block = text.slice(Math.max(0, start), Math.max(0, start) + 4000);
  const from = /^\s*\*?from:\*?\s*(.+)$/im.exec(block)?.[1] ?? "";
  const address =
    /<([^<>\s]+@[^<>\s]+)>/.exec(from)?.[1] ?? /([^\s<>"]+@[^\s<>"]+)/.exec(from)?.[1];
  return address === undefined ? null : address.toLowerCase().replace(/[.,;]+$/, "");
}

/** Strips Re:/Fwd: prefixes for comparing subjects. */
export function baseSubject(subject: string): string {
  return subject
    .replace(/^(\s*(re|fwd?|fw|aw|tr|wg|rv)\s*(\[\d+\])?\s*:\s*)+/i, "")
    .trim()
    .toLowerCase();
}

/**
 * The owner's thread a forwarded reply is about: one whose contacts include the forwarded
 * sender, preferring a matching subject, then the most recent.
 */
export async function threadForForward(
  db: Db,
  userId: string,
  sender: string,
  subject: string,
): Promise<ThreadRow | null> {
  const candidates = await db
    .select()
    .from(threads)
    .where(
      and(
        eq(threads.userId, userId),
        inArray(threads.status, ["scheduled", "dormant", "unscheduled"]),
      ),
    )
    .orderBy(desc(threads.sentAt))
    .limit(200);
  const withSender = candidates.filter((t) => threadContacts(t).some((c) => c.address === sender));
  const wanted = baseSubject(subject);
  return withSender.find((t) => baseSubject(t.subject) === wanted) ?? withSender[0] ?? null;
}
