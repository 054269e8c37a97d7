import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { UserRow } from "../db/schema";

/** The page frame: skip link, header with navigation, one h1, then the content. */
export function Layout(props: { title: string; user: UserRow | null; children?: Child }) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · Sprout`}</title>
          <link rel="stylesheet" href="/app.css" />
        </head>
        <body>
          <a class="skip" href="#main">
            Skip to content
          </a>
          <header class="top">
            <a class="brand" href="/">
              Sprout
            </a>
            <nav aria-label="Main">
              <ul>
                {props.user === null ? (
                  <li>
                    <a href="/login">Sign in</a>
                  </li>
                ) : (
                  <>
                    <li>
                      <a href="/threads">Threads</a>
                    </li>
                    <li>
                      <a href="/stats">Stats</a>
                    </li>
                    <li>
                      <a href="/settings">Settings</a>
                    </li>
                    <li>
                      <form method="post" action="/logout">
                        <button type="submit" class="link-button">
                          Sign out
                        </button>
                      </form>
                    </li>
                  </>
                )}
              </ul>
            </nav>
          </header>
          <main id="main">
            <h1>{props.title}</h1>
            {props.children}
          </main>
        </body>
      </html>
    </>
  );
}
