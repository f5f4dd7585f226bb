/**
 * Transaction markers: the control record a transaction coordinator writes to every partition
 * of a transaction when it ends (Kafka's EndTransactionMarker). Its key is version (int16) and
 * type (int16: 0 ABORT, 1 COMMIT); its value is version (int16) and coordinator epoch (int32).
 * Markers take an offset but are never handed to a consumer.
 */
import type { ProducerRecord, RecordBatch } from './record-batch.js'

export const ControlType = { ABORT: 0, COMMIT: 1 } as const
export type ControlTypeName = keyof typeof ControlType

export function endTransactionMarker(type: ControlTypeName, coordinatorEpoch: number): ProducerRecord {
  const key = Buffer.alloc(4)
  key.writeInt16BE(0, 0)
  key.writeInt16BE(ControlType[type], 2)
  const value = Buffer.alloc(6)
  value.writeInt16BE(0, 0)
  value.writeInt32BE(coordinatorEpoch, 2)
  return { key, value }
}

/** COMMIT or ABORT for a control batch's marker; undefined for a data batch. */
export function controlTypeOf(batch: RecordBatch): ControlTypeName | undefined {
  if (!batch.isControl || batch.count === 0) return undefined
  const key = batch.keyAt(0)
  if (!key || key.length < 4) return undefined
  return key.readInt16BE(2) === ControlType.COMMIT ? 'COMMIT' : 'ABORT'
}

/** The coordinator epoch a marker's value carries; undefined for a data batch or a short value. */
export function markerCoordinatorEpoch(batch: RecordBatch): number | undefined {
  if (controlTypeOf(batch) === undefined) return undefined
  const value = batch.valueAt(0)
  return value && value.length >= 6 ? value.readInt32BE(2) : undefined
}
