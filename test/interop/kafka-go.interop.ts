/** segmentio kafka-go 0.2.1 (Debian's Go package; message format v1, no headers) against memkafka over TCP. */
import { goDriver } from './support/driver.js'
import { describeClient } from './support/scenarios.js'

describeClient('kafka-go', { command: [goDriver('kafka-go-driver')], headers: false })
