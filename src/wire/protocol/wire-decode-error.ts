/**
 * The one error a malformed frame raises while it is decoded: a length past the end of the
 * frame, a varint longer than its type allows, a null where the schema forbids one, a version
 * the schema does not define. The server answers it as Kafka does a request it cannot parse
 * (it closes the connection); nothing else may escape the decoder.
 */
export class WireDecodeError extends Error {
  override readonly name = 'WireDecodeError'
}

/**
 * A message the wire layer was asked to encode that its schema cannot carry at that version:
 * a non-nullable field set to null, a non-ignorable field set at a version without it (Kafka's
 * UnsupportedVersionException in the generated write()), a value outside its type's range.
 * Always a bug in the code that built the message, never in what a client sent.
 */
export class WireEncodeError extends Error {
  override readonly name = 'WireEncodeError'
}
