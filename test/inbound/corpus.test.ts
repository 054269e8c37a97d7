import { env } from "cloudflare:workers";
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { deliver } from "../helpers/email";

// Every real-world message of ../shared/corpus (third-party test fixtures, kept outside the
// repository) goes through the email handler twice: once as it is (its sender is not a
// Sprout user) and once with its sender made an owner, so it travels all the way to a
// thread. Each must be stored, ignored on the record, or cleanly rejected: never a throw.

const names = Object.keys(env.CORPUS);

function bytesOf(name: string): Uint8Array {
  return Uint8Array.from(atob(env.CORPUS[name] ?? ""), (c) => c.charCodeAt(0));
}

type Fate = "stored" | "ignored" | "rejected" | "duplicate";

async function counts(): Promise<{ threads: number; inbound: number }> {
  const row = await env.DB.prepare(
    "select (select count(*) from threads) as threads, (select count(*) from inbound) as inbound",
  ).first<{ threads: number; inbound: number }>();
  return row ?? { threads: 0, inbound: 0 };
}

/** Stored (a new thread), ignored (accepted and recorded), rejected, or a duplicate. */
async function fateOf(before: { threads: number; inbound: number }, rejected: string | null) {
  if (rejected !== null) return "rejected" satisfies Fate;
  const after = await counts();
  if (after.threads > before.threads) return "stored" satisfies Fate;
  return (after.inbound > before.inbound ? "ignored" : "duplicate") satisfies Fate;
}

describe("the public corpus", () => {
  if (names.length === 0) {
    it.skip(`skipped: ${env.CORPUS_NOTE}`, () => {});
    console.warn(`corpus test skipped: ${env.CORPUS_NOTE}`);
    return;
  }

  it(`handles all ${names.length} messages without an uncaught exception`, async () => {
    const fates: Record<string, string> = {};
    const tally: Record<string, number> = {};
    // As it is, before any of these senders is a user: unknown senders are rejected,
    // automated mail is ignored on the record.
    for (const name of names) {
      const before = await counts();
      const asIs = await deliver(bytesOf(name), {
        from: "someone@example.net",
        to: "3d@sprout.test",
      });
      expect(await fateOf(before, asIs.rejected), name).not.toBe("stored");
      if (asIs.rejected !== null) expect(asIs.rejected.length, name).toBeGreaterThan(20);
    }
    for (const name of names) {
      const bytes = bytesOf(name);
      // With its sender as an owner, so the message is tracked if it can be.
      let sender = "";
      try {
        sender = (await PostalMime.parse(bytes)).from?.address?.toLowerCase() ?? "";
      } catch {
        sender = "";
      }
      const owned = { ...env, OWNERS: `owner@example.com,${sender}` } as Env;
      const mid = await counts();
      const result = await deliver(
        bytes,
        { from: sender || "someone@example.net", to: "3d@sprout.test" },
        owned,
      );
      const fate = await fateOf(mid, result.rejected);
      if (result.rejected !== null) expect(result.rejected, name).toMatch(/^Sprout /);
      fates[name] = fate === "rejected" ? `rejected: ${result.rejected}` : fate;
      tally[fate] = (tally[fate] ?? 0) + 1;
    }
    console.log(`corpus (${env.CORPUS_NOTE}): ${JSON.stringify(tally)}`);
    for (const [name, fate] of Object.entries(fates)) console.log(`  ${name}: ${fate}`);
    expect(Object.keys(fates)).toHaveLength(names.length);
    expect(tally.stored ?? 0).toBeGreaterThan(names.length / 2);
    // 154 deliveries through the whole handler: seconds on a loaded 2-core machine.
  }, 120_000);
});
