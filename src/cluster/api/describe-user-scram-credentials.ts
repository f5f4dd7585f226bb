/**
 * DescribeUserScramCredentials (50, KIP-554): the SCRAM mechanisms and iteration counts each
 * user has, never the keys, as Kafka 3.7's KRaft metadata image answers (ScramImage.describe):
 * - no users (null or empty): every user with a SCRAM credential;
 * - a user asked twice: DUPLICATE_RESOURCE, once;
 * - a user without a credential: RESOURCE_NOT_FOUND.
 * DESCRIBE on the CLUSTER is checked in security/request-authorization.ts.
 */
import { ErrorCode } from '../error-codes.js'
import { ScramMechanismCode, ScramMechanisms } from '../security/scram-credential.js'
import type { BrokerContext } from './broker-context.js'
import type { DescribeUserScramCredentialsRequest, DescribeUserScramCredentialsResponse } from './messages.js'

const DESCRIBE_DUPLICATE_USER = 'Cannot describe SCRAM credentials for the same user twice in a single request: '
const DESCRIBE_USER_THAT_DOES_NOT_EXIST = 'Attempt to describe a user credential that does not exist: '

export function handleDescribeUserScramCredentials(
  cluster: BrokerContext,
  _brokerId: number,
  request: DescribeUserScramCredentialsRequest,
): DescribeUserScramCredentialsResponse {
  /** user -> asked more than once. */
  const users = new Map<string, boolean>()
  if (request.users === null || request.users.length === 0) {
    for (const user of cluster.security.scramUsers().sort()) users.set(user, false)
  } else {
    for (const user of request.users) users.set(user, users.has(user))
  }
  const results: DescribeUserScramCredentialsResponse['results'][number][] = []
  for (const [user, duplicated] of users) {
    if (duplicated) {
      results.push({ user, errorCode: ErrorCode.DUPLICATE_RESOURCE, errorMessage: DESCRIBE_DUPLICATE_USER + user, credentialInfos: [] })
      continue
    }
    const credentialInfos: { mechanism: number; iterations: number }[] = []
    for (const mechanism of ScramMechanisms) {
      const credential = cluster.security.scramCredential(user, mechanism)
      if (credential) credentialInfos.push({ mechanism: ScramMechanismCode[mechanism], iterations: credential.iterations })
    }
    if (credentialInfos.length > 0) results.push({ user, errorCode: 0, errorMessage: null, credentialInfos })
    else results.push({ user, errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: DESCRIBE_USER_THAT_DOES_NOT_EXIST + user, credentialInfos: [] })
  }
  return { errorCode: 0, errorMessage: null, results }
}
