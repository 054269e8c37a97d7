// Runs the black-box suite's fake Resend (test/e2e/fake-resend-server.ts) in its own process,
// so its CPU is not counted as Sprout's and it does not share Sprout's event loop. Usage:
//   node --experimental-strip-types bench/node/fake-resend-process.mjs <requests per second|0>
// It prints one line of JSON, {"url": ..., "stats": ...}; GET <stats> answers with what it
// has received so far.
import { createServer } from "node:http";
import { startFakeResend } from "../../test/e2e/fake-resend-server.ts";

const rate = Number(process.argv[2] ?? "0");
const fake = await startFakeResend(rate > 0 ? { ratePerSecond: rate } : {});

function stats() {
  const perReplyTo = new Map();
  for (const email of fake.emails) {
    const key = String(email.reply_to ?? email.to);
    perReplyTo.set(key, (perReplyTo.get(key) ?? 0) + 1);
  }
  let duplicates = 0;
  for (const n of perReplyTo.values()) if (n > 1) duplicates += n - 1;
  const sent = fake.requests.filter((r) => r.path.startsWith("/emails")).length;
  return {
    requests: sent,
    rateLimited: fake.rateLimited(),
    emails: fake.emails.length,
    distinct: perReplyTo.size,
    duplicates,
    firstAt: fake.sentAt[0] ?? null,
    lastAt: fake.sentAt.at(-1) ?? null,
  };
}

// GET <stats>/sent lists every email that went out as [reply_to or to, sent at ms].
const control = createServer((req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  if (req.url === "/sent") {
    res.end(
      JSON.stringify(fake.emails.map((e, i) => [String(e.reply_to ?? e.to), fake.sentAt[i]])),
    );
    return;
  }
  res.end(JSON.stringify(stats()));
});
control.listen(0, "127.0.0.1", () => {
  const address = control.address();
  const statsUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  console.log(JSON.stringify({ url: fake.url, stats: statsUrl }));
});
