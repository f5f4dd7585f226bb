// The seed's Go producer (seed 002, "Implementing Kafka in Golang", Step 2), as the seed wrote it.
// The one change: the seed imports "os" and never uses it, which Go refuses to compile; that import
// line is removed. Nothing else differs (it hard-codes localhost:9092 and topic my-topic).
package main
import (
    "log"
"github.com/confluentinc/confluent-kafka-go/kafka"
)
func main() {
    // Create a Kafka producer
    producer, err := kafka.NewProducer(&kafka.ConfigMap{"bootstrap.servers": "localhost:9092"})
    if err != nil {
        log.Fatalf("Failed to create producer: %s", err)
    }
    defer producer.Close()
// Get the topic from the command line
    topic := "my-topic"
// Send a message
    message := "Hello Kafka!"
    err = producer.Produce(&kafka.Message{
        TopicPartition: kafka.TopicPartition{Topic: &topic, Partition: kafka.PartitionAny},
        Value:          []byte(message),
    }, nil)
    if err != nil {
        log.Printf("Failed to produce message: %s", err)
    } else {
        log.Printf("Produced message: %s", message)
    }
// Wait for delivery reports
    producer.Flush(15 * 1000)
}
