import type { Ctx } from "./context";
import { Layout } from "./layout";

/** The page for a Worker deployed without its configuration (no database is touched). */
export function configErrorPage(c: Ctx, message: string) {
  c.header("Content-Security-Policy", "default-src 'none'; style-src 'self'");
  return c.html(
    <Layout title="Sprout is not configured" user={null}>
      <p>{message}</p>
    </Layout>,
    500,
  );
}

/** The page for a bug: the details go to the log, not to the visitor. */
export function unexpectedErrorPage(c: Ctx) {
  return c.html(
    <Layout title="Something went wrong" user={c.get("user") ?? null}>
      <p>Sprout hit an unexpected error. Please try again.</p>
    </Layout>,
    500,
  );
}
