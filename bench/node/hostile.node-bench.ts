// `npm run bench` (Node part): feeds each hostile input of issue 9 to the pure code its
// handler runs, and prints the worst CPU time per input against the 50 ms budget (SPEC 9).
// It runs in Node, not workerd, because workerd's clock stands still during synchronous code;
// CPU time is process.cpuUsage() around each call (SPEC 10's method), after two warm-up runs.
import { describe, expect, it } from "vitest";
import { routeRecipient } from "../../src/domain/address";
import { parseCadence } from "../../src/domain/cadence";
import { parseCommand, resolveSnooze } from "../../src/domain/commands";
import {
  firstReplyLine,
  htmlToText,
  makeSnippet,
  stripQuotedHistory,
} from "../../src/domain/snippet";
import { looksLikeTime, parseEvery, parseWhen } from "../../src/domain/time-grammar";
import { isPlainAddress, messageIds, parseInbound } from "../../src/inbound/parse";
import {
  BACKTRACKING_VALUES,
  DATES_200,
  deepMime,
  HOSTILE_FIRST_LINES,
  HOSTILE_LOCAL_PARTS,
  HOSTILE_TEXTS,
  hugeHeader,
  hugePartHeader,
  hugeSubject,
  manyRecipients,
  manyReferences,
  REVIEW_SNOOZE_TEXTS,
  replyWithFirstLine,
} from "../../test/helpers/hostile-mail";

const BUDGET_MS = 50;
const RUNS = 5;
const NOW = new Date("2026-03-03T15:00:00Z");
const PREFS = { timeZone: "America/New_York", reminderMinutes: 480, skipWeekends: true };
const DOMAIN = "sprout.test";

interface Figure {
  path: string;
  input: string;
  worstMs: number;
  medianMs: number;
}
const figures: Figure[] = [];
/** The moved 1 MB library checks: worst CPU ms per input, outside the handler budget. */
const libraryWorst: [string, number][] = [];

/** CPU milliseconds of each of RUNS calls, after two warm-up calls. */
async function cpuTimes(run: () => unknown): Promise<number[]> {
  for (let i = 0; i < 2; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000);
  }
  return times.sort((a, b) => a - b);
}

async function measure(path: string, input: string, run: () => unknown): Promise<Figure> {
  const times = await cpuTimes(run);
  const figure = {
    path,
    input,
    worstMs: times[times.length - 1] ?? 0,
    medianMs: times[Math.floor(times.length / 2)] ?? 0,
  };
  figures.push(figure);
  return figure;
}

const bytes = (s: string) => new TextEncoder().encode(s);

// What the reply handler runs before touching D1: parse, the first typed line, the command,
// and the snooze time when the command is one.
async function replyPipeline(raw: Uint8Array): Promise<void> {
  const parsed = await parseInbound(raw);
  if (!parsed.ok) return;
  const command = parseCommand(
    firstReplyLine({ text: parsed.value.text, html: parsed.value.html }),
  );
  if (command.kind === "snooze") resolveSnooze(command.when, NOW, PREFS);
}

// What the outreach handler runs before touching D1: parse, route each recipient, read the
// time, keep the snippet and the Message-IDs.
async function outreachPipeline(raw: Uint8Array, to: string): Promise<void> {
  const parsed = await parseInbound(raw);
  const route = routeRecipient(to, DOMAIN);
  if (route.kind === "time") parseWhen(route.local, NOW, PREFS);
  if (route.kind === "every") parseEvery(route.rest);
  if (parsed.ok) makeSnippet({ text: parsed.value.text, html: parsed.value.html });
}

const SNOOZE_FIELDS: [string, string][] = [...REVIEW_SNOOZE_TEXTS, DATES_200];

