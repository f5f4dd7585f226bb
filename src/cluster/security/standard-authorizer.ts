/**
 * The ACL store and its decisions, with the rules of Kafka's StandardAuthorizer (KIP-801,
 * org.apache.kafka.metadata.authorizer.StandardAuthorizerData):
 * - a super user (super.users) is allowed everything;
 * - the ACLs that apply to a resource are its LITERAL ACLs, the LITERAL wildcard "*" ACLs of
 *   its type, and every PREFIXED ACL whose prefix starts its name;
 * - an ACL matches when its principal is the caller's or "User:*", its host the caller's or "*",
 *   and its operation ALL, the requested one, or (ALLOW only) one that implies it: READ, WRITE,
 *   DELETE and ALTER imply DESCRIBE, ALTER_CONFIGS implies DESCRIBE_CONFIGS;
 * - any matching DENY refuses; otherwise any matching ALLOW permits;
 * - a resource with no ACL at all is allowed only with allow.everyone.if.no.acl.found=true.
 * Decisions are cached per (principal, host, operation, resource) until the ACLs change, so a
 * check on the produce and fetch paths is one Map lookup.
 */
import {
  AclOperation,
  AclPatternType,
  AclPermissionType,
  WILDCARD_HOST,
  WILDCARD_PRINCIPAL,
  WILDCARD_RESOURCE,
  bindingKey,
  filterMatches,
  type AclBinding,
  type AclBindingFilter,
} from './acl.js'

/** Who asks, and from where (Kafka's RequestContext principal and client address). */
export interface Session {
  /** "User:alice"; "User:ANONYMOUS" on a PLAINTEXT listener. */
  readonly principal: string
  /** The client's IP address, without Kafka's leading slash ("127.0.0.1"). */
  readonly host: string
}

export const ANONYMOUS_PRINCIPAL = 'User:ANONYMOUS'

export interface AuthorizerSettings {
  readonly superUsers: readonly string[]
  readonly allowEveryoneIfNoAclFound: boolean
}

interface ResourceAcls {
  readonly literal: Map<string, AclBinding[]>
  readonly prefixed: Map<string, AclBinding[]>
}

/** True when an ACL's operation covers the requested one (AclEntry/StandardAcl rules). */
export function operationMatches(aclOperation: number, permissionType: number, requested: number): boolean {
  if (aclOperation === AclOperation.ALL || aclOperation === requested) return true
  // Implied operations apply only to ALLOW: DENY READ does not deny DESCRIBE.
  if (permissionType !== AclPermissionType.ALLOW) return false
  if (requested === AclOperation.DESCRIBE) {
    return aclOperation === AclOperation.READ || aclOperation === AclOperation.WRITE || aclOperation === AclOperation.DELETE || aclOperation === AclOperation.ALTER
  }
  if (requested === AclOperation.DESCRIBE_CONFIGS) return aclOperation === AclOperation.ALTER_CONFIGS
  return false
}

export class StandardAuthorizer {
  private readonly bindings = new Map<string, AclBinding>()
  private readonly byType = new Map<number, ResourceAcls>()
  private readonly decisions = new Map<string, Map<number, Map<string, boolean>>>()
  /** The table of the last (principal, host) asked about, for the runs of requests from one client. */
  private lastDecisions: Map<number, Map<string, boolean>> | undefined
  private lastPrincipal = ''
  private lastHost = ''
  /** The longest PREFIXED pattern per resource type: prefixes longer than it need no lookup. */
  private readonly longestPrefix = new Map<number, number>()

  constructor(private readonly settings: () => AuthorizerSettings) {}

  /** Every stored binding, in creation order. */
  acls(): AclBinding[] {
    return [...this.bindings.values()]
  }

  get size(): number {
    return this.bindings.size
  }

  /** Stores a binding (a duplicate is stored once, as Kafka does). */
  add(binding: AclBinding): void {
    const key = bindingKey(binding)
    if (this.bindings.has(key)) return
    const copy: AclBinding = { ...binding }
    this.bindings.set(key, copy)
    this.indexOf(copy.resourceType, copy.patternType, copy.resourceName).push(copy)
    if (copy.patternType === AclPatternType.PREFIXED) {
      this.longestPrefix.set(copy.resourceType, Math.max(this.longestPrefix.get(copy.resourceType) ?? 0, copy.resourceName.length))
    }
    this.forgetDecisions()
  }

  /** Removes and returns every binding the filter matches. */
  remove(filter: AclBindingFilter): AclBinding[] {
    const removed = this.matching(filter)
    for (const b of removed) {
      this.bindings.delete(bindingKey(b))
      const list = this.indexOf(b.resourceType, b.patternType, b.resourceName)
      list.splice(list.indexOf(b), 1)
    }
    if (removed.length > 0) this.forgetDecisions()
    return removed
  }

  matching(filter: AclBindingFilter): AclBinding[] {
    return [...this.bindings.values()].filter((b) => filterMatches(filter, b))
  }

  /** Drops every cached decision: the ACLs or the settings they were made under have changed. */
  private forgetDecisions(): void {
    this.decisions.clear()
    this.lastDecisions = undefined
  }

