/**
 * Time as a sending run sees it. `now` moves on while the run works and sleeps; tests use a
 * virtual clock whose `sleep` only moves `now`, so pacing is asserted by counts, not timers.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The clock of a run that started at `scheduledTime`: from there it follows the real clock. */
export function runClock(scheduledTime: number): Clock {
  const started = Date.now();
  return {
    now: () => scheduledTime + (Date.now() - started),
    sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
  };
}

/** How far a run of 429s may stretch the spacing between requests. */
const MAX_SLOWDOWN = 8;

/**
 * The spacing is this much wider than 1/SEND_RATE. A rate limit counts requests as they
 * arrive, and one request that leaves late followed by one on time would put SEND_RATE + 1
 * into some second: 3% of spare time absorbs 30 ms of such lateness at any rate (each 429
 * costs a whole second of sending), for 3% of throughput.
 */
const MARGIN = 1.03;

/**
 * Spaces the starts of mail API requests 1/SEND_RATE seconds apart (and 3% more). A 429
 * widens the spacing by a quarter and lets nothing start before its retry-after; each request
 * that goes through narrows it again by 5%, never below the base. A late start never bursts
 * to catch up.
 */
export class Pacer {
  private readonly base: number;
  private interval: number;
  private nextAt: number | null = null;

  constructor(
    requestsPerSecond: number,
    private readonly clock: Clock,
  ) {
    this.base = (1000 / requestsPerSecond) * MARGIN;
    this.interval = this.base;
  }

  /** When the next request may start. */
  nextStart(): number {
    return this.nextAt ?? this.clock.now();
  }

  /** Waits for the next slot and takes it. */
  async take(): Promise<void> {
    const now = this.clock.now();
    const at = this.nextAt === null ? now : Math.max(this.nextAt, now);
    if (at > now) await this.clock.sleep(at - now);
    this.nextAt = at + this.interval;
  }

  /** The API said 429: slow down, and wait out its retry-after. */
  rateLimited(retryAfterMs: number | null): void {
    this.interval = Math.min(this.interval * 1.25, this.base * MAX_SLOWDOWN);
    const resume = this.clock.now() + (retryAfterMs ?? this.interval);
    this.nextAt = Math.max(this.nextAt ?? resume, resume);
  }

  /** A request went through: win back some of the speed a 429 cost. */
  succeeded(): void {
    this.interval = Math.max(this.base, this.interval * 0.95);
  }
}
