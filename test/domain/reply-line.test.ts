import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { firstReplyLine, htmlToText } from "../../src/domain/snippet";
import appleMail from "../fixtures/reply-apple-mail.eml?raw";
import blankLines from "../fixtures/reply-blank-lines.eml?raw";
import gmailMobile from "../fixtures/reply-gmail-mobile.eml?raw";
import gmailWeb from "../fixtures/reply-gmail-web.eml?raw";
import htmlOnly from "../fixtures/reply-html-only.eml?raw";
import outlookDesktop from "../fixtures/reply-outlook-desktop.eml?raw";
import outlookWeb from "../fixtures/reply-outlook-web.eml?raw";
import signatureOnly from "../fixtures/reply-signature-only.eml?raw";
import thunderbird from "../fixtures/reply-thunderbird.eml?raw";

async function parse(raw: string): Promise<{ text?: string; html?: string }> {
  const email = await PostalMime.parse(raw);
  return { text: email.text, html: email.html };
}

// Every fixture answers the same Sprout reminder and quotes it; the quote itself lists the
// commands ("done", "snooze 3d", "stop"), so picking a line from the quote would be caught.
const fixtures: [string, string, string][] = [
  ["Gmail web", gmailWeb, "done"],
  ["Gmail for Android", gmailMobile, "snooze 3d"],
  ["classic Outlook for Windows (unquoted header block)", outlookDesktop, "Replied"],
  ["Outlook on the web (appendonsend, divRplyFwdMsg)", outlookWeb, "snooze next tuesday"],
  ["Apple Mail (blockquote type=cite, LF endings)", appleMail, "stop"],
  ["Thunderbird (moz-cite-prefix, format=flowed)", thunderbird, "call"],
  ["Thunderbird, HTML only", htmlOnly, "snooze 1w"],
  ["Fastmail with blank lines, NBSP and spaces first", blankLines, "done"],
  ["iPhone Mail with only its signature", signatureOnly, ""],
];

describe("firstReplyLine on replies from real clients", () => {
  it.each(fixtures)("%s", async (_name, raw, expected) => {
    expect(firstReplyLine(await parse(raw))).toBe(expected);
  });

  it.each(fixtures)("%s: the HTML part alone gives the same line", async (_name, raw, expected) => {
    const { html } = await parse(raw);
    expect(html).toBeDefined();
    expect(firstReplyLine({ html })).toBe(expected);
  });

  // Without the HTML-level cut, the text rules alone still find the quote in each client's HTML.
  it.each(fixtures)("%s: the HTML rendered as text gives the same line", async (_n, raw, want) => {
    const { html } = await parse(raw);
    expect(firstReplyLine({ text: htmlToText(html ?? "") })).toBe(want);
  });

  it("reads the HTML-only fixture as having no text part", async () => {
    expect((await parse(htmlOnly)).text).toBeUndefined();
  });
});

