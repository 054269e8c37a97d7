// A Resend-compatible HTTP server on loopback for black-box tests: it records every
// request and, like Resend, answers a repeated Idempotency-Key without sending again.
// With `ratePerSecond` it also enforces Resend's rate limit: a request beyond that many in
// any rolling second is answered 429 with Retry-After and sends nothing.
import { createServer, type Server } from "node:http";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeResendServer {
  url: string;
  requests: ReceivedRequest[];
  /** Emails that went out, once per idempotent request. */
  emails: Record<string, unknown>[];
  /** When each of `emails` went out (ms since the epoch), in the same order. */
  sentAt: number[];
  /** Requests refused with 429. */
  rateLimited: () => number;
  close: () => Promise<void>;
}

/** Starts the fake on a free loopback port. */
export async function startFakeResend(
  options: { ratePerSecond?: number; port?: number } = {},
): Promise<FakeResendServer> {
  const requests: ReceivedRequest[] = [];
  const emails: Record<string, unknown>[] = [];
  const sentAt: number[] = [];
  const answers = new Map<string, string>();
  const recent: number[] = [];
  let refused = 0;
  let next = 1;
  const overRate = (now: number) => {
    if (options.ratePerSecond === undefined) return false;
    while (recent.length > 0 && (recent[0] ?? 0) <= now - 1000) recent.shift();
    if (recent.length >= options.ratePerSecond) return true;
    recent.push(now);
    return false;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
    });
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString();
      const body: unknown = raw === "" ? null : JSON.parse(raw);
      const path = req.url ?? "";
      requests.push({ method: req.method ?? "", path, headers: req.headers, body });
      const now = Date.now();
      if (overRate(now)) {
        refused += 1;
        res.writeHead(429, { "content-type": "application/json", "retry-after": "1" });
        res.end(
          JSON.stringify({
            statusCode: 429,
            name: "rate_limit_exceeded",
            message: "Too many requests.",
          }),
        );
        return;
      }
      const key = req.headers["idempotency-key"];
      const cached = typeof key === "string" ? answers.get(key) : undefined;
      let answer = cached;
      if (answer === undefined) {
        const batch =
          path === "/emails/batch"
            ? (body as Record<string, unknown>[])
            : [body as Record<string, unknown>];
        const ids = batch.map((email) => {
          emails.push(email);
          sentAt.push(now);
          return { id: `em_${next++}` };
        });
        answer = JSON.stringify(path === "/emails/batch" ? { data: ids } : ids[0]);
        if (typeof key === "string") answers.set(key, answer);
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(answer);
    });
  });
  await new Promise<void>((done) => server.listen(options.port ?? 0, "127.0.0.1", done));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    emails,
    sentAt,
    rateLimited: () => refused,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
