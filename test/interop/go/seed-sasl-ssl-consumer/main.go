// Seed 003's SASL_SSL consumer ("Producer/Consumer Example with SASL/SSL"), as the seed wrote it,
// with two changes only: bootstrap.servers "my-secure-broker:9093" -> "localhost:9093" and
// ssl.ca.location "/etc/ssl/certs/ca.pem" -> "/tmp/memkafka-seed-003/ca.pem" (the CA file
// memkafka serve writes with --ca-file). processPayment, which the seed calls but never
// defines, is in process-payment.go.
package main

import (
    "fmt"
    "log"

    "github.com/confluentinc/confluent-kafka-go/kafka"
)

func main() {
    c, err := kafka.NewConsumer(&kafka.ConfigMap{
        "bootstrap.servers": "localhost:9093",
        "security.protocol": "SASL_SSL",
        "sasl.mechanisms":   "PLAIN",
        "sasl.username":     "my-username",
        "sasl.password":     "my-password",
        "ssl.ca.location":   "/tmp/memkafka-seed-003/ca.pem",
        "group.id":          "secure-group",
        "auto.offset.reset": "earliest",
    })
    if err != nil {
        log.Fatalf("Failed to create consumer: %v", err)
    }

    c.SubscribeTopics([]string{"secure-topic"}, nil)

    for {
        ev := c.Poll(100)
        if ev == nil {
            continue
        }
        switch e := ev.(type) {
        case *kafka.Message:
            go func(msg *kafka.Message) {
                err := processPayment(msg.Value)
                if err != nil {
                    // Send to DLQ or retry queue
                    log.Printf("Failed processing offset %d: %v", msg.TopicPartition.Offset, err)
                } else {
                    // Commit offset only after success
                    _, err := c.CommitMessage(msg)
                    if err != nil {
                        log.Printf("Commit failed: %v", err)
                    }
                }
            }(e)
        case kafka.Error:
            fmt.Printf("Error: %v\n", e)
        }
    }
}
