/** Messages larger than this are read only this far: headers and the first text part. */
const MAX_PARSE_BYTES = 1024 * 1024;

/**
 * At most this many lines below the header section are read. postal-mime spends about the
 * same on every line whatever its length (measured in Node: 16 us a line, 1,000 lines 18 ms),
 * so a megabyte of empty lines cost 15 s in Node and about a second in workerd, from any
 * stranger, before Sprout knew who sent it. Sprout reads only the top of a message (the
 * snippet, the first typed line, a forwarded block): 1,000 lines hold 70 KB of text.
 */
export const MAX_BODY_LINES = 1_000;

interface RawMessage {
  bytes: Uint8Array;
  /** True when the message was longer than MAX_PARSE_BYTES and only its start was read. */
  truncated: boolean;
}

/**
 * Reads the raw stream once, keeping at most `limit` bytes; the rest is never buffered.
 * A cut message is trimmed back to its last line break so no header or line is half-read.
 */
export async function readRawPrefix(
  stream: ReadableStream<Uint8Array>,
  limit = MAX_PARSE_BYTES,
): Promise<RawMessage> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > limit) {
      chunks.push(value.subarray(0, limit - size));
      size = limit;
      truncated = true;
      await reader.cancel("message larger than Sprout reads");
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  let bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  if (truncated) {
    const lastNewline = bytes.lastIndexOf(0x0a);
    if (lastNewline > 0) bytes = bytes.subarray(0, lastNewline + 1);
  }
  const cut = bodyLinesEnd(bytes, MAX_BODY_LINES);
  if (cut !== null) return { bytes: bytes.subarray(0, cut), truncated: true };
  return { bytes, truncated };
}

/**
 * Where the `maxLines`-th line below the header section ends, or null when nothing follows
 * it (or there is no body). One pass over the bytes.
 */
function bodyLinesEnd(bytes: Uint8Array, maxLines: number): number | null {
  // The body starts after the first empty line (LF LF, or LF CR LF).
  let start = bytes.length;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) start = i + 2;
    else if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) start = i + 3;
    else continue;
    break;
  }
  let lines = 0;
  for (let i = start; i < bytes.length; i++) {
    if (bytes[i] === 0x0a && ++lines === maxLines) return i + 1 < bytes.length ? i + 1 : null;
  }
  return null;
}