describe("hostile input costs under 50 ms of CPU (Node, process.cpuUsage)", () => {
  it.each(SNOOZE_FIELDS)("web snooze field: %s", async (name, when) => {
    await measure("web snooze field", name, () => resolveSnooze(when, NOW, PREFS));
  });

  it.each(HOSTILE_FIRST_LINES)("reply whose first line is %s", async (name, line) => {
    const raw = bytes(replyWithFirstLine(line));
    await measure("reply command line", name, () => replyPipeline(raw));
  });

  it.each(HOSTILE_LOCAL_PARTS)("address local part: %s", async (name, local) => {
    const raw = bytes(manyRecipients(1));
    await measure("address local part", name, async () => {
      looksLikeTime(local);
      await outreachPipeline(raw, `${local}@${DOMAIN}`);
    });
  });

  it("cadence text", async () => {
    await measure("cadence text", '"1d," x 300,000', () => parseCadence("1d,".repeat(300_000)));
    await measure("cadence text", "200 characters of steps", () =>
      parseCadence("999 businessdays, ".repeat(11).slice(0, 200)),
    );
  });

  it.each([
    ["2,000-deep MIME", () => deepMime(2_000)],
    ["20,000 recipients (refused: headers over 64 KB)", () => manyRecipients(20_000)],
    ["1,800 recipients (the most 64 KB of headers holds)", () => manyRecipients(1_800)],
    ["900 KB folded header (refused)", () => hugeHeader(900_000)],
    ["60 KB folded header", () => hugeHeader(60_000)],
    ["900 KB subject (refused)", () => hugeSubject(900_000)],
    ["60 KB subject", () => hugeSubject(60_000)],
    ["60,000 References (refused)", () => manyReferences(60_000)],
    ["2,000 References (60 KB)", () => manyReferences(2_000)],
    ["900 KB header inside a MIME part", () => hugePartHeader(900_000)],
  ])("outreach message: %s", async (name, build) => {
    const raw = bytes(build());
    await measure("outreach message", name, () => outreachPipeline(raw, `follow@${DOMAIN}`));
  });

  it.each(Object.entries(BACKTRACKING_VALUES))("header helpers on %s", async (name, value) => {
    await measure("messageIds + isPlainAddress", `900 KB of ${name}`, () => {
      messageIds(value);
      isPlainAddress(value);
    });
  });

  // The handlers' own scans of a body: the outreach snippet and the reply's first line, of a
  // text part and of an HTML-only message.
  it.each(HOSTILE_TEXTS)("1 MB body: %s", async (name, input) => {
    await measure("1 MB body, snippet + reply line", name, () => {
      makeSnippet({ text: input });
      makeSnippet({ html: input });
      firstReplyLine({ text: input });
      firstReplyLine({ html: input });
    });
  });

  // Moved from test/domain/snippet.test.ts ("1 MB inputs run in well under a second"), where
  // workerd's standing clock made the assertion unable to fail. It can fail here. The whole
  // 1 MB goes through stripQuotedHistory and htmlToText, which no handler calls on a whole
  // body (snippets read the first 64 KB of text, 128 KB of HTML), so these rows are not
  // held to the 50 ms budget.
  it.each(HOSTILE_TEXTS)("1 MB text, 4 scans: %s", async (name, input) => {
    const times = await cpuTimes(() => {
      makeSnippet({ text: input });
      makeSnippet({ html: input });
      stripQuotedHistory(input, { stripSignature: true });
      htmlToText(input);
    });
    libraryWorst.push([name, times[times.length - 1] ?? 0]);
    expect(times[times.length - 1]).toBeLessThan(1000);
  });

  it("prints the worst case per hostile input", () => {
    const lines = figures.map(
      (f) =>
        `${f.worstMs.toFixed(1).padStart(8)} ${f.medianMs.toFixed(1).padStart(8)}  ${
          f.worstMs < BUDGET_MS ? "yes" : "NO "
        }  ${f.path}: ${f.input}`,
    );
    const over = figures.filter((f) => f.worstMs >= BUDGET_MS);
    console.log(
      [
        `worst ms  median   <${BUDGET_MS} ms  input (CPU per call, ${RUNS} runs after 2 warm-ups)`,
        ...lines,
        over.length === 0
          ? `All ${figures.length} hostile inputs stay under ${BUDGET_MS} ms.`
          : `${over.length} of ${figures.length} hostile inputs take ${BUDGET_MS} ms or more.`,
      ].join("\n"),
    );
    const slowest = libraryWorst.reduce<[string, number]>(
      (a, b) => (b[1] > a[1] ? b : a),
      ["none", 0],
    );
    console.log(
      `1 MB through all four scans (no handler does this): worst ${slowest[1].toFixed(1)} ms (${slowest[0]}), limit 1000 ms.`,
    );
    expect(figures.length).toBeGreaterThan(30);
  });
});
