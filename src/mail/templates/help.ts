import { htmlPage, paragraphs, type Rendered } from "./layout";

/** How to use Sprout, with an example of every address and time format. */
export function renderHelp(mailDomain: string, intro?: string): Rendered {
  const a = (local: string) => `${local}@${mailDomain}`;
  const text = `${intro === undefined ? "" : `${intro}\n\n`}Sprout reminds you to follow up on your outreach.

Write to anyone as usual and add a Sprout address in Bcc. Sprout never writes to the people you contact; it only reminds you. If they have not replied, you hear from Sprout, in the same conversation.

Addresses:
  ${a("follow")} (or ${a("f")})  remind me on my cadence: 3 business days, 1 week, 2 weeks, 3 months
  ${a("3d")}  remind me in 3 days, then keep following my cadence
  ${a("every3months")}  keep in touch: remind me every 3 months until I say stop
  ${a("list")}  email me my pending follow-ups
  ${a("help")}  this message
  Any address also works as you+<address>, e.g. you+3d@${mailDomain}.

Times (case does not matter; - _ and . between parts are ignored):
  Relative: 30m, 2h, 3d, 5bd (business days), 1w, 2weeks, 3mo, 1y
  Days: tomorrow, monday, tue, nextweek, nextmonth, today5pm
  Dates: aug15, 15aug, august15th, 15aug2027, aug15-2027, 2027-08-15
  Clock times: 9am, 930am, 9.30am, 2pm, 1300, noon, at1300
  Combined: tomorrow9am, weds930am, aug15-2pm, april3rdat1300, 3d9am
  Keep in touch: every2weeks, every3months, everymonday9am

Days and longer land at your reminder time (08:00 unless you change it), in your time zone. Reminders that would fall on a weekend move to Monday, unless you named that day.

Replying to a reminder:
  done (or: followed up, sent)    I followed up: remind me about the next step
  replied (or: they replied)      they answered: stop reminding me
  call (or: met, meeting)         we talked: stop reminding me
  snooze 3d, or just a time       remind me again then (e.g. snooze next tuesday)
  stop                            stop tracking this conversation
  help                            this message`;
  return {
    subject: "How to use Sprout",
    text,
    html: htmlPage(
      "How to use Sprout",
      paragraphs(text).replace(/<p>/g, '<p style="white-space:pre-wrap">'),
    ),
  };
}
