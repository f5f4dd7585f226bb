/**
 * Keys and passwords are Kafka PASSWORD configs: DescribeConfigs reports them as sensitive,
 * with no value, while the listener uses them.
 */
import { describe, expect, it } from 'vitest'
import { Cluster } from '../../../src/client/cluster.js'
import { createCertificateAuthority, issueCertificate } from '../../../src/wire/tls/self-signed-certificate.js'

describe('TLS configs in DescribeConfigs', () => {
  it('hides ssl.keystore.key and ssl.keystore.certificate.chain, shows ssl.keystore.type', async () => {
    const ca = createCertificateAuthority()
    const leaf = issueCertificate(ca, { hosts: ['localhost'], usage: 'server' })
    const cluster = new Cluster({ brokerConfig: { listeners: 'SSL://:9093', 'ssl.keystore.type': 'PEM', 'ssl.keystore.key': leaf.keyPem, 'ssl.keystore.certificate.chain': leaf.certificatePem } as never })
    const admin = cluster.kafka({ clientId: 'describe', ssl: true }).admin()
    await admin.connect()
    const { resources } = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: 4, name: '0', configNames: ['ssl.keystore.key', 'ssl.keystore.certificate.chain', 'ssl.keystore.type'] }] } as never)
    const entries = Object.fromEntries(resources[0]!.configEntries.map((e) => [e.configName, e]))
    for (const name of ['ssl.keystore.key', 'ssl.keystore.certificate.chain']) {
      expect(entries[name]!.configValue).toBeNull()
      expect(entries[name]!.isSensitive).toBe(true)
      expect(JSON.stringify(entries[name])).not.toContain('BEGIN')
    }
    expect(entries['ssl.keystore.type']!.configValue).toBe('PEM')
    await admin.disconnect()
    await cluster.close()
  })
})
