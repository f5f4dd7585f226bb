/**
 * Kafka 3.7's KRaft controller writes one admin operation as one batch of metadata records and
 * refuses to build more than QuorumController.MAX_RECORDS_PER_USER_OP of them (its records go
 * into a BoundedList). CreateTopics writes a TopicRecord, a PartitionRecord per partition and a
 * ConfigRecord per config; CreatePartitions a PartitionRecord per new partition.
 *
 * memkafka checks the count before it places replicas, so that a request asking for billions of
 * partitions is refused at once instead of exhausting the process's memory.
 */
export const MAX_RECORDS_PER_USER_OP = 10_000

/** EventHandlerExceptionInfo's answer to a BoundedListTooLongException (a whole CreateTopics fails with POLICY_VIOLATION). */
export const EXCESSIVE_BATCH_MESSAGE = 'Unable to perform excessively large batch operation.'

/** BoundedList.add's message, which CreatePartitions answers per topic (as UNKNOWN_SERVER_ERROR). */
export const BOUNDED_LIST_MESSAGE = `Cannot add another element to the list because it would exceed the maximum length of ${MAX_RECORDS_PER_USER_OP}`
