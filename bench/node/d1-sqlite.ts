// A D1-shaped adapter over Node's built-in SQLite (node:sqlite), so the Node benchmarks run
// Sprout's own code, drizzle's d1 driver included, against a real SQLite file. It implements
// what Sprout and drizzle call: prepare, bind, first, all, run, raw, batch and exec.
//
// It also keeps the CPU the database itself spends (inside SQLite), so a benchmark can
// subtract it: on Cloudflare, D1 runs elsewhere, and only the Worker's own CPU is billed.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";

type Row = Record<string, unknown>;

function meta(changes = 0, lastRowId = 0) {
  return {
    duration: 0,
    size_after: 0,
    rows_read: 0,
    rows_written: changes,
    last_row_id: lastRowId,
    changed_db: changes > 0,
    changes,
  };
}

/** D1 binds booleans as 1/0; SQLite in Node takes numbers, strings, null and bytes. */
function toSqlite(value: unknown): SQLInputValue {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === undefined) throw new Error("D1_TYPE_ERROR: undefined cannot be bound");
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return value as SQLInputValue;
}

class SqliteStatement {
  constructor(
    private readonly d1: SqliteD1,
    private readonly stmt: StatementSync,
    private readonly params: SQLInputValue[] = [],
  ) {}

  bind(...values: unknown[]): SqliteStatement {
    return new SqliteStatement(this.d1, this.stmt, values.map(toSqlite));
  }

  /** Runs the statement and returns rows as objects (works for writes with RETURNING). */
  rows(): Row[] {
    return this.d1.timed(() => this.untimedRows());
  }

  untimedRows(): Row[] {
    this.stmt.setReturnArrays(false);
    return this.stmt.all(...this.params) as Row[];
  }

  async all<T = Row>() {
    await this.d1.latency();
    const results = this.rows() as T[];
    return { success: true as const, results, meta: meta() };
  }

  async first<T = Row>(column?: string): Promise<T | null> {
    await this.d1.latency();
    const row = this.rows()[0];
    if (row === undefined) return null;
    return (column === undefined ? row : row[column]) as T;
  }

  async run() {
    await this.d1.latency();
    const info = this.d1.timed(() => this.stmt.run(...this.params));
    return {
      success: true as const,
      results: [],
      meta: meta(Number(info.changes), Number(info.lastInsertRowid)),
    };
  }

  async raw<T = unknown[]>(options?: { columnNames?: boolean }): Promise<T[]> {
    await this.d1.latency();
    const rows = this.d1.timed(() => {
      this.stmt.setReturnArrays(true);
      return this.stmt.all(...this.params) as unknown as T[];
    });
    if (options?.columnNames !== true) return rows;
    return [this.stmt.columns().map((c) => c.name) as T, ...rows];
  }

  /** For batch(): the D1Result of this statement, as `all()` would give it. */
  resultNow() {
    const results = this.untimedRows();
    const changes = Number(this.d1.prepare("SELECT changes() AS n").untimedRows()[0]?.n ?? 0);
    return { results, success: true as const, meta: meta(changes) };
  }
}

/**
 * The adapter. `latencyMs` makes every call wait that long first, like a round trip from a
 * Worker to D1; `sqliteCpuMs` is the CPU spent inside SQLite so far.
 */
export class SqliteD1 {
  readonly db: DatabaseSync;
  sqliteCpuMs = 0;
  calls = 0;
  private readonly statements = new Map<string, StatementSync>();

  constructor(
    path: string,
    private readonly latencyMs = 0,
  ) {
    this.db = new DatabaseSync(path);
    this.db.exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
    );
  }

  /** Applies every migration in `dir`, in name order, as `wrangler d1 migrations apply` does. */
  migrate(dir: string): void {
    for (const file of readdirSync(dir)
      .filter((f) => /^\d{4}_.*\.sql$/.test(f))
      .sort()) {
      this.db.exec(readFileSync(join(dir, file), "utf8"));
    }
  }

  /** Runs `work` inside SQLite, adding its CPU to sqliteCpuMs. */
  timed<T>(work: () => T): T {
    this.calls += 1;
    const before = process.cpuUsage();
    try {
      return work();
    } finally {
      const used = process.cpuUsage(before);
      this.sqliteCpuMs += (used.user + used.system) / 1000;
    }
  }

  async latency(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((done) => setTimeout(done, this.latencyMs));
  }

  prepare(sql: string): SqliteStatement {
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return new SqliteStatement(this, stmt);
  }

  /** Runs statements in one transaction, as D1 does; all or nothing. */
  async batch(statements: SqliteStatement[]) {
    await this.latency();
    // Timed as a whole: one pair of cpuUsage() calls, not one per statement.
    return this.timed(() => {
      this.db.exec("BEGIN");
      try {
        const results = statements.map((s) => s.resultNow());
        this.db.exec("COMMIT");
        return results;
      } catch (e) {
        this.db.exec("ROLLBACK");
        throw e;
      }
    });
  }

  async exec(sql: string) {
    await this.latency();
    this.timed(() => this.db.exec(sql));
    return { count: 1, duration: 0 };
  }

  /** The binding as Sprout's code takes it. */
  asBinding(): D1Database {
    return this as unknown as D1Database;
  }
}
