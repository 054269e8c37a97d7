// Hostile messages from issue 9's review, built in memory (no fixture files of megabytes).
// Shared by the workerd tests, which assert results and bounds, and by the Node benchmarks
// (bench/node/hostile.node-bench.ts, hostile-handlers.node-bench.ts), which time them.

const HEAD = [
  "From: Olivia Owner <owner@example.com>",
  "Subject: Coffee next week?",
  "Date: Tue, 03 Mar 2026 09:14:00 +0000",
  "Message-ID: <hostile@mail.example.com>",
  "MIME-Version: 1.0",
];

function message(headers: string[], body = "Hi Jane,\r\n", type = "text/plain; charset=utf-8") {
  return [...headers, `Content-Type: ${type}`, "", body].join("\r\n");
}

/** A message whose body is `depth` multiparts nested in each other. */
export function deepMime(depth = 2_000): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    open.push(`--b${i}\r\nContent-Type: multipart/mixed; boundary="b${i + 1}"\r\n\r\n`);
    close.unshift(`\r\n--b${i}--\r\n`);
  }
  const inner = `--b${depth}\r\nContent-Type: text/plain\r\n\r\nHi Jane\r\n--b${depth}--\r\n`;
  return message(
    [...HEAD, "To: jane@example.org"],
    open.join("") + inner + close.join(""),
    'multipart/mixed; boundary="b0"',
  );
}

/** A message to `count` recipients in one To header. */
export function manyRecipients(count = 20_000): string {
  const to = Array.from({ length: count }, (_, i) => `Person ${i} <p${i}@example.org>`);
  return message([...HEAD, `To: ${to.join(",\r\n ")}`]);
}

/** A message with a folded header of about `bytes` bytes. */
export function hugeHeader(bytes = 900_000): string {
  const line = `${"x".repeat(70)}\r\n `;
  return message([...HEAD, "To: jane@example.org", `X-Padding: ${line.repeat(bytes / 74)}end`]);
}

/** A multipart message whose text part carries a folded header of about `bytes` bytes. */
export function hugePartHeader(bytes = 900_000): string {
  const line = `${"x".repeat(70)}\r\n `;
  const part = `--p\r\nContent-Type: text/plain\r\nX-Padding: ${line.repeat(bytes / 74)}end\r\n\r\nHi Jane\r\n--p--\r\n`;
  return message([...HEAD, "To: jane@example.org"], part, 'multipart/mixed; boundary="p"');
}

/** A message whose Subject is one unfolded line of about `bytes` bytes. */
export function hugeSubject(bytes = 900_000): string {
  const head = HEAD.filter((h) => !h.startsWith("Subject:"));
  return message([...head, "To: jane@example.org", `Subject: ${"aug 15 ".repeat(bytes / 7)}`]);
}

/** A reply whose References list `count` Message-IDs. */
export function manyReferences(count = 60_000): string {
  const refs = Array.from({ length: count }, (_, i) => `<r${i}@mail.example.com>`);
  return message([
    ...HEAD,
    "To: jane@example.org",
    `In-Reply-To: <r${count - 1}@mail.example.com>`,
    `References: ${refs.join("\r\n ")}`,
  ]);
}

/** A reply whose first line is `line` (the snooze or command a user would type). */
export function replyWithFirstLine(line: string): string {
  return message(
    [...HEAD, "To: re-abcdefghij-abcdefghijklmnop@sprout.test"],
    `${line}\r\n\r\nOn Tue, 3 Mar 2026 at 09:00, Sprout <sprout@sprout.test> wrote:\r\n> Follow up?\r\n`,
  );
}

/** Header values that defeat backtracking patterns: "@@@...@ " and "a@....... ". */
export const BACKTRACKING_VALUES = {
  ats: `${"@".repeat(900_000)} `,
  dots: `a@${".".repeat(900_000)} `,
  brackets: "<".repeat(900_000),
};

const MB = 1_000_000;

/**
 * 1 MB texts that defeat backtracking regexes or nested loops in quote stripping, snippets
 * and HTML-to-text (moved from test/domain/snippet.test.ts, where they were timed in workerd).
 */
export const HOSTILE_TEXTS: [string, string][] = [
  ["one long line of words", "word ".repeat(MB / 5)],
  ["one long line without spaces", "x".repeat(MB)],
  ["spaces then a letter", `${" ".repeat(MB)}x`],
  ["a quote marker then spaces", `>${" ".repeat(MB)}x`],
  ["blank lines", "\n".repeat(MB)],
  ["CR only", "a\r".repeat(MB / 2)],
  ["attribution look-alikes", "On 3/3/26 at 9 <\n".repeat(MB / 17)],
  ["header look-alikes", "From: a\nSent: b\n".repeat(MB / 16)],
  ["forward markers", "---------- Forwarded message ---------\n".repeat(MB / 39)],
  ["sign-offs", "Best,\n".repeat(MB / 6)],
  ["dashes", "-".repeat(MB)],
  ["underscores", "_".repeat(MB)],
  ["lone '<'", "<".repeat(MB)],
  ["open tags", "<div>".repeat(MB / 5)],
  ["unterminated attribute quotes", '<a title="'.repeat(MB / 10)],
  ["comment openers", "<!--".repeat(MB / 4)],
  ["entity look-alikes", "&#".repeat(MB / 2)],
  ["long entity names", `&${"a".repeat(MB)}`],
  ["unclosed script", `<script>${"<".repeat(MB)}`],
  ["nested blockquotes", "<blockquote>".repeat(MB / 12)],
  ["nested blockquotes with text", "<blockquote>a".repeat(MB / 13)],
];

/** The review's snooze-field inputs (SPEC 9: chrono-node took 14 to 69 s on each). */
export const REVIEW_SNOOZE_TEXTS: [string, string][] = [
  ['"aug 15 " x 100,000', "aug 15 ".repeat(100_000)],
  ['"next tuesday " x 50,000', "next tuesday ".repeat(50_000)],
  ['"9:30 " x 100,000', "9:30 ".repeat(100_000)],
  ['"in 3 weeks " x 50,000', "in 3 weeks ".repeat(50_000)],
];

/** 200 characters of dates: the most of a time that reaches the grammar and chrono-node. */
export const DATES_200: [string, string] = [
  "200 characters of dates",
  "aug 15 ".repeat(29).slice(0, 200),
];

/** First lines of a reply (a command, a snooze time) of about 900 KB each. */
export const HOSTILE_FIRST_LINES: [string, string][] = [
  ['900 KB of "aug 15 "', "aug 15 ".repeat(128_000)],
  ['900 KB of "next tuesday "', "next tuesday ".repeat(69_000)],
  ['900 KB of "9:30 "', "9:30 ".repeat(180_000)],
  ['"snooze " + 900 KB of "aug 15 "', `snooze ${"aug 15 ".repeat(128_000)}`],
  ["900 KB without a space", "x".repeat(900_000)],
];

/** Local parts of a Sprout address that look like times for a while. */
export const HOSTILE_LOCAL_PARTS: [string, string][] = [
  ['"aug15-" x 150,000', "aug15-".repeat(150_000)],
  ['"every" + "mon-" x 200,000', `every${"mon-".repeat(200_000)}`],
  ["900,000 digits", "9".repeat(900_000)],
  ["typos, 200 characters", "tomorowat-wensdayat-".repeat(10)],
];
