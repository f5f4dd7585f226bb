/**
 * The request boundary's messages of the SCRAM credential APIs (kept beside messages.ts, which re-exports them).
 */
// DescribeUserScramCredentials (50), AlterUserScramCredentials (51) (KIP-554); mechanisms by
// Kafka's ScramMechanism codes (1 SCRAM-SHA-256, 2 SCRAM-SHA-512)

export interface DescribeUserScramCredentialsRequest {
  readonly api: 'DescribeUserScramCredentials'
  /** null or empty: every user with a SCRAM credential. */
  readonly users: readonly string[] | null
}
export interface DescribeUserScramCredentialsResponse {
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly results: {
    readonly user: string
    readonly errorCode: number
    readonly errorMessage: string | null
    readonly credentialInfos: { readonly mechanism: number; readonly iterations: number }[]
  }[]
}
export interface AlterUserScramCredentialsRequest {
  readonly api: 'AlterUserScramCredentials'
  readonly deletions: readonly { readonly name: string; readonly mechanism: number }[]
  readonly upsertions: readonly { readonly name: string; readonly mechanism: number; readonly iterations: number; readonly salt: Buffer; readonly saltedPassword: Buffer }[]
}
export interface AlterUserScramCredentialsResponse {
  readonly results: { readonly user: string; readonly errorCode: number; readonly errorMessage: string | null }[]
}
