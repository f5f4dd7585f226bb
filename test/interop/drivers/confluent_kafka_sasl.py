"""python3-confluent-kafka over SASL (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER unsecured JWT) and TLS.

Environment: BOOTSTRAP, PROTOCOL (SASL_SSL or SASL_PLAINTEXT), MECHANISM, USERNAME, PASSWORD
(or OAUTHBEARER_CONFIG for librdkafka's sasl.oauthbearer.config), CA (a PEM file, for SASL_SSL),
TOPIC, GROUP. Produces three records, consumes them back, and prints one JSON line per event:
{"event": "delivered"|"consumed"|"error", ...}. Exits 0 when all three came back, 1 otherwise.
"""
import json
import os
import sys
import time

from confluent_kafka import Consumer, Producer


failed = []


def emit(**event):
    print(json.dumps(event), flush=True)


def on_error(err):
    emit(event='error', error=str(err))
    # An authentication failure does not heal: stop at once instead of waiting out the timeouts.
    if 'Authentication failed' in str(err) or 'authentication' in str(err).lower():
        failed.append(err)


def config():
    c = {
        'bootstrap.servers': os.environ['BOOTSTRAP'],
        'security.protocol': os.environ['PROTOCOL'],
        'sasl.mechanisms': os.environ['MECHANISM'],
        'error_cb': on_error,
    }
    if os.environ['MECHANISM'] == 'OAUTHBEARER':
        c['enable.sasl.oauthbearer.unsecure.jwt'] = True
        c['sasl.oauthbearer.config'] = os.environ['OAUTHBEARER_CONFIG']
    else:
        c['sasl.username'] = os.environ['USERNAME']
        c['sasl.password'] = os.environ['PASSWORD']
    if os.environ.get('CA'):
        c['ssl.ca.location'] = os.environ['CA']
    return c


def main():
    topic = os.environ['TOPIC']
    producer = Producer({**config(), 'message.timeout.ms': 8000})

    def delivered(err, msg):
        if err is None:
            emit(event='delivered', partition=msg.partition(), offset=msg.offset())
        else:
            emit(event='error', error=str(err))

    for i in range(3):
        producer.produce(topic, key=f'k{i}'.encode(), value=f'v{i}'.encode(), on_delivery=delivered)
    deadline = time.time() + 10
    while producer.flush(0.2) > 0 and not failed and time.time() < deadline:
        pass
    if failed:
        sys.exit(1)

    consumer = Consumer({**config(), 'group.id': os.environ['GROUP'], 'auto.offset.reset': 'earliest', 'session.timeout.ms': 6000})
    consumer.subscribe([topic])
    got = []
    deadline = time.time() + 12
    while len(got) < 3 and time.time() < deadline:
        msg = consumer.poll(0.5)
        if msg is None or msg.error():
            continue
        got.append(msg.value().decode())
        emit(event='consumed', value=got[-1], offset=msg.offset())
    consumer.close()
    sys.exit(0 if len(got) == 3 else 1)


main()
