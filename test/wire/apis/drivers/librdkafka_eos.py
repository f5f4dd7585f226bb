"""Consume-transform-produce with librdkafka (python3-confluent-kafka) against BOOTSTRAP:
read 3 records from eos-in in group eos-g, write them upper-cased to eos-out in a transaction
together with the consumer's offsets (send_offsets_to_transaction: TxnOffsetCommit with the
consumer's generation and member id, KIP-447), commit; then a second transaction that writes
and commits offsets but aborts. Prints one JSON line with what it did."""
import json
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap = sys.argv[1]
consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': 'eos-g', 'enable.auto.commit': False,
                     'auto.offset.reset': 'earliest', 'isolation.level': 'read_committed'})
consumer.subscribe(['eos-in'])
producer = Producer({'bootstrap.servers': bootstrap, 'transactional.id': 'eos-py'})
producer.init_transactions(30)

records = []
deadline = time.time() + 25
while len(records) < 3 and time.time() < deadline:
    m = consumer.poll(0.2)
    if m is None or m.error():
        continue
    records.append(m)

producer.begin_transaction()
for m in records:
    producer.produce('eos-out', m.value().upper())
producer.send_offsets_to_transaction(consumer.position(consumer.assignment()), consumer.consumer_group_metadata(), 30)
producer.commit_transaction(30)

producer.begin_transaction()
producer.produce('eos-out', b'ABORTED')
producer.send_offsets_to_transaction([TopicPartition('eos-in', 0, 99)], consumer.consumer_group_metadata(), 30)
producer.abort_transaction(30)

consumer.close()
print(json.dumps({'consumed': [m.value().decode() for m in records]}))
