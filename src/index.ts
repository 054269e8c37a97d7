import { receiveEmail } from "./inbound/entry";
import { runQueue } from "./jobs/run-queue";
import { runScheduled } from "./jobs/run-scheduled";
import { app } from "./web/app";

// Wiring only: each handler calls one named function.
export default {
  fetch: app.fetch,
  async email(message, env) {
    await receiveEmail(message, env);
  },
  async scheduled(controller, env) {
    const summary = await runScheduled(controller.scheduledTime, env);
    console.log(JSON.stringify({ event: "cron", ...summary }));
  },
  // Only with the optional SEND_QUEUE binding and its consumer (see wrangler.toml).
  async queue(batch, env) {
    const summary = await runQueue(batch, env);
    console.log(JSON.stringify({ event: "queue", ...summary }));
  },
} satisfies ExportedHandler<Env>;
