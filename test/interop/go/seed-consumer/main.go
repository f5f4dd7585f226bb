// The seed's Go consumer (seed 002, "Implementing Kafka in Golang", Step 3), verbatim: it hard-codes
// localhost:9092, group my-group, topic my-topic, and polls forever (the harness stops it).
package main
import (
    "log"
"github.com/confluentinc/confluent-kafka-go/kafka"
)
func main() {
    // Create a Kafka consumer
    consumer, err := kafka.NewConsumer(&kafka.ConfigMap{
        "bootstrap.servers": "localhost:9092",
        "group.id":          "my-group",
        "auto.offset.reset": "earliest",
    })
    if err != nil {
        log.Fatalf("Failed to create consumer: %s", err)
    }
    defer consumer.Close()
// Subscribe to a topic
    topic := "my-topic"
    consumer.SubscribeTopics([]string{topic}, nil)
// Poll messages
    for {
        msg, err := consumer.ReadMessage(-1)
        if err == nil {
            log.Printf("Received message: %s\n", string(msg.Value))
        } else {
            log.Printf("Error while consuming message: %v\n", err)
        }
    }
}
