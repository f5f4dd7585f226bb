/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): the checksum of a legacy (magic 0/1)
 * message, computed from its magic byte to its end. Written here rather than taken from
 * node:zlib, whose crc32 exists only from Node 20.15 on.
 */
import { crc32Slicing8 } from './crc-table.js'

/** CRC-32 of buffer[start, end). crc32(Buffer.from('123456789')) === 0xcbf43926. */
export const crc32 = crc32Slicing8(0xedb88320)
