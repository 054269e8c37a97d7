// A Resend-compatible HTTP server on loopback for black-box tests: it records every
// request and, like Resend, answers a repeated Idempotency-Key without sending again.
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
  close: () => Promise<void>;
}

/** Starts the fake on a free loopback port. */
export async function startFakeResend(): Promise<FakeResendServer> {
  const requests: ReceivedRequest[] = [];
  const emails: Record<string, unknown>[] = [];
  const answers = new Map<string, string>();
  let next = 1;
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => {
      raw += chunk.toString();
    });
    req.on("end", () => {
      const body: unknown = raw === "" ? null : JSON.parse(raw);
      const path = req.url ?? "";
      requests.push({ method: req.method ?? "", path, headers: req.headers, body });
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
          return { id: `em_${next++}` };
        });
        answer = JSON.stringify(path === "/emails/batch" ? { data: ids } : ids[0]);
        if (typeof key === "string") answers.set(key, answer);
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(answer);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    emails,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
