# Interop driver for python3-confluent-kafka 1.7.0 (librdkafka 2.0.2). Run with /usr/bin/python3
# (Debian's; a pyenv python3 earlier on PATH lacks Debian's packages). Contract: see
# test/interop/support/driver.ts (env BOOTSTRAP, SCENARIO, TOPIC, GROUP, TXN_ID, COUNT; JSON lines).
import json, os, sys, time
from confluent_kafka import Consumer, Producer, TopicPartition, KafkaException
from confluent_kafka.admin import AdminClient, NewTopic, NewPartitions, ConfigResource

env = os.environ
bs, topic, group = env['BOOTSTRAP'], env['TOPIC'], env['GROUP']
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


def record(m, member='a'):
    return dict(member=member, partition=m.partition(), offset=m.offset(), key=text(m.key()), value=text(m.value()),
                headers={k: text(v) for k, v in (m.headers() or [])})


def producer(**extra):
    return Producer({'bootstrap.servers': bs, 'linger.ms': 0, **extra})


def produce_all(p, items, **extra_event):
    """Produces (key, value, headers, partition) tuples, one flush per record so that order and
    offsets follow the list; emits each delivery report."""
    for key, value, headers, partition in items:
        failed = []

        def report(err, m, key=key, value=value):
            if err is not None:
                failed.append(err)
            else:
                emit(event='produced', topic=m.topic(), partition=m.partition(), offset=m.offset(), key=key, value=value, **extra_event)

        kw = dict(key=key, value=value, headers=headers, on_delivery=report)
        if partition is not None:
            kw['partition'] = partition
        p.produce(topic, **kw)
        if p.flush(30) != 0 or failed:
            raise RuntimeError('delivery failed: %s' % failed)


def numbered(start, n, partitions=None):
    return [('k%d' % i, 'v%d' % i, [('h', str(i))], None if partitions is None else i % partitions) for i in range(start, start + n)]


def consumer(member='a', **extra):
    c = Consumer({'bootstrap.servers': bs, 'group.id': group, 'auto.offset.reset': 'earliest', 'enable.auto.commit': False,
                  'session.timeout.ms': 10000, 'heartbeat.interval.ms': 500, 'fetch.wait.max.ms': 100, **extra})
    return c


def subscribe(c, member):
    def on_assign(consumer, partitions):
        emit(event='assigned', member=member, partitions=sorted(p.partition for p in partitions))
    c.subscribe([topic], on_assign=on_assign)


def poll_until(consumers, done, deadline_s=BUDGET_S):
    """Polls every (member, consumer) in turn, committing each record synchronously."""
    seen = []
    deadline = time.time() + deadline_s
    while not done(seen):
        if time.time() > deadline:
            raise RuntimeError('timed out after %d records' % len(seen))
        for member, c in consumers:
            m = c.poll(0.1)
            if m is None:
                continue
            if m.error():
                emit(event='log', message=str(m.error()))
                continue
            r = record(m, member)
            seen.append(r)
            emit(event='consumed', **r)
            c.commit(message=m, asynchronous=False)
    return seen


def produce_consume():
    produce_all(producer(), numbered(0, count))
    c = consumer()
    subscribe(c, 'a')
    poll_until([('a', c)], lambda seen: len(seen) >= count)
    c.close()


def group_scenario():
    p = producer()
    produce_all(p, numbered(0, count, partitions=2))
    a = consumer('a')
    subscribe(a, 'a')
    poll_until([('a', a)], lambda seen: len(seen) >= count)
    b = consumer('b')
    subscribe(b, 'b')
    # Poll both until the group rebalanced to one partition each.
    deadline = time.time() + BUDGET_S
    while True:
        parts_a, parts_b = a.assignment(), b.assignment()
        if parts_a and parts_b and not {p.partition for p in parts_a} & {p.partition for p in parts_b}:
            break
        if time.time() > deadline:
            raise RuntimeError('no rebalance: a=%s b=%s' % (parts_a, parts_b))
        for c in (a, b):
            m = c.poll(0.1)
            if m is not None and not m.error():
                raise RuntimeError('unexpected record during the rebalance: %s' % text(m.value()))
    emit(event='rebalanced')
    produce_all(p, numbered(count, count, partitions=2))
    poll_until([('a', a), ('b', b)], lambda seen: len(seen) >= count)
    a.close()
    b.close()


