import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { htmlToText, makeSnippet, stripQuotedHistory } from "../../src/domain/snippet";
import appleMail from "../fixtures/outreach-apple-mail.eml?raw";
import followupGmail from "../fixtures/outreach-followup-gmail.eml?raw";
import gmail from "../fixtures/outreach-gmail.eml?raw";
import htmlOnly from "../fixtures/outreach-html-only.eml?raw";
import long from "../fixtures/outreach-long.eml?raw";
import outlook from "../fixtures/outreach-outlook.eml?raw";
import { HOSTILE_TEXTS } from "../helpers/hostile-mail";

// Fixtures are raw RFC 5322 messages, parsed here exactly as the inbound handler parses mail.
async function parse(raw: string): Promise<{ text?: string; html?: string }> {
  const email = await PostalMime.parse(raw);
  return { text: email.text, html: email.html };
}

describe("makeSnippet on outreach messages from real clients", () => {
  const cases: [string, string, string][] = [
    [
      "Gmail web (quoted-printable, '-- ' signature)",
      gmail,
      "Hi Sam, Great meeting you at the Example Founders meetup on Thursday — I really enjoyed " +
        "your take on pricing for developer tools. Would you be up for a coffee next week? I’m " +
        "around Tuesday or Wednesday afternoon near Union Square, happy to come to you.",
    ],
    [
      "Gmail follow-up (wrapped attribution, quote, signature below the quote)",
      followupGmail,
      "Hi Sam, Just bumping this in case it got buried. Happy to do a quick call instead if " +
        "that’s easier for you.",
    ],
    [
      "classic Outlook (MsoNormal HTML, signature block)",
      outlook,
      "Hi Sam, Thank you for taking the time to speak with me at the Example Growth Summit " +
        "yesterday. I’d love to continue our conversation about the partner programme and how " +
        "Example Co could support your team’s launch in Q2. Would you have 30 minutes next week " +
        "for a short call? I’m flexible on Tuesday and Thursday afternoons (ET).",
    ],
    [
      "Apple Mail (plain text, format=flowed, LF line endings)",
      appleMail,
      "Hi Alex, Priya Shah suggested I reach out – she mentioned you’re hiring a design lead for " +
        "the new mobile team and thought my background might be a good fit. I’ve spent the last " +
        "six years building design systems at Example Co, most recently leading the redesign of " +
        "our checkout flow. Would you be open to a 20-minute chat sometime next week?",
    ],
    [
      "Thunderbird HTML only (entities, moz-signature)",
      htmlOnly,
      "Hi Morgan, I’m putting together the speaker line-up for Example Conf in Lisbon " +
        "(June 18–19) and your talk on “boring technology” at the Example Meetup came up more " +
        "than once. Would you consider a 30-minute slot on day two? We cover travel & two " +
        "nights at the venue hotel.",
    ],
  ];

  it.each(cases)("%s", async (_name, raw, expected) => {
    expect(makeSnippet(await parse(raw))).toBe(expected);
  });

  it.each(cases.filter(([, raw]) => raw !== appleMail))(
    "%s: the HTML part alone gives the same snippet",
    async (_name, raw, expected) => {
      const { html } = await parse(raw);
      expect(html).toBeDefined();
      expect(makeSnippet({ html })).toBe(expected);
    },
  );

  it("keeps the Apple Mail fixture's LF line endings and the others' CRLF", () => {
    expect(appleMail.includes("\r\n")).toBe(false);
    expect(gmail.includes("\r\n")).toBe(true);
  });

  it("cuts a long Outlook for iOS message (base64) to 500 characters at a word", async () => {
    const email = await parse(long);
    expect(email.text?.length ?? 0).toBeGreaterThan(2000);
    const snippet = makeSnippet(email);
    expect(snippet.length).toBeLessThanOrEqual(500);
    expect(snippet.endsWith("…")).toBe(true);
    expect(
      snippet.startsWith("Hi Dana, Thanks again for making time for me after your panel"),
    ).toBe(true);
    expect(snippet).toMatch(/ reminds people to…$/);
    expect(makeSnippet({ html: email.html })).toBe(snippet);
    expect(makeSnippet(email, 120)).toBe(
      "Hi Dana, Thanks again for making time for me after your panel at the Example Labs open " +
        "house last week. I have been…",
    );
  });
});

