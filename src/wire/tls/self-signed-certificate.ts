/**
 * The certificates a TLS listener serves when no key material is configured: a self-signed CA
 * and a server certificate it signs, for the advertised host (and localhost, 127.0.0.1, ::1),
 * so that a client given the CA file verifies the broker as it would a real one
 * (ssl.endpoint.identification.algorithm=https checks the SAN).
 *
 * X.509 v3 (RFC 5280) encoded here with der.ts and signed with node:crypto: ECDSA P-256 with
 * SHA-256 keys, which every Kafka client's TLS stack accepts (OpenSSL for librdkafka and Node,
 * Go's crypto/tls, Java's JSSE) and which take a millisecond to make. Keys and serial numbers
 * are secret randomness from node:crypto, not the cluster's seeded Random. Validity runs from
 * 2000-01-01 to 9999-12-31 (RFC 5280 4.1.2.5: "no well-defined expiration date"), so no clock
 * is read and a virtual clock cannot make a certificate expire.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import { isIP } from 'node:net'
import { Tag, bitString, boolean, explicit, octetString, oid, sequence, set, smallInteger, tlv, unsignedInteger, utf8String } from './der.js'

export interface ServerKeyMaterial {
  /** The CA's certificate (PEM): what clients trust (ssl.ca.location, kafkajs ssl.ca). */
  readonly caPem: string
  /** The server certificate (PEM). */
  readonly certificatePem: string
  /** The server certificate's private key (PKCS#8 PEM). */
  readonly keyPem: string
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2'
const OID_CN = '2.5.4.3'
const OID_O = '2.5.4.10'
const EXT_SUBJECT_KEY_ID = '2.5.29.14'
const EXT_KEY_USAGE = '2.5.29.15'
const EXT_SUBJECT_ALT_NAME = '2.5.29.17'
const EXT_BASIC_CONSTRAINTS = '2.5.29.19'
const EXT_AUTHORITY_KEY_ID = '2.5.29.35'
const EXT_EXTENDED_KEY_USAGE = '2.5.29.37'
const KP_SERVER_AUTH = '1.3.6.1.5.5.7.3.1'
const KP_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2'

/** A distinguished name from its RDNs in certificate order (the most significant first). */
export function distinguishedName(rdns: readonly (readonly [string, string])[]): Buffer {
  return sequence(...rdns.map(([type, value]) => set(sequence(oid(type), utf8String(value)))))
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value))
}

/** KeyUsage bits (RFC 5280 4.2.1.3) as a BIT STRING, bit 0 the most significant. */
function keyUsage(bits: readonly number[]): Buffer {
  let value = 0
  for (const bit of bits) value |= 0x80 >> bit
  // Trailing zero bits are not encoded in DER's named bit lists (X.690 11.2.2).
  let unused = 0
  while (unused < 7 && (value & (1 << unused)) === 0) unused++
  return tlv(Tag.BIT_STRING, Buffer.from([unused, value]))
}

/** The subjectAltName entries: a DNS name, or an IP address for an IP literal. */
function subjectAltNames(hosts: readonly string[]): Buffer {
  const names: Buffer[] = []
  for (const host of new Set(hosts)) {
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
    const version = isIP(bare)
    if (version === 4) names.push(tlv(0x87, Buffer.from(bare.split('.').map(Number))))
    else if (version === 6) names.push(tlv(0x87, ipv6Bytes(bare)))
    else if (bare !== '') names.push(tlv(0x82, Buffer.from(bare, 'ascii')))
  }
  return sequence(...names)
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail] = address.split('::') as [string, string | undefined]
  const h = head === '' ? [] : head.split(':')
  const t = tail === undefined || tail === '' ? [] : tail.split(':')
  const groups = [...h, ...Array.from({ length: tail === undefined ? 0 : 8 - h.length - t.length }, () => '0'), ...t]
  const out = Buffer.alloc(16)
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2))
  return out
}

function keyIdentifier(publicKey: KeyObject): Buffer {
  // RFC 5280 4.2.1.2 method (1): the SHA-1 of the subjectPublicKey bits. The SPKI's last 65
  // bytes are the uncompressed P-256 point, which is those bits.
  const spki = publicKey.export({ type: 'spki', format: 'der' })
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest()
}

