import { getTableColumns, type Table } from "drizzle-orm";

/**
 * Maps raw D1 rows (snake_case columns, integers for booleans) of `table` to drizzle's shape,
 * through the schema's own column list, so a column added to the schema is mapped too. For
 * the few hot statements written as raw SQL (see claims.ts).
 */
export function rawRowMapper<T extends Table>(
  table: T,
): (raw: Record<string, unknown>) => T["$inferSelect"] {
  const columns = Object.entries(getTableColumns(table));
  return (raw) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = raw[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T["$inferSelect"];
  };
}
