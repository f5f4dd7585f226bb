/**
 * kafkajs message shapes and their conversion into the records the cluster stores, byte for byte
 * as kafkajs's record encoder (src/protocol/recordBatch/record/v0) would put them on the wire;
 * an array header value becomes repeated headers.
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

/**
 * A key, value or header value as kafkajs encodes it. kafkajs first sizes it with
 * Buffer.byteLength, which accepts a string, a Buffer, a typed array, a DataView or an
 * ArrayBuffer and throws Node's TypeError [ERR_INVALID_ARG_TYPE] for anything else (a number, a
 * boolean, a plain object; null or undefined for a header); the send fails with it (the retrier
 * wraps it in KafkaJSNonRetriableError). It then writes a Buffer's bytes and anything else as
 * the UTF-8 of String(data): a Uint8Array [65, 66] is stored as the text "65,66", as kafkajs
 * stores it. (A null key or value is handled by the caller: it is written as null.)
 */
function toBytes(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data
  Buffer.byteLength(data as string)
  return Buffer.from(String(data))
}

function toHeaders(headers: IHeaders | undefined): RecordHeader[] | undefined {
  if (!headers) return undefined
  const out: RecordHeader[] = []
  for (const key of Object.keys(headers)) {
    const value = headers[key]
    if (Array.isArray(value)) for (const v of value) out.push({ key, value: toBytes(v) })
    else out.push({ key, value: toBytes(value) })
  }
  return out.length > 0 ? out : undefined
}

export function toProducerRecord(message: Message, now: number): ProducerRecord {
  const key = message.key === null || message.key === undefined ? null : toBytes(message.key)
  const value = message.value === null ? null : toBytes(message.value)
  // kafkajs stamps the message timestamp, or else the current time, on the client.
  const timestamp = message.timestamp ? Number(message.timestamp) : now
  return { key, value, headers: toHeaders(message.headers), timestamp }
}
