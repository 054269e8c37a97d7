// What the Node benchmarks share: a fresh SQLite-backed D1 with the real migrations, the
// Worker's env around it, the fake Resend in its own process, and CPU accounting.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { SqliteD1 } from "./d1-sqlite";

const ROOT = resolve(import.meta.dirname, "../..");

/** A fresh database file with every migration applied; `drop()` deletes it. */
export function freshD1(latencyMs = 0): { d1: SqliteD1; path: string; drop: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "sprout-bench-"));
  const path = join(dir, "sprout.sqlite");
  const d1 = new SqliteD1(path, latencyMs);
  d1.migrate(join(ROOT, "migrations"));
  return {
    d1,
    path,
    drop: () => {
      if (d1.db.isOpen) d1.db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The Worker's env as wrangler.toml and the secrets would give it, around `d1`. */
export function benchEnv(d1: { asBinding(): D1Database }, extra: Record<string, string> = {}): Env {
  return {
    DB: d1.asBinding(),
    MAIL_DOMAIN: "sprout.test",
    PUBLIC_URL: "https://sprout.test",
    FROM_ADDRESS: "Sprout <sprout@sprout.test>",
    DEFAULT_TIMEZONE: "UTC",
    OWNERS: "owner@example.com",
    SIGNUP: "open",
    RESEND_BASE_URL: "https://api.resend.com",
    // Off, as on any https deployment (SPEC 9 refuses DEV_OUTBOX=true with an https PUBLIC_URL).
    DEV_OUTBOX: "false",
    SIGNING_SECRET: "bench-signing-secret-0123456789abcdef",
    ...extra,
  } as unknown as Env;
}

/** The fake Resend of the black-box suite, in a child process (its CPU is not Sprout's). */
export async function fakeResendProcess(ratePerSecond: number) {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--experimental-strip-types",
      "--no-warnings",
      join(ROOT, "bench/node/fake-resend-process.mjs"),
      String(ratePerSecond),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const stdout = child.stdout;
  if (stdout === null) throw new Error("no stdout from the fake");
  const line = await new Promise<string>((done) => {
    createInterface({ input: stdout }).once("line", done);
  });
  const { url, stats } = JSON.parse(line) as { url: string; stats: string };
  return {
    url,
    stats: async () =>
      (await (await fetch(stats)).json()) as {
        requests: number;
        rateLimited: number;
        emails: number;
        distinct: number;
        duplicates: number;
        firstAt: number | null;
        lastAt: number | null;
      },
    /** Every email that went out: [reply_to (or to), when], in order. */
    sent: async () => (await (await fetch(`${stats}/sent`)).json()) as [string, number][],
    stop: () => {
      child.kill("SIGTERM");
    },
  };
}

/**
 * Runs `work` and returns the CPU it cost this process in milliseconds, minus what SQLite
 * itself spent (D1 runs outside the Worker and is not billed as the Worker's CPU).
 */
export async function ownCpuMs(d1: SqliteD1, work: () => Promise<unknown>): Promise<number> {
  const sqliteBefore = d1.sqliteCpuMs;
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 - (d1.sqliteCpuMs - sqliteBefore);
}

/**
 * CPU milliseconds the main thread (the Worker's code) has used so far, read from Linux's
 * /proc; null elsewhere. Unlike process.cpuUsage(), it leaves out other threads (SQLite's).
 */
export function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** One line naming the machine, for the figures' context. */
export function machine(): string {
  const list = cpus();
  return `${list.length} x ${list[0]?.model ?? "unknown CPU"}, Node ${process.version}, ${process.platform}`;
}