describe("firstReplyLine", () => {
  const ATTR = "Sprout <sprout@sprout.test>";
  const text: [string, string, string][] = [
    ["a plain line", "done", "done"],
    ["surrounding and inner whitespace", " \t snooze \u00a0  3d \r\n", "snooze 3d"],
    ["zero-width characters", "\u200b\ufeffdone\u200b", "done"],
    ["Gmail", `done\n\nOn Tue, Mar 10, 2026 at 9:14 AM ${ATTR} wrote:\n\n> done`, "done"],
    [
      "Gmail, attribution wrapped",
      "stop\n\nOn Tue, Mar 10, 2026 at 9:14 AM Sprout Reminders <\nsprout@sprout.test> wrote:\n> x",
      "stop",
    ],
    ["Gmail mobile", `Done\n\nOn Mar 10, 2026, at 09:14, ${ATTR} wrote:\n\n> x`, "Done"],
    ["Apple Mail", `stop\n\n> On 10 Mar 2026, at 09:14, ${ATTR} wrote:\n> \n> x`, "stop"],
    [
      "iPhone with signature",
      `Snooze 1w\n\nSent from my iPhone\n\n> On Mar 10, 2026, at 9:14 AM, ${ATTR} wrote:\n> x`,
      "Snooze 1w",
    ],
    [
      "Outlook on the web",
      "done\r\n\r\n________________________________\r\nFrom: Sprout <sprout@sprout.test>\r\n" +
        "Sent: Tuesday, March 10, 2026 4:14 PM\r\nTo: Jane\r\nSubject: Re: Coffee next week?\r\n",
      "done",
    ],
    [
      "classic Outlook",
      "Replied\r\n\r\n \r\n\r\nFrom: Sprout <sprout@sprout.test> \r\nSent: Tuesday\r\n" +
        "To: Jane\r\nSubject: Re: Coffee next week?\r\n",
      "Replied",
    ],
    ["-----Original Message-----", "call\n-----Original Message-----\nFrom: Sprout", "call"],
    ["Thunderbird", "call\n\nOn 3/10/26 17:14, Sprout wrote:\n> done", "call"],
    ["blank lines first", "\n\n   \n\t\ndone\n\n> x", "done"],
    ["CRLF", "\r\n\r\nsnooze 3d\r\n\r\n> x", "snooze 3d"],
    ["lone CR", "\r\rsnooze 3d\r\r> x", "snooze 3d"],
    ["only a '-- ' signature", "\n\n-- \nJane Owner\n\n> done", ""],
    ["only 'Sent from my iPhone'", "Sent from my iPhone\n\n> On Mar 10, 2026 wrote:\n> done", ""],
    [
      "only 'Get Outlook for iOS'",
      "\r\nGet Outlook for iOS\r\n________________________________",
      "",
    ],
    ["only a quote", "> done", ""],
    [
      "a forwarded reminder is not an answer",
      `---------- Forwarded message ---------\nFrom: ${ATTR}\nSubject: Coffee\n\ndone`,
      "",
    ],
    ["empty", "", ""],
  ];

  it.each(text)("text: %s", (_name, input, expected) => {
    expect(firstReplyLine({ text: input })).toBe(expected);
  });

  // The reply line is read from the first 8 KB of a text part (hostile bodies of one-letter
  // lines made the whole 64 KB scan cost 12 ms): what a person types on top is inside it.
  it("reads the line above a long quoted history, and a long first line whole up to the cut", () => {
    const history = `\n\nOn Tue, Mar 10, 2026 at 9:14 AM Sprout wrote:\n${"> earlier text\n".repeat(5_000)}`;
    expect(firstReplyLine({ text: `snooze 1w${history}` })).toBe("snooze 1w");
    const long = `snooze 1w ${"please ".repeat(2_000)}`;
    expect(firstReplyLine({ text: `${long}${history}` })).toBe(long.slice(0, 8 * 1024).trim());
    expect(firstReplyLine({ text: `${"\n".repeat(9_000)}done` })).toBe("");
  });

  const html: [string, string, string][] = [
    [
      "Gmail's gmail_quote",
      '<div dir="ltr">done</div><br><div class="gmail_quote">' +
        '<div dir="ltr" class="gmail_attr">On Tue, Mar 10, 2026 at 9:14 AM Sprout wrote:' +
        "<br></div>" +
        "<blockquote>stop</blockquote></div>",
      "done",
    ],
    [
      "Outlook's appendonsend",
      '<div>snooze 2d</div><div id="appendonsend"></div><hr><div>From: Sprout</div><div>stop</div>',
      "snooze 2d",
    ],
    [
      "Outlook's divRplyFwdMsg",
      '<div>done</div><hr><div id="divRplyFwdMsg"><b>From:</b> Sprout</div><div>stop</div>',
      "done",
    ],
    [
      "Outlook's x_-prefixed ids",
      '<p>done</p><div id="x_divRplyFwdMsg">From: Sprout</div><p>stop</p>',
      "done",
    ],
    [
      "Outlook's border-top separator",
      "<p class=MsoNormal>Replied</p><div style='border:none;border-top: solid #E1E1E1 1.0pt'>" +
        "<p class=MsoNormal><b>From:</b> Sprout</p></div><p>stop</p>",
      "Replied",
    ],
    [
      "Apple's blockquote type=cite",
      'stop<br><div><br><blockquote type="cite"><div>On 10 Mar 2026, at 09:14, Sprout wrote:' +
        "</div><div>done</div></blockquote></div>",
      "stop",
    ],
    [
      "Thunderbird's moz-cite-prefix",
      '<p>call</p><div class="moz-cite-prefix">On 3/10/26 17:14, Sprout wrote:<br></div>' +
        '<blockquote type="cite">done</blockquote>',
      "call",
    ],
    [
      "a Gmail signature only",
      '<div dir="ltr"><br clear="all"><div><br></div>' +
        '<span class="gmail_signature_prefix">-- </span><br>' +
        '<div dir="ltr" class="gmail_signature">Jane</div></div>' +
        '<div class="gmail_quote">done</div>',
      "",
    ],
    ["entities and NBSP", "<div>&nbsp;snooze&nbsp;&nbsp;3d&nbsp;</div>", "snooze 3d"],
    ["a plain <blockquote> only", "<blockquote>done</blockquote>", ""],
    ["blank", "<html><head><title>x</title></head><body> <br> </body></html>", ""],
  ];

  it.each(html)("html: %s", (_name, input, expected) => {
    expect(firstReplyLine({ html: input })).toBe(expected);
  });

  it("uses the text part when it has content, else the HTML part", () => {
    expect(firstReplyLine({ text: "done", html: "<p>stop</p>" })).toBe("done");
    expect(firstReplyLine({ text: "\r\n \r\n", html: "<p>stop</p>" })).toBe("stop");
    expect(firstReplyLine({})).toBe("");
  });
});
