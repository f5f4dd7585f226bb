/**
 * ApiVersions (key 18), versions 0-3 as Kafka 3.7 defines them (ApiVersionsRequest.json /
 * ApiVersionsResponse.json). v3 is flexible and adds the client software name and version
 * (KIP-511) and the feature tagged fields (KIP-584). Its response always travels under
 * response header v0 (see protocol/header.ts).
 */
import type { ApiSchema } from '../protocol/schema.js'

export const apiVersions: ApiSchema = {
  apiKey: 18,
  name: 'ApiVersions',
  request: {
    apiKey: 18,
    name: 'ApiVersionsRequest',
    type: 'request',
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [
      { name: 'ClientSoftwareName', type: 'string', versions: '3+', ignorable: true },
      { name: 'ClientSoftwareVersion', type: 'string', versions: '3+', ignorable: true },
    ],
  },
  response: {
    apiKey: 18,
    name: 'ApiVersionsResponse',
    type: 'response',
    validVersions: '0-3',
    flexibleVersions: '3+',
    fields: [
      { name: 'ErrorCode', type: 'int16', versions: '0+' },
      {
        name: 'ApiKeys',
        type: '[]ApiVersion',
        versions: '0+',
        fields: [
          { name: 'ApiKey', type: 'int16', versions: '0+' },
          { name: 'MinVersion', type: 'int16', versions: '0+' },
          { name: 'MaxVersion', type: 'int16', versions: '0+' },
        ],
      },
      { name: 'ThrottleTimeMs', type: 'int32', versions: '1+', ignorable: true },
      {
        name: 'SupportedFeatures',
        type: '[]SupportedFeatureKey',
        versions: '3+',
        taggedVersions: '3+',
        tag: 0,
        ignorable: true,
        fields: [
          { name: 'Name', type: 'string', versions: '3+' },
          { name: 'MinVersion', type: 'int16', versions: '3+' },
          { name: 'MaxVersion', type: 'int16', versions: '3+' },
        ],
      },
      { name: 'FinalizedFeaturesEpoch', type: 'int64', versions: '3+', taggedVersions: '3+', tag: 1, default: '-1', ignorable: true },
      {
        name: 'FinalizedFeatures',
        type: '[]FinalizedFeatureKey',
        versions: '3+',
        taggedVersions: '3+',
        tag: 2,
        ignorable: true,
        fields: [
          { name: 'Name', type: 'string', versions: '3+' },
          { name: 'MaxVersionLevel', type: 'int16', versions: '3+' },
          { name: 'MinVersionLevel', type: 'int16', versions: '3+' },
        ],
      },
      { name: 'ZkMigrationReady', type: 'bool', versions: '3+', taggedVersions: '3+', tag: 3, default: 'false', ignorable: true },
    ],
  },
}
