/**
 * The broker's `sasl.jaas.config` (a JAAS configuration entry, as in a KafkaServer section:
 * `<LoginModule class> <flag> key="value" ...;`, one or more). memkafka reads the login modules
 * whose broker-side options it honours and refuses any other:
 * - PlainLoginModule: `user_<name>="<password>"` entries are PLAIN users (PlainServerCallbackHandler);
 *   `username`/`password` are the broker's own inter-broker credentials, unused here;
 * - ScramLoginModule: no broker-side options (the credentials come from AlterUserScramCredentials);
 * - OAuthBearerLoginModule: the unsecured validator's options (OAuthBearerUnsecuredValidatorCallbackHandler).
 */
import { KafkaError } from '../error-codes.js'

export interface JaasEntry {
  readonly loginModule: string
  readonly flag: string
  readonly options: ReadonlyMap<string, string>
}

const PLAIN = 'org.apache.kafka.common.security.plain.PlainLoginModule'
const SCRAM = 'org.apache.kafka.common.security.scram.ScramLoginModule'
const OAUTHBEARER = 'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule'
const FLAGS = new Set(['required', 'requisite', 'sufficient', 'optional'])

const REASON = Symbol('reason')

function invalid(reason: string): KafkaError {
  const error = new KafkaError('INVALID_CONFIG', `Invalid value [hidden] for configuration sasl.jaas.config: ${reason}`)
  ;(error as unknown as Record<symbol, string>)[REASON] = reason
  return error
}

/** Why sasl.jaas.config's value is refused (the config's validator), or undefined. */
export function jaasConfigProblem(text: string | null): string | undefined {
  try {
    jaasSettings(text)
    return undefined
  } catch (error) {
    const reason = (error as Record<symbol, string>)[REASON]
    if (reason === undefined) throw error
    return reason
  }
}

/** Parses the entries (JaasConfig's grammar: quoted values may hold spaces and escaped quotes). */
export function parseJaasConfig(text: string): JaasEntry[] {
  const tokens: string[] = []
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(;)|(=)|([^\s;="]+))/y
  let at = 0
  const trimmed = text.trimEnd()
  while (at < trimmed.length) {
    re.lastIndex = at
    const m = re.exec(trimmed)
    if (!m) throw invalid(`unexpected text at ${at}: ${trimmed.slice(at, at + 20)}`)
    at = re.lastIndex
    tokens.push(m[1] !== undefined ? `"${m[1].replace(/\\(.)/g, '$1')}` : (m[2] ?? m[3] ?? m[4])!)
  }
  const entries: JaasEntry[] = []
  let i = 0
  while (i < tokens.length) {
    const loginModule = tokens[i++]!
    const flag = tokens[i++]
    if (flag === undefined || !FLAGS.has(flag.toLowerCase())) throw invalid(`login module control flag not specified or invalid after ${loginModule}`)
    const options = new Map<string, string>()
    while (tokens[i] !== ';') {
      const key = tokens[i++]
      if (key === undefined) throw invalid('the JAAS entry must end with ";"')
      if (tokens[i++] !== '=') throw invalid(`expected "=" after ${key}`)
      const value = tokens[i++]
      if (value === undefined || value === ';') throw invalid(`no value for ${key}`)
      options.set(key, value.startsWith('"') ? value.slice(1) : value)
    }
    i++
    entries.push({ loginModule, flag: flag.toLowerCase(), options })
  }
  if (entries.length === 0) throw invalid('no login module')
  return entries
}

/** What the brokers take from sasl.jaas.config. */
export interface JaasSettings {
  readonly plainUsers: ReadonlyMap<string, string>
  readonly oauthBearer: OAuthBearerValidatorOptions
}

/** OAuthBearerUnsecuredValidatorCallbackHandler's options, with Kafka's defaults. */
export interface OAuthBearerValidatorOptions {
  readonly principalClaimName: string
  readonly scopeClaimName: string
  /** unsecuredValidatorRequiredScope: space-separated scope values the token must all have. */
  readonly requiredScope: readonly string[]
  readonly allowableClockSkewMs: number
}

export const DEFAULT_OAUTHBEARER_OPTIONS: OAuthBearerValidatorOptions = { principalClaimName: 'sub', scopeClaimName: 'scope', requiredScope: [], allowableClockSkewMs: 0 }

export function jaasSettings(text: string | null): JaasSettings {
  const plainUsers = new Map<string, string>()
  let oauthBearer = DEFAULT_OAUTHBEARER_OPTIONS
  if (text === null || text.trim() === '') return { plainUsers, oauthBearer }
  for (const entry of parseJaasConfig(text)) {
    if (entry.loginModule === PLAIN) {
      for (const [key, value] of entry.options) {
        if (key.startsWith('user_') && key.length > 5) plainUsers.set(key.slice(5), value)
        else if (key !== 'username' && key !== 'password') throw invalid(`PlainLoginModule option ${key} is not one memkafka knows (user_<name>, username, password)`)
      }
    } else if (entry.loginModule === SCRAM) {
      for (const key of entry.options.keys()) {
        if (key !== 'username' && key !== 'password') throw invalid(`ScramLoginModule option ${key} is not one memkafka knows (username, password)`)
      }
    } else if (entry.loginModule === OAUTHBEARER) {
      oauthBearer = oauthBearerOptions(entry.options)
    } else {
      throw invalid(`memkafka does not implement the login module ${entry.loginModule} (only PlainLoginModule, ScramLoginModule and OAuthBearerLoginModule)`)
    }
  }
  return { plainUsers, oauthBearer }
}

function oauthBearerOptions(options: ReadonlyMap<string, string>): OAuthBearerValidatorOptions {
  let result = { ...DEFAULT_OAUTHBEARER_OPTIONS }
  for (const [key, value] of options) {
    if (key === 'unsecuredValidatorPrincipalClaimName') result = { ...result, principalClaimName: value.trim() || 'sub' }
    else if (key === 'unsecuredValidatorScopeClaimName') result = { ...result, scopeClaimName: value.trim() || 'scope' }
    else if (key === 'unsecuredValidatorRequiredScope') result = { ...result, requiredScope: value.split(' ').filter((s) => s !== '') }
    else if (key === 'unsecuredValidatorAllowableClockSkewMs') {
      const n = Number(value)
      if (!Number.isInteger(n) || n < 0) throw invalid(`unsecuredValidatorAllowableClockSkewMs must be a non-negative integer: ${value}`)
      result = { ...result, allowableClockSkewMs: n }
    } else if (!key.startsWith('unsecuredLogin')) {
      // unsecuredLogin* options build the broker's own token for inter-broker connections, which memkafka has none of.
      throw invalid(`OAuthBearerLoginModule option ${key} is not one memkafka knows (unsecuredValidator*, unsecuredLogin*)`)
    }
  }
  return result
}