def transactions():
    p = producer(**{'transactional.id': env['TXN_ID']})
    p.init_transactions(30)

    def txn(values, outcome):
        p.begin_transaction()
        produce_all(p, [(v, v, None, None) for v in values], txn=outcome)
        if outcome == 'commit':
            p.commit_transaction(30)
            emit(event='committed', values=values)
        else:
            p.abort_transaction(30)
            emit(event='aborted', values=values)

    txn(['c0', 'c1', 'c2'], 'commit')
    txn(['a0', 'a1'], 'abort')
    txn(['c3', 'c4'], 'commit')
    c = consumer(**{'isolation.level': 'read_committed'})
    subscribe(c, 'a')
    poll_until([('a', c)], lambda seen: any(r['value'] == 'c4' for r in seen))
    c.close()


def admin():
    a = AdminClient({'bootstrap.servers': bs})
    extra = topic + '-extra'

    def wait(futures):
        return {k: f.result(30) for k, f in futures.items()}

    wait(a.create_topics([NewTopic(topic, 2, 1, config={'cleanup.policy': 'compact'}), NewTopic(extra, 1, 1)], operation_timeout=10))
    emit(event='admin', op='createTopics')
    wait(a.create_partitions([NewPartitions(topic, 3)]))
    md = a.list_topics(timeout=10)
    emit(event='admin', op='partitions', topic=topic, partitions=len(md.topics[topic].partitions))
    wait(a.alter_configs([ConfigResource('topic', topic, set_config={'retention.ms': '3600000', 'cleanup.policy': 'compact'})]))
    described = wait(a.describe_configs([ConfigResource('topic', topic)]))
    entries = list(described.values())[0]
    emit(event='admin', op='describeConfigs', configs={k: entries[k].value for k in ('cleanup.policy', 'retention.ms')})
    wait(a.delete_topics([extra], operation_timeout=10))
    time.sleep(0)  # metadata below is read fresh
    emit(event='admin', op='listTopics', topics=sorted(t for t in a.list_topics(timeout=10).topics if t.startswith(topic)))
    produce_all(producer(), [('x', 'x', None, 0)])
    c = consumer()
    subscribe(c, 'a')
    poll_until([('a', c)], lambda seen: len(seen) >= 1)
    committed = c.committed([TopicPartition(topic, 0)], timeout=10)
    c.close()
    emit(event='admin', op='fetchOffsets', offsets=[{'partition': tp.partition, 'offset': tp.offset} for tp in committed])
    groups = [g.id for g in a.list_groups(timeout=10) if g.id == group]
    emit(event='admin', op='listGroups', groups=groups)
    g = a.list_groups(group, timeout=10)[0]
    emit(event='admin', op='describeGroups', state=g.state, protocolType=g.protocol_type)
    # confluent-kafka-python 1.7.0's AdminClient has no delete_groups (it came in 1.8).


def compaction():
    writes = [('a', 'a1'), ('b', 'b1'), ('c', 'c1'), ('a', 'a2'), ('b', 'b2'), ('a', 'a3'), ('b', None), ('c', 'c2')]
    produce_all(producer(), [(k, v, None, None) for k, v in writes])
    pause('compact')
    c = consumer()
    lo, hi = c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
    subscribe(c, 'a')
    poll_until([('a', c)], lambda seen: any(r['offset'] >= hi - 1 for r in seen))
    c.close()


def idempotent():
    p = producer(**{'enable.idempotence': True, 'retry.backoff.ms': 50})
    produce_all(p, numbered(0, count))
    c = consumer()
    subscribe(c, 'a')
    poll_until([('a', c)], lambda seen: len(seen) >= count)
    c.close()


def broker_failure():
    p = producer(**{'acks': 'all', 'retry.backoff.ms': 100, 'message.timeout.ms': 40000})
    half = count // 2
    produce_all(p, numbered(0, half))
    pause('stop-leader')
    produce_all(p, numbered(half, count - half))
    c = consumer()
    subscribe(c, 'a')
    poll_until([('a', c)], lambda seen: len({r['value'] for r in seen}) >= count)
    c.close()


scenarios = {'produce-consume': produce_consume, 'group': group_scenario, 'transactions': transactions, 'admin': admin,
             'compaction': compaction, 'idempotent': idempotent, 'broker-failure': broker_failure}
try:
    scenarios[env['SCENARIO']]()
    emit(event='done')
except Exception as e:  # reported as an event; the harness prints the driver's output
    emit(event='error', message='%s: %s' % (type(e).__name__, e))
    sys.exit(1)
