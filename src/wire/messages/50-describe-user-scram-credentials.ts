/** DescribeUserScramCredentials (API key 50), Kafka 3.7: version 0 only, flexible (KIP-554). */
import type { ApiSchema } from '../protocol/schema.js'

export const describeUserScramCredentials: ApiSchema = {
  apiKey: 50,
  name: 'DescribeUserScramCredentials',
  request: {
    apiKey: 50,
    name: 'DescribeUserScramCredentialsRequest',
    type: 'request',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      {
        name: 'Users', type: '[]UserName', versions: '0+', nullableVersions: '0+', fields: [
          { name: 'Name', type: 'string', versions: '0+' },
        ],
      },
    ],
  },
  response: {
    apiKey: 50,
    name: 'DescribeUserScramCredentialsResponse',
    type: 'response',
    validVersions: '0',
    flexibleVersions: '0+',
    fields: [
      { name: 'ThrottleTimeMs', type: 'int32', versions: '0+' },
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      { name: 'ErrorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
      {
        name: 'Results', type: '[]DescribeUserScramCredentialsResult', versions: '0+', fields: [
          { name: 'User', type: 'string', versions: '0+' },
          { name: 'ErrorCode', type: 'int16', versions: '0+' },
          { name: 'ErrorMessage', type: 'string', versions: '0+', nullableVersions: '0+' },
          {
            name: 'CredentialInfos', type: '[]CredentialInfo', versions: '0+', fields: [
              { name: 'Mechanism', type: 'int8', versions: '0+' },
              { name: 'Iterations', type: 'int32', versions: '0+' },
            ],
          },
        ],
      },
    ],
  },
}
