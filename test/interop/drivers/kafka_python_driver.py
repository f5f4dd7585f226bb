# Interop driver for python3-kafka (kafka-python) 2.0.2. Run with /usr/bin/python3 (Debian's). Contract:
# test/interop/support/driver.ts. kafka-python has no transactions and no idempotent producer.
import json, os, sys, threading, time
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewPartitions, NewTopic

env = os.environ
bs, topic, group = env['BOOTSTRAP'].split(','), env['TOPIC'], env['GROUP']
count = int(env.get('COUNT', '10'))
BUDGET_S = 45


def emit(**event):
    sys.stdout.write(json.dumps(event) + '\n')
    sys.stdout.flush()


def pause(what):
    emit(event='paused', what=what)
    sys.stdin.readline()


def text(b):
    return None if b is None else b.decode()


def producer(**extra):
    p = KafkaProducer(bootstrap_servers=bs, **extra)
    emit(event='log', message='inferred api_version %s' % (p.config['api_version'],))
    return p


def produce_all(p, items):
    for key, value, headers, partition in items:
        md = p.send(topic, key=key.encode(), value=None if value is None else value.encode(),
                    headers=[(k, v.encode()) for k, v in headers], partition=partition).get(timeout=40)
        emit(event='produced', topic=md.topic, partition=md.partition, offset=md.offset, key=key, value=value)


def numbered(start, n, partitions=None):
    return [('k%d' % i, 'v%d' % i, [('h', str(i))], None if partitions is None else i % partitions) for i in range(start, start + n)]


class Member:
    """A group member that logs each assignment it receives."""

    def __init__(self, name, **extra):
        from kafka import ConsumerRebalanceListener
        self.name = name
        self.parts = set()  # as the last assignment event said
        self.c = KafkaConsumer(bootstrap_servers=bs, group_id=group, auto_offset_reset='earliest', enable_auto_commit=False,
                               session_timeout_ms=10000, heartbeat_interval_ms=500, fetch_max_wait_ms=100, **extra)
        member = self

        class Listener(ConsumerRebalanceListener):
            def on_partitions_revoked(self, revoked):
                pass

            def on_partitions_assigned(self, assigned):
                parts = sorted(tp.partition for tp in assigned)
                emit(event='assigned', member=member.name, partitions=parts)
                member.parts = set(parts)

        self.c.subscribe([topic], listener=Listener())

    def poll(self, seen):
        for tp, records in self.c.poll(timeout_ms=100).items():
            for m in records:
                r = dict(member=self.name, partition=m.partition, offset=m.offset, key=text(m.key), value=text(m.value),
                         headers={k: text(v) for k, v in (m.headers or [])})
                seen.append(r)
                emit(event='consumed', **r)
        self.c.commit()


def poll_until(members, done):
    """Each member polls in its own thread: kafka-python's poll() blocks through a whole group join,
    and a join waits for every other member to rejoin, so one thread cannot poll two members."""
    seen = []
    stop = threading.Event()
    lock = threading.Lock()
    errors = []

    def loop(m):
        try:
            while not stop.is_set():
                batch = []
                m.poll(batch)
                with lock:
                    seen.extend(batch)
        except Exception as e:  # reported by the main thread
            errors.append(e)

    threads = [threading.Thread(target=loop, args=(m,), daemon=True) for m in members]
    for t in threads:
        t.start()
    deadline = time.time() + BUDGET_S
    try:
        while True:
            with lock:
                if done(list(seen)):
                    break
            if errors:
                raise errors[0]
            if time.time() > deadline:
                raise RuntimeError('timed out after %d records' % len(seen))
            time.sleep(0.02)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    return seen


def produce_consume():
    produce_all(producer(), numbered(0, count))
    a = Member('a')
    poll_until([a], lambda seen: len(seen) >= count)
    a.c.close()


