/** python3-kafka (kafka-python 2.0.2) under Debian's /usr/bin/python3, against memkafka over TCP. */
import { describeClient } from './support/scenarios.js'

describeClient('kafka-python', { command: ['/usr/bin/python3', 'test/interop/drivers/kafka_python_driver.py'], headers: true })
