// Interop driver for segmentio kafka-go 0.2.1 (Debian's golang-github-segmentio-kafka-go-dev).
// Contract: test/interop/support/driver.ts. kafka-go 0.2.1 speaks message format v1 only
// (Produce v2, Fetch v2): keys but no headers; no idempotence, no transactions.
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

	kafka "github.com/segmentio/kafka-go"
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

func strOrNil(b []byte) interface{} {
	if b == nil {
		return nil
	}
	return string(b)
}

// produce writes to one partition's leader through a Conn, one message per request, retrying
// a dial or write that fails while leadership moves.
func produce(partition int, key string, value *string) {
	deadline := time.Now().Add(40 * time.Second)
	for attempt := 0; ; attempt++ {
		// Any live broker answers the leader lookup: rotate through the bootstrap list.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		conn, err := kafka.DialLeader(ctx, "tcp", brokers[attempt%len(brokers)], topic, partition)
		cancel()
		if err == nil {
			conn.SetRequiredAcks(-1)
			m := kafka.Message{Key: []byte(key)}
			if value != nil {
				m.Value = []byte(*value)
			}
			_, err = conn.WriteMessages(m)
			conn.Close()
			if err == nil {
				var v interface{}
				if value != nil {
					v = *value
				}
				emit(map[string]interface{}{"event": "produced", "topic": topic, "partition": partition, "offset": -1, "key": key, "value": v})
				return
			}
		}
		if time.Now().After(deadline) {
			fail("produce %s: %v", key, err)
		}
		emit(map[string]interface{}{"event": "log", "message": fmt.Sprintf("retrying %s: %v", key, err)})
		time.Sleep(200 * time.Millisecond)
	}
}

func numbered(from, n, partitions int) {
	for i := from; i < from+n; i++ {
		v := fmt.Sprintf("v%d", i)
		produce(i%partitions, fmt.Sprintf("k%d", i), &v)
	}
}

type member struct {
	name    string
	reader  *kafka.Reader
	records chan map[string]interface{}
	cancel  context.CancelFunc
	done    chan struct{}
}

func join(name string) *member {
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, GroupID: group, Topic: topic, MinBytes: 1, MaxBytes: 1 << 20,
		MaxWait: 100 * time.Millisecond, SessionTimeout: 10 * time.Second, HeartbeatInterval: 500 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	m := &member{name: name, reader: r, records: make(chan map[string]interface{}, 1000), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(m.done)
		for {
			msg, err := r.ReadMessage(ctx) // commits synchronously (CommitInterval 0)
			if err != nil {
				return
			}
			rec := map[string]interface{}{"event": "consumed", "member": name, "partition": msg.Partition, "offset": msg.Offset,
				"key": strOrNil(msg.Key), "value": strOrNil(msg.Value), "headers": map[string]interface{}{}}
			emit(rec)
			m.records <- rec
		}
	}()
	return m
}

func (m *member) leave() {
	m.cancel()
	<-m.done
	m.reader.Close()
}

func collect(members []*member, done func([]map[string]interface{}) bool) {
	var seen []map[string]interface{}
	deadline := time.After(45 * time.Second)
	for !done(seen) {
		select {
		case r := <-members[0].records:
			seen = append(seen, r)
		case r := <-members[len(members)-1].records:
			seen = append(seen, r)
		case <-deadline:
			fail("timed out after %d records", len(seen))
		}
	}
}

func atLeast(n int) func([]map[string]interface{}) bool {
	return func(s []map[string]interface{}) bool { return len(s) >= n }
}

func produceConsume() {
	numbered(0, count, 1)
	a := join("a")
	collect([]*member{a}, atLeast(count))
	a.leave()
}

func groupScenario() {
	numbered(0, count, 2)
	a := join("a")
	collect([]*member{a}, atLeast(count))
	emit(map[string]interface{}{"event": "assigned", "member": "a", "partitions": []int{0, 1}})
	b := join("b")
	// kafka-go 0.2.1 has no assignment callback: the harness watches the group until both members
	// are in it and it is stable; then the records that follow show who owns what.
	pause("rebalance")
	numbered(count, count, 2)
	seenBy := map[string]map[int]bool{"a": {}, "b": {}}
	var seen []map[string]interface{}
	deadline := time.After(45 * time.Second)
	for len(seen) < count {
		var r map[string]interface{}
		select {
		case r = <-a.records:
		case r = <-b.records:
		case <-deadline:
			fail("timed out after %d records", len(seen))
		}
		seen = append(seen, r)
		seenBy[r["member"].(string)][r["partition"].(int)] = true
	}
	for _, name := range []string{"a", "b"} {
		var parts []int
		for p := range seenBy[name] {
			parts = append(parts, p)
		}
		sort.Ints(parts)
		emit(map[string]interface{}{"event": "assigned", "member": name, "partitions": parts})
	}
	emit(map[string]interface{}{"event": "rebalanced"})
	a.leave()
	b.leave()
}

func compaction() {
	str := func(s string) *string { return &s }
	writes := []struct {
		k string
		v *string
	}{{"a", str("a1")}, {"b", str("b1")}, {"c", str("c1")}, {"a", str("a2")}, {"b", str("b2")}, {"a", str("a3")}, {"b", nil}, {"c", str("c2")}}
	for _, w := range writes {
		produce(0, w.k, w.v)
	}
	pause("compact")
	conn, err := kafka.DialLeader(context.Background(), "tcp", brokers[0], topic, 0)
	if err != nil {
		fail("dial: %v", err)
	}
	end, err := conn.ReadLastOffset()
	conn.Close()
	if err != nil {
		fail("last offset: %v", err)
	}
	a := join("a")
	collect([]*member{a}, func(s []map[string]interface{}) bool { return len(s) > 0 && s[len(s)-1]["offset"].(int64) >= end-1 })
	a.leave()
}

func brokerFailure() {
	half := count / 2
	numbered(0, half, 1)
	pause("stop-leader")
	numbered(half, count-half, 1)
	a := join("a")
	collect([]*member{a}, func(s []map[string]interface{}) bool {
		set := map[interface{}]bool{}
		for _, r := range s {
			set[r["value"]] = true
		}
		return len(set) >= count
	})
	a.leave()
}

func main() {
	scenarios := map[string]func(){"produce-consume": produceConsume, "group": groupScenario, "compaction": compaction, "broker-failure": brokerFailure}
	run, ok := scenarios[os.Getenv("SCENARIO")]
	if !ok {
		fail("unknown scenario %q", os.Getenv("SCENARIO"))
	}
	run()
	emit(map[string]interface{}{"event": "done"})
}
