import { Transform } from "node:stream";

/**
 * React 18.3's streaming renderer encodes into a reused 2 KB buffer; when a
 * multi-byte character (an en dash in "8pm–9pm") would straddle its end, it
 * flushes the whole buffer and the unwritten tail reaches the page as NUL
 * bytes (facebook/react#26228, fixed only in React 19). Our HTML never
 * contains NUL legitimately (text is cleaned of control characters), so the
 * padding at the end of a chunk is dropped.
 */
export function stripNulPadding(chunk: Buffer): Buffer {
  let end = chunk.length;
  while (end > 0 && chunk[end - 1] === 0 && chunk.length - end < 3) end--;
  return end === chunk.length ? chunk : chunk.subarray(0, end);
}

export function nulPaddingFilter(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, stripNulPadding(chunk));
    },
  });
}
