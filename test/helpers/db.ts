import { env } from "cloudflare:workers";

/** A thread row as stored, by id. */
export async function threadById(id: string) {
  return env.DB.prepare("select * from threads where id = ?")
    .bind(id)
    .first<Record<string, unknown>>();
}

/** The thread that holds a Message-ID for the owner. */
export async function threadByMessageId(messageId: string) {
  return env.DB.prepare(
    "select t.* from threads t join thread_messages m on m.thread_id = t.id where m.message_id = ?",
  )
    .bind(messageId)
    .first<Record<string, unknown>>();
}

/** Everything in the dev outbox addressed to `to`, oldest first. */
export async function outboxFor(to: string) {
  const { results } = await env.DB.prepare(
    "select * from dev_outbox where to_address = ? order by id",
  )
    .bind(to)
    .all<Record<string, string | number | null>>();
  return results;
}

/** Outbox messages whose In-Reply-To points at a Message-ID. */
export async function outboxReplyingTo(messageId: string) {
  const { results } = await env.DB.prepare(
    "select * from dev_outbox where instr(headers_json, ?) > 0 order by id",
  )
    .bind(`<${messageId}>`)
    .all<Record<string, string | number | null>>();
  return results;
}
