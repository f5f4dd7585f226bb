/** The real kafkajs 2.2.4 (node_modules/kafkajs) against memkafka over TCP. */
import { describeClient } from './support/scenarios.js'

describeClient('kafkajs', { command: [process.execPath, 'test/interop/drivers/kafkajs.mjs'], headers: true })
