import { env } from "cloudflare:workers";

/**
 * Inserts `n` scheduled threads for a user in one statement, the i-th due at `dueAt` plus
 * i x `spacingMs` (so "oldest first" is observable), each with its own Message-ID and
 * subject. Far faster than n outreaches through the email handler, for tests about volume.
 */
export async function seedDueThreads(
  userId: string,
  n: number,
  dueAt: number,
  tag = "seed",
  spacingMs = 1,
): Promise<void> {
  await env.DB.prepare(
    `with recursive k(i) as (select 1 union all select i + 1 from k where i < ?2)
     insert into threads (id, user_id, kind, status, address, subject, message_id, contacts_json,
       snippet, sent_at, due_at, last_activity_at, created_at, updated_at)
     select ?3 || printf('%05d', i), ?1, 'track', 'scheduled', 'follow', 'Coffee? #' || i,
       ?3 || printf('%05d', i) || '@mail.example.com',
       '[{"name":"Jane Doe","address":"jane@example.org"}]', 'Would you have 20 minutes?',
       ?4 - 86400000, ?4 + i * ?5, ?4 - 86400000, ?4 - 86400000, ?4 - 86400000
     from k`,
  )
    .bind(userId, n, tag, dueAt, spacingMs)
    .run();
}