  /** Whether the session may perform the operation on the named resource. */
  authorize(session: Session, operation: number, resourceType: number, resourceName: string): boolean {
    // Cached per (principal, host), then per (resource type, operation), then per name: no
    // string is built per check on the hot paths.
    let bySession = this.lastDecisions
    if (bySession === undefined || session.principal !== this.lastPrincipal || session.host !== this.lastHost) {
      const sessionKey = session.principal + '\u0000' + session.host
      bySession = this.decisions.get(sessionKey)
      if (!bySession) {
        if (this.decisions.size > 10_000) this.decisions.clear()
        this.decisions.set(sessionKey, (bySession = new Map()))
      }
      // Requests come in runs from one client: the last session's table is kept at hand.
      this.lastPrincipal = session.principal
      this.lastHost = session.host
      this.lastDecisions = bySession
    }
    const actionKey = resourceType * 64 + operation
    let byName = bySession.get(actionKey)
    if (!byName) bySession.set(actionKey, (byName = new Map()))
    const cached = byName.get(resourceName)
    if (cached !== undefined) return cached
    const decision = this.decide(session, operation, resourceType, resourceName)
    if (byName.size > 100_000) byName.clear()
    byName.set(resourceName, decision)
    return decision
  }

  private decide(session: Session, operation: number, resourceType: number, resourceName: string): boolean {
    const settings = this.settings()
    if (settings.superUsers.includes(session.principal)) return true
    const applicable = this.applicableAcls(resourceType, resourceName)
    if (applicable.length === 0) return settings.allowEveryoneIfNoAclFound
    let allowed = false
    for (const acl of applicable) {
      if (acl.principal !== session.principal && acl.principal !== WILDCARD_PRINCIPAL) continue
      if (acl.host !== session.host && acl.host !== WILDCARD_HOST) continue
      if (!operationMatches(acl.operation, acl.permissionType, operation)) continue
      if (acl.permissionType === AclPermissionType.DENY) return false
      allowed = true
    }
    return allowed
  }

  /**
   * Authorizer.authorizeByResourceType: whether some resource of the type, perhaps not yet
   * existing, could be acted on: an ALLOW (literal, prefixed or wildcard) not covered by a DENY.
   * InitProducerId without a transactional id asks it for WRITE on any TOPIC.
   */
  authorizeByResourceType(session: Session, operation: number, resourceType: number): boolean {
    const settings = this.settings()
    if (settings.superUsers.includes(session.principal)) return true
    const relevant = [...this.bindings.values()].filter(
      (acl) =>
        acl.resourceType === resourceType &&
        (acl.principal === session.principal || acl.principal === WILDCARD_PRINCIPAL) &&
        (acl.host === session.host || acl.host === WILDCARD_HOST) &&
        (acl.operation === operation || acl.operation === AclOperation.ALL),
    )
    const denies = relevant.filter((a) => a.permissionType === AclPermissionType.DENY)
    if (denies.some((d) => d.patternType === AclPatternType.LITERAL && d.resourceName === WILDCARD_RESOURCE)) return false
    const deniedBy = (name: string, prefixed: boolean): boolean =>
      denies.some((d) => (d.patternType === AclPatternType.PREFIXED ? name.startsWith(d.resourceName) : !prefixed && d.resourceName === name))
    for (const allow of relevant) {
      if (allow.permissionType !== AclPermissionType.ALLOW) continue
      if (allow.resourceName === WILDCARD_RESOURCE && allow.patternType === AclPatternType.LITERAL) return true
      if (!deniedBy(allow.resourceName, allow.patternType === AclPatternType.PREFIXED)) return true
    }
    const anyOfType = [...this.bindings.values()].some((acl) => acl.resourceType === resourceType)
    return !anyOfType && settings.allowEveryoneIfNoAclFound
  }

  private applicableAcls(resourceType: number, resourceName: string): AclBinding[] {
    const acls = this.byType.get(resourceType)
    if (!acls) return []
    const out: AclBinding[] = []
    const literal = acls.literal.get(resourceName)
    if (literal) out.push(...literal)
    if (resourceName !== WILDCARD_RESOURCE) {
      const wildcard = acls.literal.get(WILDCARD_RESOURCE)
      if (wildcard) out.push(...wildcard)
    }
    if (acls.prefixed.size > 0) {
      const longest = Math.min(resourceName.length, this.longestPrefix.get(resourceType) ?? 0)
      for (let n = 1; n <= longest; n++) {
        const prefixed = acls.prefixed.get(resourceName.slice(0, n))
        if (prefixed) out.push(...prefixed)
      }
    }
    return out
  }

  private indexOf(resourceType: number, patternType: number, resourceName: string): AclBinding[] {
    let acls = this.byType.get(resourceType)
    if (!acls) this.byType.set(resourceType, (acls = { literal: new Map(), prefixed: new Map() }))
    const map = patternType === AclPatternType.PREFIXED ? acls.prefixed : acls.literal
    let list = map.get(resourceName)
    if (!list) map.set(resourceName, (list = []))
    return list
  }
}
