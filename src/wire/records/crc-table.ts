/**
 * Table-driven CRC-32 ("slicing by 8": eight 256-entry tables, eight bytes per step) for any
 * reflected polynomial. Shared by CRC32C (record batches) and CRC-32 (legacy messages).
 */

/** A CRC-32 function over buffer[start, end), continuing from `crc` (0 to start). */
export type Crc32Function = (buffer: Uint8Array, start?: number, end?: number, crc?: number) => number

/** Builds the CRC-32 function of the reflected polynomial `poly`. */
export function crc32Slicing8(poly: number): Crc32Function {
  const t = new Int32Array(8 * 256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1
    t[n] = c
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8)
      t[k * 256 + n] = c
    }
  }
  return (buffer, start = 0, end = buffer.length, crc = 0) => {
    let c = ~crc
    let i = start
    const stop8 = end - 8
    while (i <= stop8) {
      c ^= buffer[i]! | (buffer[i + 1]! << 8) | (buffer[i + 2]! << 16) | (buffer[i + 3]! << 24)
      c =
        t[1792 + (c & 0xff)]! ^
        t[1536 + ((c >>> 8) & 0xff)]! ^
        t[1280 + ((c >>> 16) & 0xff)]! ^
        t[1024 + (c >>> 24)]! ^
        t[768 + buffer[i + 4]!]! ^
        t[512 + buffer[i + 5]!]! ^
        t[256 + buffer[i + 6]!]! ^
        t[buffer[i + 7]!]!
      i += 8
    }
    while (i < end) c = t[(c ^ buffer[i++]!) & 0xff]! ^ (c >>> 8)
    return ~c >>> 0
  }
}