interface CertificateSpec {
  readonly subject: Buffer
  readonly issuer: Buffer
  readonly publicKey: KeyObject
  readonly issuerPublicKey: KeyObject
  readonly signingKey: KeyObject
  readonly extensions: readonly Buffer[]
}

/** Builds and signs one certificate; returns its DER. */
export function signCertificate(spec: CertificateSpec): Buffer {
  const algorithm = sequence(oid(ECDSA_WITH_SHA256))
  const serial = randomBytes(16)
  serial[0] = serial[0]! & 0x7f // positive, at most 20 octets (RFC 5280 4.1.2.2)
  const validity = sequence(tlv(Tag.UTC_TIME, Buffer.from('000101000000Z', 'ascii')), tlv(Tag.GENERALIZED_TIME, Buffer.from('99991231235959Z', 'ascii')))
  const extensions = [
    ...spec.extensions,
    extension(EXT_SUBJECT_KEY_ID, false, octetString(keyIdentifier(spec.publicKey))),
    extension(EXT_AUTHORITY_KEY_ID, false, sequence(tlv(0x80, keyIdentifier(spec.issuerPublicKey)))),
  ]
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serial),
    algorithm,
    spec.issuer,
    validity,
    spec.subject,
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions)),
  )
  const signature = sign('sha256', tbs, spec.signingKey) // DER-encoded ECDSA-Sig-Value
  return sequence(tbs, algorithm, bitString(signature))
}

export function toPem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

function newKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
}

export interface CertificateAuthority {
  readonly certificatePem: string
  readonly name: Buffer
  readonly publicKey: KeyObject
  readonly privateKey: KeyObject
}

/** A self-signed CA that can sign server and client certificates. */
export function createCertificateAuthority(commonName = 'memkafka CA'): CertificateAuthority {
  const { publicKey, privateKey } = newKeyPair()
  const name = distinguishedName([
    [OID_O, 'memkafka'],
    [OID_CN, commonName],
  ])
  const der = signCertificate({
    subject: name,
    issuer: name,
    publicKey,
    issuerPublicKey: publicKey,
    signingKey: privateKey,
    extensions: [extension(EXT_BASIC_CONSTRAINTS, true, sequence(boolean(true))), extension(EXT_KEY_USAGE, true, keyUsage([5, 6]))], // keyCertSign, cRLSign
  })
  return { certificatePem: toPem('CERTIFICATE', der), name, publicKey, privateKey }
}

/**
 * A certificate signed by `ca`: a server certificate for `hosts` (its subjectAltName), or a
 * client certificate whose subject is `subject` (RDNs in certificate order).
 */
export function issueCertificate(
  ca: CertificateAuthority,
  options: { readonly hosts?: readonly string[]; readonly subject?: readonly (readonly [string, string])[]; readonly usage: 'server' | 'client' },
): { certificatePem: string; keyPem: string } {
  const { publicKey, privateKey } = newKeyPair()
  const hosts = options.hosts ?? []
  const subject = distinguishedName(options.subject ?? [[OID_CN, hosts[0] ?? 'memkafka']])
  const extensions = [
    extension(EXT_BASIC_CONSTRAINTS, true, sequence()),
    extension(EXT_KEY_USAGE, true, keyUsage([0, 4])), // digitalSignature, keyAgreement (ECDHE/ECDSA)
    extension(EXT_EXTENDED_KEY_USAGE, false, sequence(oid(options.usage === 'server' ? KP_SERVER_AUTH : KP_CLIENT_AUTH))),
  ]
  if (hosts.length > 0) extensions.push(extension(EXT_SUBJECT_ALT_NAME, false, subjectAltNames(hosts)))
  const der = signCertificate({ subject, issuer: ca.name, publicKey, issuerPublicKey: ca.publicKey, signingKey: ca.privateKey, extensions })
  return { certificatePem: toPem('CERTIFICATE', der), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string }
}

/** The key material of a TLS listener with nothing configured: a new CA and a server certificate for the advertised host(s). */
export function selfSignedServerMaterial(advertisedHosts: string | readonly string[]): ServerKeyMaterial {
  const ca = createCertificateAuthority()
  const leaf = issueCertificate(ca, { hosts: [...(typeof advertisedHosts === 'string' ? [advertisedHosts] : advertisedHosts), 'localhost', '127.0.0.1', '::1'], usage: 'server' })
  return { caPem: ca.certificatePem, certificatePem: leaf.certificatePem, keyPem: leaf.keyPem }
}

