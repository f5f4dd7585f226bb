/**
 * A TLS listener's settings from the broker's ssl.* configs under Kafka's names (KIP-651 PEM
 * key stores): the key and certificate chain inline (ssl.keystore.certificate.chain,
 * ssl.keystore.key) or in one PEM file (ssl.keystore.location), the trusted CAs inline
 * (ssl.truststore.certificates) or in a PEM file (ssl.truststore.location), and
 * ssl.client.auth. JKS and PKCS12 stores are refused with a reason: memkafka reads PEM only.
 *
 * With no key store configured at all, memkafka makes a self-signed CA and a server
 * certificate for the advertised host (self-signed-certificate.ts) and hands the CA back so
 * clients can verify the broker; a real broker would refuse to start instead.
 */
import { readFileSync } from 'node:fs'
import type { ClusterModel } from '../../cluster/cluster-model.js'
import { selfSignedServerMaterial } from './self-signed-certificate.js'

export type ClientAuth = 'required' | 'requested' | 'none'

export interface TlsSettings {
  readonly key: string
  readonly cert: string
  readonly passphrase?: string
  /** The CAs client certificates are verified against (undefined: none configured). */
  readonly ca?: string
  readonly clientAuth: ClientAuth
  /** The CA certificate (PEM) of a self-signed key store made at listen(); undefined when configured. */
  readonly generatedCaPem?: string
}

export class TlsConfigError extends Error {}

/** Reads the ssl.* configs; throws TlsConfigError naming the config at fault. */
export function tlsSettings(cluster: ClusterModel, advertisedHost: string | readonly string[]): TlsSettings {
  const get = (name: string): string | null => {
    const value = cluster.config.broker.get(name as never) as unknown
    return value === null || value === undefined || value === '' ? null : String(value)
  }
  const clientAuth = (get('ssl.client.auth') ?? 'none') as ClientAuth
  const keystoreType = get('ssl.keystore.type') ?? 'JKS'
  const keystoreLocation = get('ssl.keystore.location')
  const inlineChain = get('ssl.keystore.certificate.chain')
  const inlineKey = get('ssl.keystore.key')
  const passphrase = get('ssl.key.password') ?? get('ssl.keystore.password') ?? undefined

  let key: string
  let cert: string
  let generatedCaPem: string | undefined
  if (keystoreLocation === null && inlineChain === null && inlineKey === null) {
    const material = selfSignedServerMaterial(advertisedHost)
    ;({ keyPem: key, certificatePem: cert, caPem: generatedCaPem } = material)
    // The chain the broker sends ends with the CA, as a PEM key store's chain does.
    cert = `${cert}${generatedCaPem}`
  } else {
    if (keystoreType !== 'PEM') {
      throw new TlsConfigError(`ssl.keystore.type=${keystoreType}: memkafka reads PEM key stores only (set ssl.keystore.type=PEM, KIP-651)`)
    }
    if (keystoreLocation !== null) {
      if (inlineChain !== null || inlineKey !== null) throw new TlsConfigError('ssl.keystore.location cannot be combined with ssl.keystore.certificate.chain / ssl.keystore.key')
      const text = readPem('ssl.keystore.location', keystoreLocation)
      key = pemBlocks(text, /PRIVATE KEY/).join('')
      cert = pemBlocks(text, /^CERTIFICATE$/).join('')
      if (key === '') throw new TlsConfigError(`ssl.keystore.location ${keystoreLocation} has no PRIVATE KEY block`)
      if (cert === '') throw new TlsConfigError(`ssl.keystore.location ${keystoreLocation} has no CERTIFICATE block`)
    } else {
      if (inlineChain === null || inlineKey === null) throw new TlsConfigError('ssl.keystore.certificate.chain and ssl.keystore.key must be set together')
      key = inlineKey
      cert = inlineChain
    }
  }

  const truststoreType = get('ssl.truststore.type') ?? 'JKS'
  const truststoreLocation = get('ssl.truststore.location')
  const inlineTrust = get('ssl.truststore.certificates')
  let ca: string | undefined
  if (truststoreLocation !== null || inlineTrust !== null) {
    if (truststoreType !== 'PEM') throw new TlsConfigError(`ssl.truststore.type=${truststoreType}: memkafka reads PEM trust stores only (set ssl.truststore.type=PEM, KIP-651)`)
    if (truststoreLocation !== null && inlineTrust !== null) throw new TlsConfigError('ssl.truststore.location cannot be combined with ssl.truststore.certificates')
    ca = inlineTrust ?? readPem('ssl.truststore.location', truststoreLocation!)
    if (pemBlocks(ca, /^CERTIFICATE$/).length === 0) throw new TlsConfigError('the trust store has no CERTIFICATE block')
  }
  if (clientAuth !== 'none' && ca === undefined) {
    throw new TlsConfigError(`ssl.client.auth=${clientAuth} needs the CAs that sign client certificates (ssl.truststore.certificates or ssl.truststore.location with ssl.truststore.type=PEM)`)
  }
  return {
    key,
    cert,
    clientAuth,
    ...(passphrase === undefined ? {} : { passphrase }),
    ...(ca === undefined ? {} : { ca }),
    ...(generatedCaPem === undefined ? {} : { generatedCaPem }),
  }
}

function readPem(config: string, path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    throw new TlsConfigError(`${config}: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}

/** The PEM blocks whose label matches. */
function pemBlocks(text: string, label: RegExp): string[] {
  const out: string[] = []
  for (const m of text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)) if (label.test(m[1]!)) out.push(`${m[0]}\n`)
  return out
}
