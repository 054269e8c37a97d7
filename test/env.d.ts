// Bindings that only the workerd test pool provides (see vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    /** File name to base64 content of every corpus message. */
    CORPUS: Record<string, string>;
    CORPUS_NOTE: string;
    /** A real queue producer for the queue path's tests (see vitest.config.ts). */
    TEST_SEND_QUEUE: Queue<import("../src/jobs/queue-message").ReminderMessage>;
  }
}