describe("makeSnippet", () => {
  it("prefers the text part and falls back to HTML when text is missing or blank", () => {
    expect(makeSnippet({ text: "From text", html: "<p>From html</p>" })).toBe("From text");
    expect(makeSnippet({ text: " \r\n\u00a0\t", html: "<p>From html</p>" })).toBe("From html");
    expect(makeSnippet({ html: "<p>From html</p>" })).toBe("From html");
    expect(makeSnippet({})).toBe("");
    expect(makeSnippet({ text: "", html: "" })).toBe("");
  });

  it("collapses all whitespace, NBSP and zero-width characters", () => {
    expect(makeSnippet({ text: "  a\r\n\r\n\tb\u00a0\u00a0c\u200b\rd  " })).toBe("a b c d");
  });

  it("returns an empty snippet when the message is only quoted history", () => {
    expect(makeSnippet({ text: "> a\n> b" })).toBe("");
    expect(
      makeSnippet({ text: "On Tue, Mar 3, 2026 at 9:14 AM Jane <j@example.com> wrote:\n> a" }),
    ).toBe("");
  });

  it.each([
    ["one two three four", 10, "one two…"],
    ["one two", 7, "one two"],
    ["Hello, world, again", 13, "Hello…"],
    ["x".repeat(600), 500, `${"x".repeat(499)}…`],
    ["a b", 1, "…"],
    ["a b", 0, ""],
    ["a b", -5, ""],
  ])("truncates %j to %i characters", (text, max, expected) => {
    const snippet = makeSnippet({ text }, max);
    expect(snippet).toBe(expected);
    expect(snippet.length).toBeLessThanOrEqual(Math.max(max, 0));
  });

  it("uses 500 characters when max is not a number", () => {
    expect(makeSnippet({ text: "word ".repeat(400) }, Number.NaN).length).toBe(500);
  });

  it("never splits a surrogate pair", () => {
    const snippet = makeSnippet({ text: "😀".repeat(300) }, 12);
    expect(snippet).toBe(`${"😀".repeat(5)}…`);
  });

  it("keeps a bare forward's own content but only the comment above a forward", () => {
    const forward = [
      "---------- Forwarded message ---------",
      "From: Jane Owner <owner@example.com>",
      "Date: Tue, Mar 3, 2026 at 9:14 AM",
      "Subject: Coffee next week?",
      "To: Sam Lee <sam@example.org>",
      "",
      "",
      "Hi Sam, coffee next week?",
      "",
      "-- ",
      "Jane",
    ].join("\r\n");
    expect(makeSnippet({ text: forward })).toBe("Hi Sam, coffee next week?");
    expect(makeSnippet({ text: `Forgot to BCC Sprout.\r\n\r\n${forward}` })).toBe(
      "Forgot to BCC Sprout.",
    );
  });

  it("unwraps a Gmail HTML forward, which sits entirely inside gmail_quote", () => {
    const html =
      '<div dir="ltr"><br><br><div class="gmail_quote gmail_quote_container">' +
      '<div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>' +
      'From: <strong class="gmail_sendername" dir="auto">Jane Owner</strong> ' +
      '<span dir="auto">&lt;<a href="mailto:owner@example.com">owner@example.com</a>&gt;</span>' +
      "<br>Date: Tue, Mar 3, 2026 at 9:14 AM<br>Subject: Coffee next week?<br>" +
      'To: Sam Lee &lt;<a href="mailto:sam@example.org">sam@example.org</a>&gt;<br></div><br>' +
      '<br><div dir="ltr">Hi Sam, coffee next week?</div></div></div>';
    expect(makeSnippet({ html })).toBe("Hi Sam, coffee next week?");
  });
});

