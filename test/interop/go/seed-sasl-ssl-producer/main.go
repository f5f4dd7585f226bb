// Seed 003's SASL_SSL producer ("Producer/Consumer Example with SASL/SSL"), as the seed wrote it,
// with two changes only: bootstrap.servers "my-secure-broker:9093" -> "localhost:9093" and
// ssl.ca.location "/etc/ssl/certs/ca.pem" -> "/tmp/memkafka-seed-003/ca.pem" (the CA file
// memkafka serve writes with --ca-file).
package main

import (
    "fmt"
    "log"

    "github.com/confluentinc/confluent-kafka-go/kafka"
)

func main() {
    p, err := kafka.NewProducer(&kafka.ConfigMap{
        "bootstrap.servers": "localhost:9093",
        "security.protocol": "SASL_SSL",          // Use SASL over SSL
        "sasl.mechanisms":   "PLAIN",             // Mechanism (PLAIN, SCRAM, etc.)
        "sasl.username":     "my-username",       // Provided by broker admin
        "sasl.password":     "my-password",       // Provided by broker admin
        "ssl.ca.location":   "/tmp/memkafka-seed-003/ca.pem", // CA cert to verify broker
        "acks":              "all",
        "enable.idempotence": true,
    })
    if err != nil {
        log.Fatalf("Failed to create producer: %v", err)
    }

    // Delivery reports
    go func() {
        for e := range p.Events() {
            switch ev := e.(type) {
            case *kafka.Message:
                if ev.TopicPartition.Error != nil {
                    fmt.Printf("Delivery failed: %v\n", ev.TopicPartition.Error)
                } else {
                    fmt.Printf("Delivered to %v\n", ev.TopicPartition)
                }
            }
        }
    }()

    topic := "secure-topic"
    msg := &kafka.Message{
        TopicPartition: kafka.TopicPartition{Topic: &topic, Partition: kafka.PartitionAny},
        Key:   []byte("user123"),
        Value: []byte("Secure message with SASL/SSL"),
    }

    p.Produce(msg, nil)
    p.Flush(5000)
}

