// The MIME message a mail API (Resend) builds from one OutgoingEmail: the headers it is
// given, plus Date and Message-ID, and a multipart/alternative body with the text and HTML
// parts in quoted-printable, as such APIs send them.
import type { OutgoingEmail } from "../../src/domain/outgoing";

/** RFC 2047 encoded-word for a header value that is not plain ASCII. */
function encodeWord(value: string): string {
  if (/^[\u0020-\u007e]*$/.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, "utf8").toString("base64")}?=`;
}

/** Folds a header line at spaces so no line passes 78 characters where it can be helped. */
function fold(line: string): string {
  const out: string[] = [];
  let rest = line;
  while (rest.length > 78) {
    const at = rest.lastIndexOf(" ", 78);
    if (at <= 0) break;
    out.push(rest.slice(0, at));
    rest = ` ${rest.slice(at + 1)}`;
  }
  out.push(rest);
  return out.join("\r\n");
}

/** Quoted-printable (RFC 2045) of UTF-8 text, CRLF line ends, soft breaks at 76. */
export function quotedPrintable(text: string): string {
  const lines = text.replace(/\r?\n/g, "\n").split("\n");
  return lines
    .map((line) => {
      let encoded = "";
      const bytes = Buffer.from(line, "utf8");
      for (const [i, byte] of bytes.entries()) {
        const last = i === bytes.length - 1;
        const plain =
          (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
        // A line starting "From " is escaped by some mail stores; encode its F, as MTAs do.
        const fromLine = i === 0 && line.startsWith("From ");
        encoded +=
          plain && !fromLine
            ? String.fromCharCode(byte)
            : `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
      }
      const soft: string[] = [];
      while (encoded.length > 75) {
        let cut = 75;
        // Never split an =XX escape.
        const eq = encoded.lastIndexOf("=", cut);
        if (eq > cut - 3) cut = eq;
        soft.push(`${encoded.slice(0, cut)}=`);
        encoded = encoded.slice(cut);
      }
      soft.push(encoded);
      return soft.join("\r\n");
    })
    .join("\r\n");
}

/** The whole message, CRLF line ends, as a mail API would hand it to the receiving server. */
export function toMime(
  email: OutgoingEmail,
  meta: { date: Date; messageId: string; boundary: string },
): string {
  const headers: string[] = [
    `From: ${email.from}`,
    `To: ${email.to}`,
    `Subject: ${encodeWord(email.subject)}`,
    `Date: ${meta.date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${meta.messageId}>`,
  ];
  if (email.replyTo !== undefined) headers.push(`Reply-To: ${email.replyTo}`);
  for (const [name, value] of Object.entries(email.headers)) headers.push(`${name}: ${value}`);
  headers.push(
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${meta.boundary}"`,
  );
  const part = (type: string, body: string) =>
    [
      `--${meta.boundary}`,
      `Content-Type: ${type}; charset=UTF-8`,
      "Content-Transfer-Encoding: quoted-printable",
      "",
      quotedPrintable(body),
    ].join("\r\n");
  return [
    ...headers.map(fold),
    "",
    part("text/plain", email.text),
    part("text/html", email.html),
    `--${meta.boundary}--`,
    "",
  ].join("\r\n");
}
