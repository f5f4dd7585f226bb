// Interop driver for sarama 1.22.1 (Debian's golang-github-shopify-sarama-dev). Contract:
// test/interop/support/driver.ts (env BOOTSTRAP, SCENARIO, TOPIC, GROUP, COUNT; JSON events).
// sarama never negotiates versions: SARAMA_VERSION (default 2.0.0) fixes the ones it sends.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Shopify/sarama"
)

var (
	brokers = strings.Split(os.Getenv("BOOTSTRAP"), ",")
	topic   = os.Getenv("TOPIC")
	group   = os.Getenv("GROUP")
	count   = atoi(os.Getenv("COUNT"), 10)
	outMu   sync.Mutex
	stdin   = bufio.NewReader(os.Stdin)
)

func atoi(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

func emit(event map[string]interface{}) {
	b, _ := json.Marshal(event)
	outMu.Lock()
	defer outMu.Unlock()
	fmt.Println(string(b))
}

func fail(format string, args ...interface{}) {
	emit(map[string]interface{}{"event": "error", "message": fmt.Sprintf(format, args...)})
	os.Exit(1)
}

func pause(what string) {
	emit(map[string]interface{}{"event": "paused", "what": what})
	stdin.ReadString('\n')
}

func config() *sarama.Config {
	cfg := sarama.NewConfig()
	v := os.Getenv("SARAMA_VERSION")
	if v == "" {
		v = "2.0.0"
	}
	version, err := sarama.ParseKafkaVersion(v)
	if err != nil {
		fail("version: %v", err)
	}
	cfg.Version = version
	cfg.ClientID = "interop-sarama"
	cfg.Producer.Return.Successes = true
	cfg.Producer.RequiredAcks = sarama.WaitForAll
	cfg.Producer.Retry.Backoff = 100 * time.Millisecond
	cfg.Producer.Retry.Max = 20
	cfg.Metadata.Retry.Backoff = 100 * time.Millisecond
	cfg.Consumer.Offsets.Initial = sarama.OffsetOldest
	cfg.Consumer.Offsets.CommitInterval = 100 * time.Millisecond
	cfg.Consumer.Group.Session.Timeout = 10 * time.Second
	cfg.Consumer.Group.Heartbeat.Interval = 500 * time.Millisecond
	cfg.Consumer.MaxWaitTime = 100 * time.Millisecond
	return cfg
}

func strOrNil(b []byte) interface{} {
	if b == nil {
		return nil
	}
	return string(b)
}

type message struct {
	key, value string
	null       bool
	headers    bool
	partition  int32 // -1: the partitioner's choice
}

func numbered(from, n int, partitions int32) []message {
	var out []message
	for i := from; i < from+n; i++ {
		p := int32(-1)
		if partitions > 0 {
			p = int32(i) % partitions
		}
		out = append(out, message{key: fmt.Sprintf("k%d", i), value: fmt.Sprintf("v%d", i), headers: true, partition: p})
	}
	return out
}

func produceAll(cfg *sarama.Config, msgs []message) {
	if msgs[0].partition >= 0 {
		cfg.Producer.Partitioner = sarama.NewManualPartitioner
	}
	p, err := sarama.NewSyncProducer(brokers, cfg)
	if err != nil {
		fail("producer: %v", err)
	}
	defer p.Close()
	for _, m := range msgs {
		pm := &sarama.ProducerMessage{Topic: topic, Key: sarama.StringEncoder(m.key)}
		if !m.null {
			pm.Value = sarama.StringEncoder(m.value)
		}
		if m.partition >= 0 {
			pm.Partition = m.partition
		}
		if m.headers {
			pm.Headers = []sarama.RecordHeader{{Key: []byte("h"), Value: []byte(strings.TrimPrefix(m.key, "k"))}}
		}
		part, off, err := p.SendMessage(pm)
		if err != nil {
			fail("send %s: %v", m.key, err)
		}
		var value interface{} = m.value
		if m.null {
			value = nil
		}
		emit(map[string]interface{}{"event": "produced", "topic": topic, "partition": part, "offset": off, "key": m.key, "value": value})
	}
}

// member is one consumer group member that logs its assignments and records.
type member struct {
	name     string
	group    sarama.ConsumerGroup
	records  chan map[string]interface{}
	assigned chan []int32
	cancel   context.CancelFunc
	done     chan struct{}
}

func (m *member) Setup(s sarama.ConsumerGroupSession) error {
	parts := append([]int32(nil), s.Claims()[topic]...)
	sort.Slice(parts, func(i, j int) bool { return parts[i] < parts[j] })
	emit(map[string]interface{}{"event": "assigned", "member": m.name, "partitions": parts})
	m.assigned <- parts
	return nil
}
func (m *member) Cleanup(sarama.ConsumerGroupSession) error { return nil }
func (m *member) ConsumeClaim(s sarama.ConsumerGroupSession, c sarama.ConsumerGroupClaim) error {
	for msg := range c.Messages() {
		headers := map[string]interface{}{}
		for _, h := range msg.Headers {
			headers[string(h.Key)] = strOrNil(h.Value)
		}
		r := map[string]interface{}{"event": "consumed", "member": m.name, "partition": msg.Partition, "offset": msg.Offset,
			"key": strOrNil(msg.Key), "value": strOrNil(msg.Value), "headers": headers}
		emit(r)
		s.MarkMessage(msg, "")
		m.records <- r
	}
	return nil
}

func join(name string) *member {
	g, err := sarama.NewConsumerGroup(brokers, group, config())
	if err != nil {
		fail("group %s: %v", name, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &member{name: name, group: g, records: make(chan map[string]interface{}, 1000), assigned: make(chan []int32, 100), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(m.done)
		for ctx.Err() == nil {
			if err := g.Consume(ctx, []string{topic}, m); err != nil && ctx.Err() == nil {
				emit(map[string]interface{}{"event": "log", "message": fmt.Sprintf("consume %s: %v", name, err)})
				time.Sleep(200 * time.Millisecond)
			}
		}
	}()
	return m
}

func (m *member) leave() {
	m.cancel()
	<-m.done
	if err := m.group.Close(); err != nil {
		fail("close %s: %v", m.name, err)
	}
}

// collect waits until done(records) holds, reading from every member.
func collect(members []*member, done func([]map[string]interface{}) bool) []map[string]interface{} {
	var seen []map[string]interface{}
	deadline := time.After(45 * time.Second)
	for !done(seen) {
		select {
		case r := <-members[0].records:
			seen = append(seen, r)
		case r := <-last(members).records:
			seen = append(seen, r)
		case <-deadline:
			fail("timed out after %d records", len(seen))
		}
	}
	return seen
}

func last(ms []*member) *member { return ms[len(ms)-1] }

func atLeast(n int) func([]map[string]interface{}) bool {
	return func(s []map[string]interface{}) bool { return len(s) >= n }
}

func distinctValues(n int) func([]map[string]interface{}) bool {
	return func(s []map[string]interface{}) bool {
		set := map[interface{}]bool{}
		for _, r := range s {
			set[r["value"]] = true
		}
		return len(set) >= n
	}
}

func produceConsume() {
	produceAll(config(), numbered(0, count, 0))
	a := join("a")
	collect([]*member{a}, atLeast(count))
	a.leave()
}

func groupScenario() {
	produceAll(config(), numbered(0, count, 2))
	a := join("a")
	collect([]*member{a}, atLeast(count))
	b := join("b")
	var lastA, lastB []int32
	deadline := time.After(45 * time.Second)
	for len(lastA) != 1 || len(lastB) != 1 || lastA[0] == lastB[0] {
		select {
		case lastA = <-a.assigned:
		case lastB = <-b.assigned:
		case <-deadline:
			fail("no rebalance: a=%v b=%v", lastA, lastB)
		}
	}
	emit(map[string]interface{}{"event": "rebalanced"})
	produceAll(config(), numbered(count, count, 2))
	collect([]*member{a, b}, atLeast(count))
	time.Sleep(300 * time.Millisecond) // a few commit intervals; Close commits what is marked too
	a.leave()
	b.leave()
}

func admin() {
	ca, err := sarama.NewClusterAdmin(brokers, config())
	if err != nil {
		fail("admin: %v", err)
	}
	defer ca.Close()
	compact := "compact"
	extra := topic + "-extra"
	must := func(op string, err error) {
		if err != nil {
			fail("%s: %v", op, err)
		}
	}
	must("createTopic", ca.CreateTopic(topic, &sarama.TopicDetail{NumPartitions: 2, ReplicationFactor: 1, ConfigEntries: map[string]*string{"cleanup.policy": &compact}}, false))
	must("createTopic extra", ca.CreateTopic(extra, &sarama.TopicDetail{NumPartitions: 1, ReplicationFactor: 1}, false))
	emit(map[string]interface{}{"event": "admin", "op": "createTopics"})
	must("createPartitions", ca.CreatePartitions(topic, 3, nil, false))
	md, err := ca.DescribeTopics([]string{topic})
	must("describeTopics", err)
	emit(map[string]interface{}{"event": "admin", "op": "partitions", "topic": topic, "partitions": len(md[0].Partitions)})
	retention := "3600000"
	// AlterConfigs replaces the topic's whole dynamic config: both entries are sent.
	must("alterConfig", ca.AlterConfig(sarama.TopicResource, topic, map[string]*string{"retention.ms": &retention, "cleanup.policy": &compact}, false))
	entries, err := ca.DescribeConfig(sarama.ConfigResource{Type: sarama.TopicResource, Name: topic})
	must("describeConfig", err)
	configs := map[string]string{}
	for _, e := range entries {
		if e.Name == "cleanup.policy" || e.Name == "retention.ms" {
			configs[e.Name] = e.Value
		}
	}
	emit(map[string]interface{}{"event": "admin", "op": "describeConfigs", "configs": configs})
	must("deleteTopic", ca.DeleteTopic(extra))
	topics, err := ca.ListTopics()
	must("listTopics", err)
	var mine []string
	for t := range topics {
		if strings.HasPrefix(t, topic) {
			mine = append(mine, t)
		}
	}
	sort.Strings(mine)
	emit(map[string]interface{}{"event": "admin", "op": "listTopics", "topics": mine})
	produceAll(config(), []message{{key: "x", value: "x", partition: 0}})
	m := join("a")
	collect([]*member{m}, atLeast(1))
	time.Sleep(300 * time.Millisecond)
	m.leave()
	offsets, err := ca.ListConsumerGroupOffsets(group, map[string][]int32{topic: {0}})
	must("listConsumerGroupOffsets", err)
	emit(map[string]interface{}{"event": "admin", "op": "fetchOffsets", "offsets": []map[string]interface{}{{"partition": 0, "offset": offsets.Blocks[topic][0].Offset}}})
	groups, err := ca.ListConsumerGroups()
	must("listConsumerGroups", err)
	var listed []string
	if _, ok := groups[group]; ok {
		listed = append(listed, group)
	}
	emit(map[string]interface{}{"event": "admin", "op": "listGroups", "groups": listed})
	described, err := ca.DescribeConsumerGroups([]string{group})
	must("describeConsumerGroups", err)
	emit(map[string]interface{}{"event": "admin", "op": "describeGroups", "state": described[0].State, "protocolType": described[0].ProtocolType})
}

func compaction() {
	writes := []message{{key: "a", value: "a1"}, {key: "b", value: "b1"}, {key: "c", value: "c1"}, {key: "a", value: "a2"},
		{key: "b", value: "b2"}, {key: "a", value: "a3"}, {key: "b", null: true}, {key: "c", value: "c2"}}
	for i := range writes {
		writes[i].partition = -1
	}
	produceAll(config(), writes)
	pause("compact")
	client, err := sarama.NewClient(brokers, config())
	if err != nil {
		fail("client: %v", err)
	}
	end, err := client.GetOffset(topic, 0, sarama.OffsetNewest)
	client.Close()
	if err != nil {
		fail("end offset: %v", err)
	}
	a := join("a")
	collect([]*member{a}, func(s []map[string]interface{}) bool {
		return len(s) > 0 && s[len(s)-1]["offset"].(int64) >= end-1
	})
	a.leave()
}

func idempotent() {
	cfg := config()
	cfg.Producer.Idempotent = true
	cfg.Net.MaxOpenRequests = 1
	cfg.Producer.Retry.Backoff = 50 * time.Millisecond
	produceAll(cfg, numbered(0, count, 0))
	a := join("a")
	collect([]*member{a}, atLeast(count))
	a.leave()
}

func brokerFailure() {
	half := count / 2
	produceAll(config(), numbered(0, half, 0))
	pause("stop-leader")
	produceAll(config(), numbered(half, count-half, 0))
	a := join("a")
	collect([]*member{a}, distinctValues(count))
	a.leave()
}

func main() {
	scenarios := map[string]func(){"produce-consume": produceConsume, "group": groupScenario, "admin": admin,
		"compaction": compaction, "idempotent": idempotent, "broker-failure": brokerFailure}
	run, ok := scenarios[os.Getenv("SCENARIO")]
	if !ok {
		fail("unknown scenario %q", os.Getenv("SCENARIO"))
	}
	run()
	emit(map[string]interface{}{"event": "done"})
}
