/**
 * How the numbers a kafkajs user passes become protocol numbers. kafkajs puts int16/int32
 * fields on the wire with Node's Buffer writers and int64 fields through its Long class, so a
 * value that is not a whole number in range is not rejected by kafkajs itself: it is coerced the
 * way those writers coerce it, and the broker sees the result (numPartitions 1.5 reaches Kafka
 * as 1). memkafka has no bytes in between, so it applies the same coercion explicitly, and the
 * in-process cluster sees what a real broker would have decoded.
 */

const INT16 = { min: -0x8000, max: 0x7fff } as const
const INT32 = { min: -0x80000000, max: 0x7fffffff } as const

/**
 * Buffer#writeInt32BE / writeInt16BE: `+value`, a RangeError outside the range, then the low
 * bits (NaN becomes 0 and fractions are cut toward zero).
 */
function toWireInt(value: unknown, range: { min: number; max: number }, field: string): number {
  const n = +(value as number)
  if (n > range.max || n < range.min) {
    const error = new RangeError(
      `The value of "${field}" is out of range. It must be >= ${range.min} and <= ${range.max}. Received ${String(value)}`,
    )
    ;(error as RangeError & { code: string }).code = 'ERR_OUT_OF_RANGE'
    throw error
  }
  // `|| 0` turns NaN (and -0) into 0.
  return Math.trunc(n) || 0
}

/** An INT32 field as kafkajs's encoder writes it. */
export function toInt32(value: unknown, field = 'value'): number {
  return toWireInt(value, INT32, field)
}

/** An INT16 field as kafkajs's encoder writes it. */
export function toInt16(value: unknown, field = 'value'): number {
  return toWireInt(value, INT16, field)
}

/**
 * kafkajs's Long.fromValue (src/utils/long.js), which every INT64 field (offsets, timestamps)
 * goes through: numbers and strings become 64-bit integers, NaN and the Infinity strings become
 * 0, and anything BigInt cannot read throws (an Error, SyntaxError, RangeError or TypeError, as
 * the BigInt conversion does).
 */
export function toLong(value: unknown): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') return Number.isNaN(value) ? 0n : BigInt(value)
  if (typeof value === 'string') {
    if (value.length === 0) throw new Error('empty string')
    if (value === 'NaN' || value === 'Infinity' || value === '+Infinity' || value === '-Infinity') return 0n
    return BigInt(value)
  }
  // A kafkajs Long: `{ value: bigint }`. (null and undefined throw a TypeError here, as in kafkajs.)
  const wrapped = (value as { value?: unknown }).value
  if (typeof wrapped === 'bigint') return wrapped
  return BigInt(value as string)
}