describe("stripQuotedHistory", () => {
  const ATTR = "Jane Doe <jane@example.com>";
  const sig = { stripSignature: true };
  const cases: [string, string, string, { stripSignature?: boolean }?][] = [
    ["'>' quoted lines", "Sounds good\n\n> earlier\n> text", "Sounds good"],
    ["indented '>' lines", "Sounds good\n   > earlier", "Sounds good"],
    [
      "Gmail attribution",
      `Thanks!\n\nOn Tue, Mar 3, 2026 at 9:14 AM ${ATTR} wrote:\n\n> hi`,
      "Thanks!",
    ],
    [
      "Gmail attribution wrapped before the address",
      "Thanks!\n\nOn Tue, Mar 3, 2026 at 9:14 AM Jane Doe <\njane@example.com> wrote:\n\n> hi",
      "Thanks!",
    ],
    [
      "Gmail attribution wrapped before 'wrote:'",
      `Thanks!\n\nOn Tue, Mar 3, 2026 at 9:14 AM ${ATTR}\nwrote:\n\n> hi`,
      "Thanks!",
    ],
    [
      "Gmail attribution with no quote below it",
      `Thanks!\n\nOn Tue, Mar 3, 2026 at 9:14 AM ${ATTR} wrote:\n\nhi (unquoted)`,
      "Thanks!",
    ],
    [
      "Gmail mobile attribution",
      "Thanks!\n\nOn Mar 3, 2026, at 09:14, Jane <jane@example.com> wrote:\n\n> hi",
      "Thanks!",
    ],
    [
      "Apple Mail attribution followed by an indented quote",
      `Thanks!\n\nOn 3 Mar 2026, at 09:14, ${ATTR} wrote:\n\n    hi there`,
      "Thanks!",
    ],
    [
      "Apple Mail attribution inside the quote, with a narrow no-break space",
      "Thanks!\n\n> On Mar 3, 2026, at 9:14\u202fAM, Jane <jane@example.com> wrote:\n> \n> hi",
      "Thanks!",
    ],
    ["Thunderbird attribution", "Thanks!\n\nOn 3/3/26 09:14, Jane Doe wrote:\n> hi", "Thanks!"],
    [
      "localized attribution above a quote",
      `Danke!\n\nAm 03.03.2026 um 09:14 schrieb ${ATTR}:\n\n> hallo`,
      "Danke!",
    ],
    [
      "localized attribution wrapped by Gmail",
      "Merci !\n\nLe mar. 3 mars 2026 à 09:14, Jane Doe <\njane@example.com> a écrit :\n\n> salut",
      "Merci !",
    ],
    ["attribution without a date right above a quote", "Agreed.\nJane Doe wrote:\n> hi", "Agreed."],
    [
      "Outlook on the web: underscores and a header block",
      "Works for me\n\n________________________________\nFrom: " +
        `${ATTR}\nSent: Tuesday, March 3, 2026 9:14 AM\nTo: Sam <sam@example.org>\n` +
        "Subject: Coffee\n\nhi",
      "Works for me",
    ],
    [
      "classic Outlook: header block without any separator or '>'",
      `Works for me\n\n \n\nFrom: ${ATTR} \nSent: Tuesday, March 3, 2026 9:14 AM\n` +
        "To: Sam <sam@example.org>\nSubject: RE: Coffee\n\n \n\nhi",
      "Works for me",
    ],
    [
      "Outlook header block rendered in bold by Gmail, with Date:",
      `Works\n\n*From:* ${ATTR}\n*Date:* Tuesday, March 3, 2026\n*To:* Sam\n` +
        "*Subject:* Coffee\n\nhi",
      "Works",
    ],
    [
      "-----Original Message-----",
      "Works\n\n-----Original Message-----\nFrom: Jane\nSent: Tuesday\n\nhi",
      "Works",
    ],
    ["a lone underscore separator", "Works\n________________________________\nhi", "Works"],
    [
      "a comment above a forward keeps only the comment",
      "FYI, see below\n\n---------- Forwarded message ---------\n" +
        `From: ${ATTR}\nDate: Tue, Mar 3, 2026\nSubject: Coffee\nTo: Sam <sam@example.org>\n\n\nHi`,
      "FYI, see below",
    ],
    [
      "a bare Gmail forward keeps the forwarded body, minus its own quote",
      "---------- Forwarded message ---------\n" +
        `From: ${ATTR}\nDate: Tue, Mar 3, 2026\nSubject: Coffee\nTo: Sam <sam@example.org>\n\n\n` +
        `Hi Sam, coffee?\n\nOn Mon, Mar 2, 2026 at 8:00 AM Sam <sam@example.org> wrote:\n> older`,
      "Hi Sam, coffee?",
    ],
    [
      "a bare Thunderbird forward",
      "-------- Forwarded Message --------\nSubject: Coffee\nDate: Tue, 3 Mar 2026 09:14 +0100\n" +
        `From: ${ATTR}\nTo: Sam <sam@example.org>\n\nHi Sam, coffee?`,
      "Hi Sam, coffee?",
    ],
    [
      "a bare Apple Mail forward",
      `Begin forwarded message:\n\nFrom: ${ATTR}\nSubject: Coffee\n` +
        "Date: 3 March 2026 at 09:14:22 GMT\nTo: Sam <sam@example.org>\n\nHi Sam, coffee?",
      "Hi Sam, coffee?",
    ],
    ["a signature is kept unless asked", "Hi\n\n-- \nJane", "Hi\n\n-- \nJane"],
    ["standard '-- ' delimiter", "Hi\n\n-- \nJane\nExample Co", "Hi", sig],
    ["'--' delimiter without its space", "Hi\n\n--\nJane", "Hi", sig],
    ["Sent from my iPhone", "Sure\n\nSent from my iPhone", "Sure", sig],
    ["Sent from Outlook for iOS", "Sure\n\nSent from Outlook for iOS", "Sure", sig],
    [
      "Get Outlook for Android with its link",
      "Sure\n\nGet Outlook for Android<https://aka.ms/AAb9ysg>",
      "Sure",
      sig,
    ],
    ["Sent from Mail for Windows", "Sure\n\nSent from Mail for Windows", "Sure", sig],
    [
      "a sign-off with name and title",
      "Sure, Tuesday works.\n\nBest,\nJane Owner\nExample Co",
      "Sure, Tuesday works.",
      sig,
    ],
    [
      "a sign-off followed by a question is still content",
      "Hi\n\nThanks,\nJane\n\nP.S. Are you going to the meetup?",
      "Hi\n\nThanks,\nJane\n\nP.S. Are you going to the meetup?",
      sig,
    ],
    ["a lone sign-off is not removed", "Thanks!", "Thanks!", sig],
    [
      "'Thanks!' is content, not a sign-off",
      "Hi Sam,\n\nThanks!\n\nJane",
      "Hi Sam,\n\nThanks!\n\nJane",
      sig,
    ],
    ["a bare 'Cheers' sign-off", "See you then\nCheers\nJane", "See you then", sig],
    [
      "a line that starts like an attribution but is prose",
      "On Tuesday, 3 people signed up.\nGreat news.",
      "On Tuesday, 3 people signed up.\nGreat news.",
    ],
    [
      "a 'From:' line that is not a header block",
      "From: the team at Example Co\nWe would love to chat.",
      "From: the team at Example Co\nWe would love to chat.",
    ],
    ["empty", "", ""],
    ["only a quote", "> a\n> b\n", ""],
    ["only an attribution and a quote", `On 3/3/26 09:14, ${ATTR} wrote:\n> a`, ""],
    ["CRLF", `done\r\n\r\nOn Tue, Mar 3, 2026 at 9:14 AM ${ATTR} wrote:\r\n> x`, "done"],
    ["lone CR", `done\r\rOn Tue, Mar 3, 2026 at 9:14 AM ${ATTR} wrote:\r> x`, "done"],
    ["leading and trailing blank lines", "\n \n\u00a0\nHi\n\n \n", "Hi"],
  ];

  it.each(cases)("%s", (_name, input, expected, opts) => {
    expect(stripQuotedHistory(input, opts)).toBe(expected);
  });
});

