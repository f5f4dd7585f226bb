/**
 * DescribeUserScramCredentials: v0 (always flexible).
 *
 * Behavior: each user's SCRAM mechanisms and iteration counts (never the keys); null or no
 * users: every user with a credential; RESOURCE_NOT_FOUND for a user without one,
 * DUPLICATE_RESOURCE for a user asked twice; CLUSTER_AUTHORIZATION_FAILED without DESCRIBE on
 * the cluster.
 */
import type { WireApi } from '../api.js'
import type { WireMessage } from '../protocol/schema.js'

export const describeUserScramCredentialsApi: WireApi = {
  apiKey: 50,
  name: 'DescribeUserScramCredentials',
  minVersion: 0,
  maxVersion: 0,
  async handle(request: WireMessage, ctx) {
    const users = request.users as { name: string }[] | null
    const response = await ctx.cluster.send(ctx.brokerId, { api: 'DescribeUserScramCredentials', users: users === null ? null : users.map((u) => u.name) }, ctx.source)
    return {
      throttleTimeMs: 0,
      errorCode: response.errorCode,
      errorMessage: response.errorMessage,
      results: response.results.map((r) => ({ user: r.user, errorCode: r.errorCode, errorMessage: r.errorMessage, credentialInfos: r.credentialInfos.map((c) => ({ ...c })) })),
    }
  },
}
