// The counts every send path reports (the cron loop, the queue consumer, the email handler's
// own answers); a leaf, so the sender (deliver.ts) and the suppression screen (screen.ts)
// both use it without importing each other.

/** What the sends of a run (or of one email handler) came to. */
export interface DeliverySummary {
  sent: number;
  retry: number;
  failed: number;
  unknown: number;
  requests: number;
  /** Requests the mail API refused with 429. */
  rateLimited: number;
  /** Deliveries not sent because their recipient is suppressed. */
  suppressed: number;
}

/** An empty summary. */
export function noDeliveries(): DeliverySummary {
  return {
    sent: 0,
    retry: 0,
    failed: 0,
    unknown: 0,
    requests: 0,
    rateLimited: 0,
    suppressed: 0,
  };
}