describe("htmlToText", () => {
  const cases: [string, string, string][] = [
    [
      "named entities",
      "Tom &amp; Jerry &lt;3 &quot;hi&quot; &apos;x&apos; caf&eacute; &Uuml;ber&hellip;&nbsp;ok",
      "Tom & Jerry <3 \"hi\" 'x' café Über… ok",
    ],
    ["numeric entities", "&#8217; &#x2014; &#X1F600; &#150;", "’ — 😀 –"],
    ["invalid numeric entities", "a&#xD800;b&#1114112;c&#1;d", "a\ufffdb\ufffdcd"],
    ["unknown or unterminated entities stay", "&bogus; & &amp AT&T", "&bogus; & &amp AT&T"],
    [
      "names of object members are not entities",
      "&constructor; &__proto__; &toString; &xconstructor;",
      "&constructor; &__proto__; &toString; &xconstructor;",
    ],
    [
      "nested inline tags",
      '<div><b>Hi <i>there</i></b>, <a href="https://example.com">friend</a></div>',
      "Hi there, friend",
    ],
    [
      "head, style and script are dropped",
      "<html><head><title>Title</title><style>p { color: red }</style></head><body>" +
        "<script>var a = '<p>x</p>';</script><p>Body</p></body></html>",
      "Body",
    ],
    [
      "comments and Outlook conditional comments",
      "<!--[if mso]><p>mso only</p><![endif]-->Hello<!-- c --> <![if !vml]>world<![endif]>",
      "Hello world",
    ],
    ["an image with an onerror handler", "<p>Hi<img src=x onerror=alert(1)> there</p>", "Hi there"],
    ["svg with a script", "<svg><script>alert(1)</script></svg>ok", "ok"],
    ["a quoted '>' inside an attribute", "<a title=\"a > b\" href='x>y'>link</a>", "link"],
    ["an unterminated tag swallows the rest", 'Hello <div class="x', "Hello"],
    ["an unclosed script drops the rest", "Hello<script>alert(1)", "Hello"],
    ["a lone '<' is text", "1 < 2 and 3 > 2, x<1", "1 < 2 and 3 > 2, x<1"],
    ["'<' before a letter starts a tag, as in a browser", "a<b c", "a"],
    [
      "<br>, <div> and <p> become line breaks",
      "<div>one</div><div>two<br>three</div><p>four</p><p>five</p>",
      "one\ntwo\nthree\n\nfour\n\nfive",
    ],
    [
      "Gmail's empty <div><br></div> is a blank line",
      "<div>a</div><div><br></div><div>b</div>",
      "a\n\nb",
    ],
    [
      "Outlook's MsoNormal paragraphs",
      "<p class=MsoNormal>a<o:p></o:p></p><p class=MsoNormal>b<o:p></o:p></p>" +
        "<p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>c<o:p></o:p></p>",
      "a\nb\n\nc",
    ],
    [
      "blockquotes become '>' lines",
      "<p>Reply</p><blockquote><p>Quoted</p><blockquote>Deeper</blockquote></blockquote>",
      "Reply\n\n> Quoted\n>\n>> Deeper",
    ],
    ["whitespace collapses", "<p>  lots   of\n\t spaces  </p>", "lots of spaces"],
    ["<pre> keeps its whitespace", "<pre>a  b\n  c</pre>", "a  b\n  c"],
    ["lists", "<ul><li>one</li><li>two</li></ul>", "- one\n- two"],
    ["tables", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"],
    ["upper-case tags and CRLF", "<DIV>A</DIV>\r\n<DIV>B</DIV>", "A\nB"],
    ["escaped markup stays text", "&lt;script&gt;", "<script>"],
    ["empty", "", ""],
  ];

  it.each(cases)("%s", (_name, html, expected) => {
    expect(htmlToText(html)).toBe(expected);
  });

  it("never emits a tag from markup", () => {
    const out = htmlToText(
      '<p>Hi<img src=x onerror=alert(1)><iframe src="javascript:alert(1)"></iframe>' +
        "<a href=\"javascript:alert('x')\" onclick='y'>there</a><object data=x></object></p>",
    );
    expect(out).toBe("Hithere");
  });
});

// Every scan must stay linear: these inputs defeat backtracking regexes or nested loops.
// Their timing (each 1 MB input through all four functions in well under a second, and the
// 50 ms budget) is measured in Node by bench/node/hostile.node-bench.ts: inside workerd the clock
// stands still during synchronous code, so a timing assertion here could never fail.
describe("1 MB hostile inputs give bounded results", () => {
  it.each(HOSTILE_TEXTS)("%s", (_name, input) => {
    expect(makeSnippet({ text: input }).length).toBeLessThanOrEqual(500);
    expect(makeSnippet({ html: input }).length).toBeLessThanOrEqual(500);
    expect(stripQuotedHistory(input, { stripSignature: true }).length).toBeLessThanOrEqual(
      input.length,
    );
    expect(htmlToText(input).length).toBeLessThanOrEqual(2 * input.length);
  });
});
