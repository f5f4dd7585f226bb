/**
 * The principal of a TLS connection with a client certificate, as Kafka's
 * DefaultKafkaPrincipalBuilder gives it with ssl.principal.mapping.rules=DEFAULT:
 * "User:" + the subject's X500Principal.getName(), i.e. RFC 2253: the RDNs in reverse order of
 * the certificate (the most specific first), joined by ",", multi-valued RDNs joined by "+",
 * the attribute types Java's X500Principal knows by keyword (CN, C, L, ST, O, OU, STREET, DC,
 * UID) and any other as its dotted OID with the value's DER in hex ("1.2.840.113549.1.9.1=#16...").
 */
import { DerError, Tag, oidToString, readElements, readOne } from './der.js'

const KEYWORDS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
}

/** String types whose value RFC 2253 writes as text. */
const STRING_TAGS = new Set<number>([Tag.UTF8_STRING, Tag.PRINTABLE_STRING, Tag.IA5_STRING, 0x14 /* T61 */, 0x1e /* BMP */, 0x1c /* Universal */])

/** The subject of a DER certificate in RFC 2253 form. Throws DerError on a malformed certificate. */
export function certificateSubjectRfc2253(certificate: Buffer): string {
  const cert = readOne(certificate, Tag.SEQUENCE, 'Certificate')
  const tbs = readOne(cert.content, Tag.SEQUENCE, 'TBSCertificate')
  const fields = readElements(tbs.content)
  // [0] version is optional; then serial, signature, issuer, validity, subject.
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0
  const subject = fields[offset + 4]
  if (!subject || subject.tag !== Tag.SEQUENCE) throw new DerError('the certificate has no subject')
  return nameRfc2253(subject.content)
}

/** RFC 2253 of a Name's RDNSequence content. */
export function nameRfc2253(rdnSequence: Buffer): string {
  const rdns = readElements(rdnSequence).map((rdn) => {
    if (rdn.tag !== Tag.SET) throw new DerError('an RDN that is not a SET')
    return readElements(rdn.content)
      .map((ava) => {
        const [type, value] = readElements(ava.content)
        if (!type || type.tag !== Tag.OID || !value) throw new DerError('a malformed attribute')
        const id = oidToString(type.content)
        const keyword = KEYWORDS[id]
        if (keyword !== undefined && STRING_TAGS.has(value.tag)) return `${keyword}=${escapeValue(decodeString(value.tag, value.content))}`
        return `${keyword ?? id}=#${value.encoded.toString('hex')}`
      })
      .join('+')
  })
  return rdns.reverse().join(',')
}

function decodeString(tag: number, content: Buffer): string {
  if (tag === 0x1e) return Buffer.from(content).swap16().toString('utf16le')
  if (tag === Tag.UTF8_STRING) return content.toString('utf8')
  return content.toString('latin1')
}

/** RFC 2253 2.4: a backslash before , + " \ < > ; anywhere, before a leading # or space, and before a trailing space. */
function escapeValue(value: string): string {
  let out = value.replace(/[,+"\\<>;]/g, (c) => `\\${c}`)
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `
  return out
}
