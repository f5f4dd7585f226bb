/** @platformatic/kafka 1.35.0 against memkafka over TCP: it needs ApiVersions v3 and flexible versions. */
import { describeClient } from './support/scenarios.js'

describeClient('platformatic', { command: [process.execPath, 'test/interop/drivers/platformatic.mjs'], headers: true })
