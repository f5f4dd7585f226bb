// The seed's consumer calls processPayment(msg.Value) without defining it (the seed text does
// not compile alone); this is the one function added, in its own file: it logs the message.
package main

import "log"

func processPayment(value []byte) error {
	log.Printf("Received message: %s", value)
	return nil
}
