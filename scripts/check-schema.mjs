#!/usr/bin/env node
// Checks that src/db/schema.ts (what drizzle and TypeScript believe) matches migrations/
// (what D1 holds). Both sides are turned into a real SQLite database in memory: the
// migrations are applied in order, and `drizzle-kit export` prints the CREATE statements
// of schema.ts from scratch (drizzle-kit loads the TypeScript itself). Then SQLite
// describes both databases (PRAGMA table_info, index_list, index_info, foreign_key_list)
// and the descriptions are compared. Run by `npm run check`; exits 1 and prints each
// difference when they disagree.
//
// Not compared, because drizzle's schema cannot say them: CHECK constraints (a text
// `enum` is a TypeScript type only; the migrations hold the CHECKs), WITHOUT ROWID, column
// order, and NOT NULL on a primary-key column (drizzle writes it, hand-written SQL usually
// does not). The names of UNIQUE indexes are not compared either: an inline UNIQUE gets an
// automatic name, drizzle's `.unique()` a named index; their columns are compared.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";

const root = join(import.meta.dirname, "..");
const migrationsDir = join(root, "migrations");
const schemaPath = join(root, "src/db/schema.ts");

/** A database built by applying every flat NNNN_name.sql migration in order. */
function fromMigrations() {
  const db = new DatabaseSync(":memory:");
  const files = readdirSync(migrationsDir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort();
  for (const file of files) db.exec(readFileSync(join(migrationsDir, file), "utf8"));
  return db;
}

/** A database built from the CREATE statements `drizzle-kit export` prints for schema.ts. */
function fromSchema() {
  const kit = join(dirname(createRequire(import.meta.url).resolve("drizzle-kit")), "bin.cjs");
  const run = spawnSync(
    process.execPath,
    [kit, "export", "--dialect=sqlite", `--schema=${schemaPath}`],
    { cwd: root, encoding: "utf8" },
  );
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    throw new Error(`drizzle-kit export failed (exit ${run.status})`);
  }
  const db = new DatabaseSync(":memory:");
  db.exec(run.stdout);
  return db;
}

/** SQL text compared loosely: no quoting of names, one space, lower case. */
const normal = (sql) =>
  String(sql)
    .replace(/[`"[\]]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();

/** Defaults as SQLite stores booleans: drizzle writes `true`, hand-written SQL `1`. */
const normalDefault = (value) => {
  if (value === null) return "none";
  const v = normal(value);
  return v === "true" ? "1" : v === "false" ? "0" : v;
};

/** One line per fact about the database, sorted: tables, columns, keys and indexes. */
function describe(db) {
  const lines = [];
  const tables = db
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all();
  for (const { name: table } of tables) {
    lines.push(`table ${table}`);
    const columns = db.prepare(`PRAGMA table_info("${table}")`).all();
    const pk = columns
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    lines.push(`table ${table}: primary key (${pk.join(", ")})`);
    for (const c of columns) {
      const notNull = c.notnull === 1 || c.pk > 0 ? "not null" : "null";
      const type = normal(c.type);
      lines.push(
        `table ${table}: column ${c.name} ${type} ${notNull} default ${normalDefault(c.dflt_value)}`,
      );
    }
    for (const f of db.prepare(`PRAGMA foreign_key_list("${table}")`).all()) {
      lines.push(
        `table ${table}: ${f.from} references ${f.table}(${f.to}) on delete ${normal(f.on_delete)} on update ${normal(f.on_update)}`,
      );
    }
    for (const index of db.prepare(`PRAGMA index_list("${table}")`).all()) {
      if (index.origin === "pk") continue;
      const cols = db
        .prepare(`PRAGMA index_info("${index.name}")`)
        .all()
        .map((c) => c.name)
        .join(", ");
      const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(index.name)?.sql;
      const where =
        index.partial === 1 ? ` where ${normal(String(sql).split(/\bWHERE\b/i)[1])}` : "";
      const what = index.unique === 1 ? "unique" : `index ${index.name}`;
      lines.push(`table ${table}: ${what} (${cols})${where}`);
    }
  }
  return lines.sort();
}

const migrated = describe(fromMigrations());
const declared = describe(fromSchema());
const onlyMigrated = migrated.filter((l) => !declared.includes(l));
const onlyDeclared = declared.filter((l) => !migrated.includes(l));
if (onlyMigrated.length > 0 || onlyDeclared.length > 0) {
  console.error("src/db/schema.ts does not match migrations/:");
  for (const l of onlyMigrated) console.error(`  only in migrations/: ${l}`);
  for (const l of onlyDeclared) console.error(`  only in schema.ts:   ${l}`);
  process.exit(1);
}
console.log(`schema.ts matches migrations/ (${migrated.length} facts compared)`);
