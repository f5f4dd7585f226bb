/**
 * The broker's SCRAM and PLAIN exchanges against a client written from RFC 5802 in this test:
 * the right proof completes with a server signature the client can verify; a wrong nonce, a
 * replayed client-final, a tampered proof, an unknown user and malformed tokens all fail, and
 * random tokens never throw.
 */
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { newCluster } from '../../support/cluster-harness.js'
import { createSaslServer } from '../../../src/cluster/security/sasl-server.js'

const H = { 'SCRAM-SHA-256': 'sha256', 'SCRAM-SHA-512': 'sha512' } as const

function client(mechanism: keyof typeof H, user: string, password: string, nonce = 'clientnonce123') {
  const hash = H[mechanism]
  const clientFirstBare = `n=${user},r=${nonce}`
  return {
    first: Buffer.from(`n,,${clientFirstBare}`),
    final(serverFirst: string, overrideNonce?: string): { message: Buffer; serverSignature: string } {
      const attrs = Object.fromEntries(serverFirst.split(',').map((p) => [p[0], p.slice(2)]))
      const salted = pbkdf2Sync(password, Buffer.from(attrs.s!, 'base64'), Number(attrs.i), hash === 'sha256' ? 32 : 64, hash)
      const clientKey = createHmac(hash, salted).update('Client Key').digest()
      const storedKey = createHash(hash).update(clientKey).digest()
      const withoutProof = `c=biws,r=${overrideNonce ?? attrs.r}`
      const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`
      const signature = createHmac(hash, storedKey).update(authMessage).digest()
      const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!))
      const serverKey = createHmac(hash, salted).update('Server Key').digest()
      return { message: Buffer.from(`${withoutProof},p=${proof.toString('base64')}`), serverSignature: createHmac(hash, serverKey).update(authMessage).digest('base64') }
    },
  }
}

function setup() {
  const cluster = newCluster({ brokers: 1 })
  cluster.createUser('alice', 'secret')
  return cluster
}

describe('SCRAM server', () => {
  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
    it(`${mechanism}: the right password completes, with a server signature the client verifies`, () => {
      const server = createSaslServer(mechanism, setup().security)!
      const c = client(mechanism, 'alice', 'secret')
      const first = server.evaluate(c.first)
      if (!('done' in first) || first.done) throw new Error('expected a challenge')
      const serverFirst = first.challenge.toString()
      expect(serverFirst).toMatch(/^r=clientnonce123[^,]+,s=[^,]+,i=4096$/)
      const { message, serverSignature } = c.final(serverFirst)
      const last = server.evaluate(message)
      expect(last).toEqual({ done: true, principal: 'User:alice', challenge: Buffer.from(`v=${serverSignature}`) })
      // Replaying the client-final on the finished exchange fails.
      expect(server.evaluate(message)).toHaveProperty('failed')
    })
  }

  it('a wrong password, a wrong nonce, an unknown user and a replay into a new exchange fail', () => {
    const cluster = setup()
    const run = (user: string, password: string, overrideNonce?: string) => {
      const server = createSaslServer('SCRAM-SHA-256', cluster.security)!
      const c = client('SCRAM-SHA-256', user, password)
      const first = server.evaluate(c.first)
      if (!('done' in first)) return first
      return server.evaluate(c.final(first.challenge.toString(), overrideNonce).message)
    }
    expect(run('alice', 'wrong')).toHaveProperty('failed')
    expect(run('alice', 'secret', 'clientnonce123forged')).toHaveProperty('failed')
    expect(run('mallory', 'secret')).toHaveProperty('failed')
    // A client-final recorded from one exchange does not complete another (the server nonce differs).
    const a = createSaslServer('SCRAM-SHA-256', cluster.security)!
    const c = client('SCRAM-SHA-256', 'alice', 'secret')
    const recorded = c.final((a.evaluate(c.first) as { challenge: Buffer }).challenge.toString()).message
    const b = createSaslServer('SCRAM-SHA-256', cluster.security)!
    b.evaluate(c.first)
    expect(b.evaluate(recorded)).toHaveProperty('failed')
  })

  it('random tokens in any order never throw and never authenticate', () => {
    const cluster = setup()
    fc.assert(
      fc.property(fc.constantFrom('PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'), fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 4 }), (mechanism, tokens) => {
        const server = createSaslServer(mechanism, cluster.security)!
        for (const token of tokens) {
          const step = server.evaluate(Buffer.from(token))
          expect('done' in step && step.done).toBe(false)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('PLAIN server', () => {
  it('checks the password and the authorization id', () => {
    const cluster = setup()
    const plain = (token: string) => createSaslServer('PLAIN', cluster.security)!.evaluate(Buffer.from(token))
    expect(plain('\u0000alice\u0000secret')).toEqual({ done: true, principal: 'User:alice', challenge: Buffer.alloc(0) })
    expect(plain('\u0000alice\u0000nope')).toEqual({ failed: 'Authentication failed: Invalid username or password' })
    expect(plain('bob\u0000alice\u0000secret')).toHaveProperty('failed')
    expect(plain('alice')).toHaveProperty('failed')
  })
})
