// Where a running `npm run dev` can be reached. The dev script writes a small JSON file once
// the Worker answers, and removes it when it stops; `npm run try`, `demo` and `reply` read it,
// so they find a server started on any port. SPROUT_DEV_STATE names another file (the
// black-box tests use one per server, so they never touch a developer's own).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** The state file's path: SPROUT_DEV_STATE, or .wrangler/sprout-dev.json (git-ignored). */
export function devStatePath() {
  return resolve(process.env.SPROUT_DEV_STATE || ".wrangler/sprout-dev.json");
}

/**
 * Records where the dev server runs: { url, publicUrl, mailDomain, owner, pid, startedAt }.
 * `url` is where scripts reach it; `publicUrl` is what its emails link to (the same unless
 * PUBLIC_URL was given).
 */
export function writeDevState(state) {
  const path = devStatePath();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`);
}

/** The recorded state, or null when no dev server wrote one (or the file is unreadable). */
export function readDevState() {
  const path = devStatePath();
  if (!existsSync(path)) return null;
  try {
    const state = JSON.parse(readFileSync(path, "utf8"));
    return typeof state?.url === "string" ? state : null;
  } catch {
    return null;
  }
}

/** Removes the state file if it is still this process's (another server may have replaced it). */
export function removeDevState(pid) {
  if (readDevState()?.pid === pid) rmSync(devStatePath(), { force: true });
}
