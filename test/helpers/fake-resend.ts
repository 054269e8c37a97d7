import { vi } from "vitest";

/** The base URL the fake answers on; every other outbound request is denied. */
export const FAKE_RESEND = "http://resend.fake";

export interface FakeRequest {
  path: string;
  idempotencyKey: string | null;
  body: unknown;
}

/**
 * A Resend stand-in behind a denied-by-default fetch stub. It keeps Resend's idempotency
 * promise (a key seen before returns the first answer and delivers nothing new), and tests
 * can script failures: each scripted Response is used for one request before normal service
 * (a null entry answers its request normally, so a failure can be placed on request n).
 */
export class FakeResend {
  readonly requests: FakeRequest[] = [];
  /** Emails that really went out, once each. */
  readonly delivered: { key: string; email: Record<string, unknown> }[] = [];
  readonly script: (null | (() => Response))[] = [];
  private readonly answers = new Map<string, unknown>();
  private nextId = 1;

  install(): void {
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const req = new Request(input, init);
      if (!req.url.startsWith(`${FAKE_RESEND}/`)) {
        throw new Error(`outbound request denied in tests: ${req.url}`);
      }
      return this.handle(req);
    });
  }

  private async handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    const key = req.headers.get("Idempotency-Key");
    const body: unknown = await req.json();
    this.requests.push({ path, idempotencyKey: key, body });
    const scripted = this.script.shift();
    if (scripted !== undefined && scripted !== null) return scripted();
    if (key !== null && this.answers.has(key)) return Response.json(this.answers.get(key));
    const emails =
      path === "/emails/batch"
        ? (body as Record<string, unknown>[])
        : [body as Record<string, unknown>];
    const ids = emails.map((email) => {
      const id = `em_${this.nextId++}`;
      this.delivered.push({ key: key ?? id, email });
      return { id };
    });
    const answer = path === "/emails/batch" ? { data: ids } : ids[0];
    if (key !== null) this.answers.set(key, answer);
    return Response.json(answer);
  }
}

/** A Resend-shaped error response. */
export function resendError(status: number, name: string, headers: Record<string, string> = {}) {
  return () =>
    Response.json({ statusCode: status, name, message: `${name} (scripted)` }, { status, headers });
}
