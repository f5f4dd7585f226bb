/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78): the checksum of a v2 record batch,
 * computed from its attributes to its end (Kafka's Crc32C, KIP-98).
 */
import { crc32Slicing8 } from './crc-table.js'

/** CRC-32C of buffer[start, end). crc32c(Buffer.from('123456789')) === 0xe3069283. */
export const crc32c = crc32Slicing8(0x82f63b78)
