/**
 * AlterUserScramCredentials: v0 (always flexible).
 *
 * Behavior: deletes and upserts SCRAM credentials per user (the client sends the salt and the
 * salted password; the broker keeps the stored and server keys), each user's outcome in its
 * own result: DUPLICATE_RESOURCE, UNACCEPTABLE_CREDENTIAL, UNSUPPORTED_SASL_MECHANISM,
 * RESOURCE_NOT_FOUND as the controller answers; CLUSTER_AUTHORIZATION_FAILED without ALTER on
 * the cluster.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

interface Deletion {
  name: string
  mechanism: number
}
interface Upsertion extends Deletion {
  iterations: number
  salt: Buffer
  saltedPassword: Buffer
}

export const alterUserScramCredentialsApi: WireApi = {
  apiKey: 51,
  name: 'AlterUserScramCredentials',
  minVersion: 0,
  maxVersion: 0,
  async handle(request: WireMessage, ctx) {
    const deletions = (request.deletions as Deletion[]).map((d) => ({ name: d.name, mechanism: d.mechanism }))
    const upsertions = (request.upsertions as Upsertion[]).map((u) => ({ name: u.name, mechanism: u.mechanism, iterations: u.iterations, salt: u.salt, saltedPassword: u.saltedPassword }))
    const response = await ctx.cluster.send(ctx.brokerId, { api: 'AlterUserScramCredentials', deletions, upsertions }, ctx.source)
    return { throttleTimeMs: 0, results: response.results.map((r) => ({ ...r })) }
  },
}
