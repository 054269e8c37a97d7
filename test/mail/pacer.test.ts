import { describe, expect, it } from "vitest";
import { Pacer } from "../../src/mail/pacer";
import { virtualClock } from "../helpers/scenario";

/** A pacer on a virtual clock, and the start time of each request it lets go. */
function paced(rate: number) {
  const waits: number[] = [];
  const clock = virtualClock(0, waits);
  const pacer = new Pacer(rate, clock);
  const starts: number[] = [];
  const take = async () => {
    await pacer.take();
    starts.push(clock.now());
  };
  return { pacer, clock, starts, take };
}

describe("the pacer", () => {
  it("spaces request starts 1/SEND_RATE apart and 3% more, the first at once", async () => {
    const p = paced(2);
    for (let i = 0; i < 4; i++) await p.take();
    expect(p.starts).toEqual([0, 515, 1030, 1545]);
  });

  it("never bursts to catch up after a slow round", async () => {
    const p = paced(5);
    await p.take();
    await p.clock.sleep(1_000); // preparing the next batch took a second
    await p.take();
    await p.take();
    expect(p.starts).toEqual([0, 1000, 1206]);
  });

  it("waits out a 429's retry-after, then goes slower, then recovers to the rate", async () => {
    const p = paced(2);
    await p.take();
    p.pacer.rateLimited(3_000);
    await p.take();
    expect(p.starts[1]).toBe(3_000);
    await p.take();
    const widened = (p.starts[2] ?? 0) - (p.starts[1] ?? 0);
    expect(widened).toBeCloseTo(515 * 1.25, 6);
    for (let i = 0; i < 60; i++) {
      p.pacer.succeeded();
      await p.take();
    }
    const last = p.starts.slice(-2);
    expect((last[1] ?? 0) - (last[0] ?? 0)).toBeCloseTo(515, 6);
  });

  it("slows down at most eightfold, however many 429s", async () => {
    const p = paced(2);
    for (let i = 0; i < 30; i++) p.pacer.rateLimited(0);
    await p.take();
    await p.take();
    expect((p.starts[1] ?? 0) - (p.starts[0] ?? 0)).toBeCloseTo(8 * 515, 6);
  });
});
