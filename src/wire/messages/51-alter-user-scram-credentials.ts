/** AlterUserScramCredentials (API key 51), Kafka 3.7: version 0 only, flexible (KIP-554). */
import type { ApiSchema } from '../protocol/schema.js'

export const alterUserScramCredentials: ApiSchema = {
  apiKey: 51,
  name: 'AlterUserScramCredentials',
  request: {
    apiKey: 51,
    name: 'AlterUserScramCredentialsRequest',
    type: 'request',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      {
        name: 'Deletions', type: '[]ScramCredentialDeletion', versions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          { name: 'Mechanism', type: 'int8', versions: '0+' },
        ],
      },
      {
        name: 'Upsertions', type: '[]ScramCredentialUpsertion', versions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+' },
          { name: 'Mechanism', type: 'int8', versions: '0+' },
          { name: 'Iterations', type: 'int32', versions: '0+' },
          { name: 'Salt', type: 'bytes', versions: '0+' },
          { name: 'SaltedPassword', type: 'bytes', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    apiKey: 51,
    name: 'AlterUserScramCredentialsResponse',
    type: 'response',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      {
        name: 'Results', type: '[]AlterUserScramCredentialsResult', versions: '0+', fields: [
          { name: 'User', type: 'string', versions: '0+' },
          { name: 'ErrorCode', type: 'int16', versions: '0+' },
          { name: 'ErrorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
        ],
      },
    ],
  },
}
