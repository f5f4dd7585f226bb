/**
 * Kafka's topic name rules (org.apache.kafka.common.internals.Topic, Kafka 3.7): a name is 1 to
 * 249 characters of ASCII letters, digits, '.', '_' and '-', and is neither '.' nor '..'.
 * Names that differ only by '.' versus '_' collide, because Kafka's metric names replace '.'
 * with '_'; the controller refuses to create one while the other exists (KAFKA-13743).
 */
import { KafkaError } from '../error-codes.js'

export const MAX_TOPIC_NAME_LENGTH = 249
export const GROUP_METADATA_TOPIC_NAME = '__consumer_offsets'
export const TRANSACTION_STATE_TOPIC_NAME = '__transaction_state'
/**
 * KRaft's metadata log. It is not a topic clients can see; KafkaApis refuses to create it
 * (KAFKA-14358, answering TOPIC_AUTHORIZATION_FAILED), and Topic.isInternal does not list it.
 */
export const CLUSTER_METADATA_TOPIC_NAME = '__cluster_metadata'

const LEGAL_NAME = /^[a-zA-Z0-9._-]*$/

/** Topic.detectInvalidTopic: why a name is invalid, in Kafka's words, or undefined. */
function invalidTopicReason(name: string): string | undefined {
  // On the wire a name is always a string; in-process a caller can hand anything.
  if (typeof name !== 'string') return `a topic name is a string, not ${typeof name} ${String(name)}`
  if (name.length === 0) return 'the empty string is not allowed'
  if (name === '.') return "'.' is not allowed"
  if (name === '..') return "'..' is not allowed"
  if (name.length > MAX_TOPIC_NAME_LENGTH) return `the length of '${name}' is longer than the max allowed length ${MAX_TOPIC_NAME_LENGTH}`
  if (!LEGAL_NAME.test(name)) return `'${name}' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'`
  return undefined
}

/** Topic.isValid */
export function isValidTopicName(name: string): boolean {
  return invalidTopicReason(name) === undefined
}

/**
 * Topic.validate: INVALID_TOPIC_EXCEPTION with Kafka's message ("Topic name is invalid: '.' is
 * not allowed"), or undefined for a valid name.
 */
export function validateTopicName(name: string): KafkaError | undefined {
  const reason = invalidTopicReason(name)
  return reason === undefined ? undefined : new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic name is invalid: ${reason}`)
}

/** Topic.isInternal: the group and transaction coordinators' topics. */
export function isInternalTopic(name: string): boolean {
  return name === GROUP_METADATA_TOPIC_NAME || name === TRANSACTION_STATE_TOPIC_NAME
}

/** Topic.hasCollisionChars: the name contains '.' or '_'. */
export function hasCollisionChars(name: string): boolean {
  return name.includes('.') || name.includes('_')
}

/** Topic.unifyCollisionChars: the form under which colliding names are equal ('.' -> '_'). */
export function unifyCollisionChars(name: string): string {
  return name.replaceAll('.', '_')
}

/** Topic.hasCollision: the two names differ at most by '.' versus '_' at the same positions. */
export function topicNamesCollide(a: string, b: string): boolean {
  return unifyCollisionChars(a) === unifyCollisionChars(b)
}

/**
 * An existing topic that `name` collides with, other than a topic of exactly that name (which
 * Kafka answers with TOPIC_ALREADY_EXISTS instead), or undefined.
 */
export function findCollidingTopic(name: string, existing: Iterable<string>): string | undefined {
  if (!hasCollisionChars(name)) return undefined
  const unified = unifyCollisionChars(name)
  for (const other of existing) {
    if (other !== name && unifyCollisionChars(other) === unified) return other
  }
  return undefined
}

/**
 * ReplicationControlManager.validateNewTopicNames for one new topic: the name must be valid and
 * must not collide with an existing topic. INVALID_TOPIC_EXCEPTION, e.g. "Topic 'a.b' collides
 * with existing topic: a_b", or undefined. A name equal to an existing topic passes here; the
 * caller answers TOPIC_ALREADY_EXISTS for it, as Kafka does.
 */
export function validateNewTopicName(name: string, existing: Iterable<string>): KafkaError | undefined {
  const invalid = validateTopicName(name)
  if (invalid) return invalid
  const colliding = findCollidingTopic(name, existing)
  if (colliding !== undefined) return new KafkaError('INVALID_TOPIC_EXCEPTION', `Topic '${name}' collides with existing topic: ${colliding}`)
  return undefined
}
