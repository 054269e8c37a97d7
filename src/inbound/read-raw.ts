/** Messages larger than this are read only this far: headers and the first text part. */
const MAX_PARSE_BYTES = 1024 * 1024;

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
  return { bytes, truncated };
}
