/**
 * kafkajs's LegacyPartitioner: its default before 2.0.0. The same strategy as the
 * DefaultPartitioner (explicit partition, then key hash over all partitions, then round-robin
 * over partitions with a leader) with kafkajs's legacy murmur2, which puts most keys on a
 * different partition than the Java client. Producers migrating from kafkajs 1.x choose it to
 * keep their keys where they were (kafkajs migration guide to v2.0.0).
 */

import { createHashPartitioner } from './default-partitioner.js'
import type { ICustomPartitioner } from './partitioner-types.js'
import { legacyMurmur2 } from './legacy-murmur2.js'

export const LegacyPartitioner: ICustomPartitioner = createHashPartitioner(legacyMurmur2)
