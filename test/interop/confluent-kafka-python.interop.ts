/** python3-confluent-kafka 1.7.0 (librdkafka 2.0.2) under Debian's /usr/bin/python3, against memkafka over TCP. */
import { describeClient } from './support/scenarios.js'

describeClient('confluent-kafka-python', { command: ['/usr/bin/python3', 'test/interop/drivers/confluent_kafka_driver.py'], headers: true, cannotDeleteGroups: true })
