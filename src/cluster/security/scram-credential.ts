/**
 * SCRAM credentials (RFC 5802, RFC 7677) as Kafka stores them (ScramCredential: salt,
 * storedKey, serverKey, iterations; KIP-84, KIP-554):
 *   SaltedPassword = PBKDF2(password, salt, iterations)   (Hi() of RFC 5802)
 *   ClientKey = HMAC(SaltedPassword, "Client Key"), StoredKey = H(ClientKey)
 *   ServerKey = HMAC(SaltedPassword, "Server Key")
 */
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto'

export const ScramMechanisms = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const
export type ScramMechanism = (typeof ScramMechanisms)[number]

/** Kafka's ScramMechanism codes in the SCRAM credential APIs (0 is UNKNOWN). */
export const ScramMechanismCode: Record<ScramMechanism, number> = { 'SCRAM-SHA-256': 1, 'SCRAM-SHA-512': 2 }
export function scramMechanismOfCode(code: number): ScramMechanism | undefined {
  return code === 1 ? 'SCRAM-SHA-256' : code === 2 ? 'SCRAM-SHA-512' : undefined
}

/** ScramMechanism.minIterations / maxIterations. */
export const SCRAM_MIN_ITERATIONS = 4096
export const SCRAM_MAX_ITERATIONS = 16384

export interface ScramCredential {
  readonly salt: Buffer
  readonly storedKey: Buffer
  readonly serverKey: Buffer
  readonly iterations: number
}

/** Where the brokers keep SCRAM credentials (ClusterSecurity): what the credential APIs read and change. */
export interface ScramCredentialStore {
  scramCredential(name: string, mechanism: ScramMechanism): ScramCredential | undefined
  setScramCredential(name: string, mechanism: ScramMechanism, credential: ScramCredential): void
  deleteScramCredential(name: string, mechanism: ScramMechanism): boolean
  scramUsers(): string[]
}

export function hashName(mechanism: ScramMechanism): 'sha256' | 'sha512' {
  return mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512'
}

export function saltedPassword(mechanism: ScramMechanism, password: string | Buffer, salt: Buffer, iterations: number): Buffer {
  const hash = hashName(mechanism)
  return pbkdf2Sync(password, salt, iterations, hash === 'sha256' ? 32 : 64, hash)
}

export function hmac(mechanism: ScramMechanism, key: Buffer, data: string | Buffer): Buffer {
  return createHmac(hashName(mechanism), key).update(data).digest()
}

export function hash(mechanism: ScramMechanism, data: Buffer): Buffer {
  return createHash(hashName(mechanism)).update(data).digest()
}

/** The credential from a salted password (what AlterUserScramCredentials upserts carry). */
export function credentialFromSaltedPassword(mechanism: ScramMechanism, salted: Buffer, salt: Buffer, iterations: number): ScramCredential {
  const clientKey = hmac(mechanism, salted, 'Client Key')
  return { salt, iterations, storedKey: hash(mechanism, clientKey), serverKey: hmac(mechanism, salted, 'Server Key') }
}

export function scramCredential(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): ScramCredential {
  return credentialFromSaltedPassword(mechanism, saltedPassword(mechanism, password, salt, iterations), salt, iterations)
}

export function scramSaltedPasswordMatches(mechanism: ScramMechanism, credential: ScramCredential, password: string): boolean {
  const derived = credentialFromSaltedPassword(mechanism, saltedPassword(mechanism, password, credential.salt, credential.iterations), credential.salt, credential.iterations)
  return timingSafeEqual(derived.storedKey, credential.storedKey)
}