def group_scenario():
    p = producer()
    produce_all(p, numbered(0, count, partitions=2))
    a = Member('a')
    poll_until([a], lambda seen: len(seen) >= count)
    b = Member('b')
    # Both poll (in their threads) until the group has rebalanced to one partition each.
    # (From the listener's events, which follow the subscription's own update.)
    poll_until([a, b], lambda seen: a.parts and b.parts and not a.parts & b.parts)
    emit(event='rebalanced')
    produce_all(p, numbered(count, count, partitions=2))
    poll_until([a, b], lambda seen: len(seen) >= count)
    a.c.close()
    b.c.close()


def admin():
    a = KafkaAdminClient(bootstrap_servers=bs)
    extra = topic + '-extra'
    a.create_topics([NewTopic(topic, 2, 1, topic_configs={'cleanup.policy': 'compact'}), NewTopic(extra, 1, 1)])
    emit(event='admin', op='createTopics')
    a.create_partitions({topic: NewPartitions(3)})
    described = a.describe_topics([topic])
    emit(event='admin', op='partitions', topic=topic, partitions=len(described[0]['partitions']))
    a.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic, configs={'retention.ms': '3600000', 'cleanup.policy': 'compact'})])
    res = a.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])[0]
    entries = {e[0]: e[1] for e in res.resources[0][4]}
    emit(event='admin', op='describeConfigs', configs={k: entries.get(k) for k in ('cleanup.policy', 'retention.ms')})
    a.delete_topics([extra])
    emit(event='admin', op='listTopics', topics=sorted(t for t in a.list_topics() if t.startswith(topic)))
    produce_all(producer(), [('x', 'x', [], 0)])
    m = Member('a')
    poll_until([m], lambda seen: len(seen) >= 1)
    m.c.close()
    offsets = a.list_consumer_group_offsets(group)
    emit(event='admin', op='fetchOffsets', offsets=[{'partition': tp.partition, 'offset': om.offset} for tp, om in offsets.items()])
    emit(event='admin', op='listGroups', groups=[g for g, _ in a.list_consumer_groups() if g == group])
    d = a.describe_consumer_groups([group])[0]
    emit(event='admin', op='describeGroups', state=d.state, protocolType=d.protocol_type)
    a.delete_consumer_groups([group])
    emit(event='admin', op='deleteGroups', groups=[g for g, _ in a.list_consumer_groups() if g == group])
    a.close()


def compaction():
    writes = [('a', 'a1'), ('b', 'b1'), ('c', 'c1'), ('a', 'a2'), ('b', 'b2'), ('a', 'a3'), ('b', None), ('c', 'c2')]
    produce_all(producer(), [(k, v, [], None) for k, v in writes])
    pause('compact')
    m = Member('a')
    end = m.c.end_offsets([TopicPartition(topic, 0)])[TopicPartition(topic, 0)]
    poll_until([m], lambda seen: any(r['offset'] >= end - 1 for r in seen))
    m.c.close()


def broker_failure():
    p = producer(acks='all', retries=20, retry_backoff_ms=100, max_in_flight_requests_per_connection=1)
    half = count // 2
    produce_all(p, numbered(0, half))
    pause('stop-leader')
    produce_all(p, numbered(half, count - half))
    # kafka-python 2.0.2's version probe (check_version) can fail with "ValueError: Invalid file
    # object: None" when a bootstrap broker refuses the connection (dpkp/kafka-python#2450), and one
    # of the three is down now: the consumer takes the version the producer inferred instead.
    m = Member('a', api_version=p.config['api_version'])
    poll_until([m], lambda seen: len({r['value'] for r in seen}) >= count)
    m.c.close()


scenarios = {'produce-consume': produce_consume, 'group': group_scenario, 'admin': admin, 'compaction': compaction,
             'broker-failure': broker_failure}
try:
    scenarios[env['SCENARIO']]()
    emit(event='done')
except Exception as e:
    emit(event='error', message='%s: %s' % (type(e).__name__, e))
    sys.exit(1)
