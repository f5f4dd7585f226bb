/**
 * Where the coordinators live: a group's coordinator is the leader of its partition of
 * __consumer_offsets, a transactional id's the leader of its partition of __transaction_state.
 * Those partitions are not topics here (nothing reads them as logs), but their leadership moves
 * as Kafka's controller moves it:
 * - each partition's replicas are every broker, starting at partition % brokers (the first one
 *   is its preferred leader);
 * - when its leader is fenced (a controlled shutdown, or a crashed broker's expired session),
 *   leadership moves to the first live replica in that order, and only the keys it held move;
 * - a broker that comes back leads nothing at once: it takes back only partitions that had no
 *   live replica, and the others at the controller's next preferred leader election
 *   (auto.leader.rebalance.enable, every leader.imbalance.check.interval.seconds).
 * So a client that found a moved coordinator keeps reaching it after the old broker returns,
 * as with Kafka (a coordinator that moved straight back would answer its LeaveGroup with
 * NOT_COORDINATOR, which kafkajs does not retry: the member would stay until its session
 * timeout).
 */
export interface CoordinatorPlacementContext {
  /** The brokers in their configured order. */
  brokers(): readonly { readonly id: number }[]
  /** Registered and unfenced. */
  isBrokerAlive(id: number): boolean
  /** offsets.topic.num.partitions (keyType 0) or transaction.state.log.num.partitions (keyType 1). */
  partitionCount(keyType: number): number
}

/** No live replica: the partition has no leader (COORDINATOR_NOT_AVAILABLE). */
const NO_LEADER = -1

export class CoordinatorPlacement {
  private readonly ctx: CoordinatorPlacementContext
  /** Per key type (0 group, 1 transaction), each partition's leader (a broker id, or NO_LEADER). */
  private readonly leaders: readonly Int32Array[]

  constructor(ctx: CoordinatorPlacementContext) {
    this.ctx = ctx
    this.leaders = [0, 1].map((keyType) => {
      const table = new Int32Array(ctx.partitionCount(keyType))
      for (let p = 0; p < table.length; p++) table[p] = this.firstLive(p)
      return table
    })
  }

  /** The broker leading `partition` of the key type's internal topic, or undefined when none is live. */
  leaderOf(keyType: number, partition: number): number | undefined {
    const leader = this.leaders[keyType]?.[partition]
    return leader === undefined || leader === NO_LEADER ? undefined : leader
  }

  /** A broker was fenced: the partitions it led move to their next live replica. */
  brokerFenced(id: number): void {
    for (const table of this.leaders) {
      for (let p = 0; p < table.length; p++) if (table[p] === id) table[p] = this.firstLive(p)
    }
  }

  /** A broker registered again: it leads the partitions that had no live replica. */
  brokerReturned(): void {
    for (const table of this.leaders) {
      for (let p = 0; p < table.length; p++) if (table[p] === NO_LEADER) table[p] = this.firstLive(p)
    }
  }

  /** Whether some partition is led by another broker than its live preferred one (a preferred election would move it). */
  get displaced(): boolean {
    for (const table of this.leaders) {
      for (let p = 0; p < table.length; p++) if (this.movesBack(table, p)) return true
    }
    return false
  }

  /** Preferred leader election: partitions whose preferred replica is live move back to it. */
  electPreferred(): void {
    for (const table of this.leaders) {
      for (let p = 0; p < table.length; p++) if (this.movesBack(table, p)) table[p] = this.preferred(p)
    }
  }

  private movesBack(table: Int32Array, partition: number): boolean {
    const preferred = this.preferred(partition)
    return table[partition] !== preferred && this.ctx.isBrokerAlive(preferred)
  }

  private preferred(partition: number): number {
    const all = this.ctx.brokers()
    return all[partition % all.length]!.id
  }

  private firstLive(partition: number): number {
    const all = this.ctx.brokers()
    for (let i = 0; i < all.length; i++) {
      const broker = all[(partition + i) % all.length]!
      if (this.ctx.isBrokerAlive(broker.id)) return broker.id
    }
    return NO_LEADER
  }
}
