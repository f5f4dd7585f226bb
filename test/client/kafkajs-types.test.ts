/**
 * The facade's types are assignable to kafkajs's own, so code typed against kafkajs accepts
 * memkafka's objects unchanged (checked by the type check that `npm test` runs first).
 */
import { describe, it, expect } from 'vitest'
import type * as kafkajs from 'kafkajs'
import * as memkafka from '../../src/index.js'

describe('kafkajs type compatibility', () => {
  it('Kafka, Producer, Consumer and Admin are assignable to kafkajs types', async () => {
    const cluster = new memkafka.Cluster({ seed: 1 })
    const kafka: kafkajs.Kafka = cluster.kafka({ clientId: 'types', logLevel: memkafka.logLevel.NOTHING })
    const producer: kafkajs.Producer = kafka.producer()
    const consumer: kafkajs.Consumer = kafka.consumer({ groupId: 'g' })
    const admin: kafkajs.Admin = kafka.admin()
    const KafkaClass: typeof kafkajs.Kafka = memkafka.Kafka
    const partitioners: typeof kafkajs.Partitioners = memkafka.Partitioners
    const assigners: typeof kafkajs.PartitionAssigners = memkafka.PartitionAssigners
    const protocol: typeof kafkajs.AssignerProtocol = memkafka.AssignerProtocol
    expect([producer, consumer, admin, KafkaClass, partitioners, assigners, protocol].every(Boolean)).toBe(true)
    await cluster.close()
  })
})
