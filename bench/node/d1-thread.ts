// A D1-shaped adapter whose SQLite runs in its own thread (d1-thread-worker.mjs), as D1 runs
// outside the Worker: the Worker's thread only awaits. For the spike benchmark, where a
// synchronous SQLite in the same thread would stall the pacing that D1 never stalls.
import { Worker } from "node:worker_threads";

interface Call {
  sql: string;
  params: unknown[];
  mode: "all" | "run" | "raw";
}

function meta(changes = 0, lastRowId = 0) {
  return { duration: 0, rows_read: 0, rows_written: changes, last_row_id: lastRowId, changes };
}

const toSqlite = (v: unknown) => (typeof v === "boolean" ? (v ? 1 : 0) : v);

class ThreadStatement {
  constructor(
    private readonly d1: ThreadD1,
    readonly sql: string,
    readonly params: unknown[] = [],
  ) {}

  bind(...values: unknown[]) {
    return new ThreadStatement(this.d1, this.sql, values.map(toSqlite));
  }

  call(mode: Call["mode"]): Call {
    return { sql: this.sql, params: this.params, mode };
  }

  async all<T>() {
    const r = (await this.d1.send({ kind: "one", ...this.call("all") })) as { rows: T[] };
    return { success: true as const, results: r.rows, meta: meta() };
  }

  async first<T>(column?: string) {
    const { results } = await this.all<Record<string, unknown>>();
    const row = results[0];
    if (row === undefined) return null;
    return (column === undefined ? row : row[column]) as T;
  }

  async run() {
    const r = (await this.d1.send({ kind: "one", ...this.call("run") })) as {
      changes: number;
      lastRowId: number;
    };
    return { success: true as const, results: [], meta: meta(r.changes, r.lastRowId) };
  }

  async raw<T>(options?: { columnNames?: boolean }) {
    const r = (await this.d1.send({ kind: "one", ...this.call("raw") })) as {
      rows: T[];
      columns: string[];
    };
    return options?.columnNames === true ? [r.columns as T, ...r.rows] : r.rows;
  }
}

/** D1 over SQLite in another thread; `latencyMs` is added to every call, as a round trip. */
export class ThreadD1 {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { done: (v: unknown) => void; fail: (e: Error) => void }
  >();
  calls = 0;

  constructor(
    path: string,
    private readonly latencyMs = 0,
  ) {
    this.worker = new Worker(new URL("./d1-thread-worker.mjs", import.meta.url), {
      workerData: { path },
    });
    this.worker.on(
      "message",
      (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
        const w = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (m.ok) w?.done(m.result);
        else w?.fail(new Error(m.error));
      },
    );
  }

  async send(message: Record<string, unknown>): Promise<unknown> {
    this.calls += 1;
    if (this.latencyMs > 0) await new Promise((done) => setTimeout(done, this.latencyMs));
    const id = this.nextId++;
    return new Promise((done, fail) => {
      this.waiting.set(id, { done, fail });
      this.worker.postMessage({ id, ...message });
    });
  }

  prepare(sql: string) {
    return new ThreadStatement(this, sql);
  }

  async batch(statements: ThreadStatement[]) {
    const results = (await this.send({
      kind: "batch",
      statements: statements.map((s) => s.call("all")),
    })) as { rows: unknown[]; changes: number }[];
    return results.map((r) => ({ success: true as const, results: r.rows, meta: meta(r.changes) }));
  }

  async exec(sql: string) {
    await this.send({ kind: "exec", sql });
    return { count: 1, duration: 0 };
  }

  /** Milliseconds the SQLite thread has spent working so far. */
  async busyMs(): Promise<number> {
    return (await this.send({ kind: "busy" })) as number;
  }

  asBinding(): D1Database {
    return this as unknown as D1Database;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
