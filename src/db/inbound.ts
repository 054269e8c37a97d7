import { eq } from "drizzle-orm";
import type { Db, Statement } from "./client";
import { inbound } from "./schema";

export type InboundRecord = typeof inbound.$inferInsert;

/** True when this exact delivery (Message-ID and envelope) was handled before. */
export async function alreadyHandled(db: Db, id: string): Promise<boolean> {
  const rows = await db.select({ id: inbound.id }).from(inbound).where(eq(inbound.id, id)).limit(1);
  return rows.length > 0;
}

/**
 * Statement that records a handled delivery. A plain insert on purpose: when two copies
 * race, the second batch fails on the primary key and changes nothing.
 */
export function recordInbound(db: Db, record: InboundRecord): Statement {
  return db.insert(inbound).values(record);
}

/** Records a delivery that changed nothing else (ignored or rejected), once. */
export async function noteInbound(db: Db, record: InboundRecord): Promise<void> {
  await db.insert(inbound).values(record).onConflictDoNothing();
}
