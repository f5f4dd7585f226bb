/**
 * AlterUserScramCredentials (51, KIP-554): deletes and upserts SCRAM credentials, as Kafka
 * 3.7's controller does (ScramControlManager.alterCredentials):
 * - a user named more than once in one request (deletion or upsertion, whatever the
 *   mechanism): DUPLICATE_RESOURCE, and none of that user's changes is applied;
 * - an empty user name: UNACCEPTABLE_CREDENTIAL "Username must not be empty";
 * - a mechanism other than SCRAM-SHA-256 (1) or SCRAM-SHA-512 (2): UNSUPPORTED_SASL_MECHANISM;
 * - fewer than 4096 or more than 16384 iterations: UNACCEPTABLE_CREDENTIAL;
 * - deleting a credential the user does not have: RESOURCE_NOT_FOUND.
 * The other users' changes are applied. An upsertion carries the client's salt and salted
 * password; the broker keeps the stored key and server key derived from them, so the user
 * then authenticates with SCRAM on every listener. ALTER on the CLUSTER is checked in
 * security/request-authorization.ts.
 */
import { ErrorCode } from '../error-codes.js'
import { credentialFromSaltedPassword, scramMechanismOfCode, SCRAM_MAX_ITERATIONS, SCRAM_MIN_ITERATIONS, type ScramMechanism } from '../security/scram-credential.js'
import type { BrokerContext } from './broker-context.js'
import type { AlterUserScramCredentialsRequest, AlterUserScramCredentialsResponse } from './messages.js'

type Deletion = AlterUserScramCredentialsRequest['deletions'][number]
type Upsertion = AlterUserScramCredentialsRequest['upsertions'][number]
type Failure = { readonly errorCode: number; readonly errorMessage: string }

const DUPLICATE: Failure = { errorCode: ErrorCode.DUPLICATE_RESOURCE, errorMessage: 'A user credential cannot be altered twice in the same request' }

export function handleAlterUserScramCredentials(cluster: BrokerContext, _brokerId: number, request: AlterUserScramCredentialsRequest): AlterUserScramCredentialsResponse {
  const deletions = new Map<string, { deletion: Deletion; mechanism: ScramMechanism }>()
  const upsertions = new Map<string, { upsertion: Upsertion; mechanism: ScramMechanism }>()
  const failures = new Map<string, Failure>()

  for (const deletion of request.deletions) {
    if (failures.has(deletion.name)) continue
    if (deletions.delete(deletion.name)) {
      failures.set(deletion.name, DUPLICATE)
      continue
    }
    const mechanism = scramMechanismOfCode(deletion.mechanism)
    const failure = nameAndMechanismFailure(deletion.name, mechanism)
      ?? (cluster.security.scramCredential(deletion.name, mechanism!) === undefined
        ? { errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: 'Attempt to delete a user credential that does not exist' }
        : undefined)
    if (failure) failures.set(deletion.name, failure)
    else deletions.set(deletion.name, { deletion, mechanism: mechanism! })
  }
  for (const upsertion of request.upsertions) {
    if (failures.has(upsertion.name)) continue
    if (deletions.delete(upsertion.name) || upsertions.delete(upsertion.name)) {
      failures.set(upsertion.name, DUPLICATE)
      continue
    }
    const mechanism = scramMechanismOfCode(upsertion.mechanism)
    const failure = nameAndMechanismFailure(upsertion.name, mechanism)
      ?? (upsertion.iterations < SCRAM_MIN_ITERATIONS
        ? { errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: 'Too few iterations' }
        : upsertion.iterations > SCRAM_MAX_ITERATIONS
          ? { errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: 'Too many iterations' }
          : undefined)
    if (failure) failures.set(upsertion.name, failure)
    else upsertions.set(upsertion.name, { upsertion, mechanism: mechanism! })
  }

  const results: AlterUserScramCredentialsResponse['results'][number][] = []
  for (const [user, { mechanism }] of deletions) {
    cluster.security.deleteScramCredential(user, mechanism)
    cluster.eventLog.record({ type: 'userChanged', user, change: `${mechanism} credential deleted (AlterUserScramCredentials)` })
    results.push({ user, errorCode: 0, errorMessage: null })
  }
  for (const [user, { upsertion, mechanism }] of upsertions) {
    const credential = credentialFromSaltedPassword(mechanism, Buffer.from(upsertion.saltedPassword), Buffer.from(upsertion.salt), upsertion.iterations)
    cluster.security.setScramCredential(user, mechanism, credential)
    cluster.eventLog.record({ type: 'userChanged', user, change: `${mechanism} credential set, ${upsertion.iterations} iterations (AlterUserScramCredentials)` })
    results.push({ user, errorCode: 0, errorMessage: null })
  }
  for (const [user, failure] of failures) results.push({ user, ...failure })
  return { results }
}

function nameAndMechanismFailure(name: string, mechanism: ScramMechanism | undefined): Failure | undefined {
  if (name === '') return { errorCode: ErrorCode.UNACCEPTABLE_CREDENTIAL, errorMessage: 'Username must not be empty' }
  if (mechanism === undefined) return { errorCode: ErrorCode.UNSUPPORTED_SASL_MECHANISM, errorMessage: 'Unknown SCRAM mechanism' }
  return undefined
}
