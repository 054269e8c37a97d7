import { receiveEmail } from "./inbound/entry";
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
} satisfies ExportedHandler<Env>;
