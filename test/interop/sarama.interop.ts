/** sarama 1.22.1 (Debian's Go package), configured for Kafka 2.0.0, against memkafka over TCP. */
import { goDriver } from './support/driver.js'
import { describeClient } from './support/scenarios.js'

describeClient('sarama', { command: [goDriver('sarama-driver')], headers: true, env: { SARAMA_VERSION: '2.0.0' }, cannotDeleteGroups: true })
