/**
 * kafkajs message shapes and their conversion into the records the cluster stores. Keys and
 * values that are not Buffers are String()-coerced, as kafkajs's encoder does; an array header
 * value becomes repeated headers.
 */
import type { ProducerRecord, RecordHeader } from '../../cluster/log/record-batch.js'

export interface IHeaders {
  [key: string]: Buffer | string | (Buffer | string)[] | undefined
}

export interface Message {
  key?: Buffer | string | null
  value: Buffer | string | null
  partition?: number
  headers?: IHeaders
  timestamp?: string
}

export interface TopicMessages {
  topic: string
  messages: Message[]
}

function toBuffer(data: unknown): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(String(data))
}

/**
 * A header value must be a string or a Buffer. kafkajs's record encoder sizes each header with
 * Buffer.byteLength, which throws a TypeError for anything else (undefined, null, a number), so
 * the send fails there; memkafka fails the same way, with a message that names the header,
 * rather than accept a message the real client would refuse.
 */
function toHeaderValue(key: string, value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value
  if (typeof value === 'string') return Buffer.from(value)
  throw new TypeError(`Invalid value for header "${key}": ${String(value)} (a header value must be a string or a Buffer)`)
}

function toHeaders(headers: IHeaders | undefined): RecordHeader[] | undefined {
  if (!headers) return undefined
  const out: RecordHeader[] = []
  for (const key of Object.keys(headers)) {
    const value = headers[key]
    if (Array.isArray(value)) for (const v of value) out.push({ key, value: toHeaderValue(key, v) })
    else out.push({ key, value: toHeaderValue(key, value) })
  }
  return out.length > 0 ? out : undefined
}

export function toProducerRecord(message: Message, now: number): ProducerRecord {
  const key = message.key === null || message.key === undefined ? null : toBuffer(message.key)
  const value = message.value === null ? null : toBuffer(message.value)
  // kafkajs stamps the message timestamp, or else the current time, on the client.
  const timestamp = message.timestamp ? Number(message.timestamp) : now
  return { key, value, headers: toHeaders(message.headers), timestamp }
}
