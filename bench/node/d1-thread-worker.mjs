// The SQLite side of d1-thread.ts: owns the database in its own thread, as D1 runs outside
// the Worker, and answers one message per call.

import { DatabaseSync } from "node:sqlite";
import { parentPort, workerData } from "node:worker_threads";

const db = new DatabaseSync(workerData.path);
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
const statements = new Map();
const prepared = (sql) => {
  let stmt = statements.get(sql);
  if (stmt === undefined) {
    stmt = db.prepare(sql);
    statements.set(sql, stmt);
  }
  return stmt;
};
const changes = () => Number(prepared("SELECT changes() AS n").get().n);
let busyMs = 0;

function one({ sql, params, mode }) {
  const stmt = prepared(sql);
  if (mode === "run") {
    const info = stmt.run(...params);
    return { changes: Number(info.changes), lastRowId: Number(info.lastInsertRowid) };
  }
  stmt.setReturnArrays(mode === "raw");
  const rows = stmt.all(...params);
  const result = { rows, changes: changes() };
  if (mode === "raw") result.columns = stmt.columns().map((c) => c.name);
  return result;
}

parentPort.on("message", (m) => {
  const began = performance.now();
  try {
    let result;
    if (m.kind === "batch") {
      db.exec("BEGIN");
      try {
        result = m.statements.map(one);
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
    } else if (m.kind === "exec") {
      db.exec(m.sql);
      result = null;
    } else if (m.kind === "busy") {
      result = busyMs;
    } else {
      result = one(m);
    }
    busyMs += performance.now() - began;
    parentPort.postMessage({ id: m.id, ok: true, result });
  } catch (e) {
    busyMs += performance.now() - began;
    parentPort.postMessage({ id: m.id, ok: false, error: String(e?.message ?? e) });
  }
});
