import CGSL

/// Each agent's context window: its last `window` observations of (option offered, accepted?), kept in a
/// flat ring buffer (struct of arrays; no per-agent allocation). The buffers are ``SharedColumn``s, so the copies
/// of a run that worker threads hold write one window store (each agent's window from one thread per round).
///
/// The in-context belief model turns the window into `P(accept | option k)`: an acceptance at option j is
/// evidence of acceptance at every k >= j, a rejection at j of rejection at every k <= j (acceptance is
/// monotone in what one is offered), and a Beta prior with mean `prior[k]` and weight `priorWeight` smooths it:
/// `p_k = (priorWeight * prior[k] + A_k) / (priorWeight + A_k + R_k)`.
public struct Memory: Sendable {
  /// The ring-buffer capacity of each agent.
  public let capacity: Int
  let ring: WindowRing
  let entryStore: SharedColumn<Int16>
  /// The store's buffer, read without touching its reference count (shared by the threads' copies).
  nonisolated(unsafe) let entries: UnsafeMutableBufferPointer<Int16>
  var accepts: [Double] = []
  var rejects: [Double] = []

  /// A memory for `count` agents, agent i remembering `window(i)` observations (0: none).
  public init(count: Int, window: (Int) -> Int) {
    ring = WindowRing(count: count, window: window)
    capacity = ring.capacity
    entryStore = SharedColumn(repeating: 0, count: ring.bufferSize(agents: count))
    entries = entryStore.buffer
  }

  /// Records that `agent` offered option `option` and it was (or was not) accepted.
  public func record(agent: Int, option: Int, accepted: Bool) {
    guard let (slot, _) = ring.advance(agent) else { return }
    entries[slot] = Int16(accepted ? option + 1 : -(option + 1))
  }

  /// `agent`'s window, oldest first: the option it offered and whether it was accepted.
  public func window(of agent: Int) -> [(option: Int, accepted: Bool)] {
    ring.slots(of: agent).map {
      let v = Int(entries[$0])
      return (abs(v) - 1, v > 0)
    }
  }

  /// Hints the processor to load `agent`'s window (a decision soon reads it; see ``DivisionRun``'s blocks).
  @inline(__always)
  public func prefetch(agent: Int) {
    guard capacity > 0 else { return }
    ring.prefetch(agent: agent)
    agora_prefetch(entries.baseAddress! + agent * capacity)
  }

  /// The number of observations agent `agent` holds.
  public func observations(of agent: Int) -> Int { ring.count(of: agent) }

  /// Writes the in-context acceptance beliefs of `agent` for `prior.count` options into `out`.
  public mutating func acceptanceBeliefs(
    agent: Int, prior: UnsafeBufferPointer<Double>, priorWeight: Double, into out: UnsafeMutableBufferPointer<Double>
  ) {
    let k = prior.count
    let n = ring.count(of: agent)
    if n == 0 {
      for j in 0..<k { out[j] = prior[j] }
      return
    }
    if accepts.count < k {
      accepts = [Double](repeating: 0, count: k)
      rejects = accepts
    }
    let base = agent * capacity
    do {
      let entries = self.entries
      accepts.withUnsafeMutableBufferPointer { a in
        rejects.withUnsafeMutableBufferPointer { r in
          for j in 0..<k {
            a[j] = 0
            r[j] = 0
          }
          for e in 0..<n {
            let v = Int(entries[base + e])
            if v > 0 { a[Swift.min(v - 1, k - 1)] += 1 } else { r[Swift.min(-v - 1, k - 1)] += 1 }
          }
          var running = 0.0
          for j in 0..<k {
            running += a[j]
            a[j] = running
          }
          running = 0
          for j in stride(from: k - 1, through: 0, by: -1) {
            running += r[j]
            r[j] = running
          }
          for j in 0..<k {
            out[j] = (priorWeight * prior[j] + a[j]) / (priorWeight + a[j] + r[j])
          }
        }
      }
    }
  }
}
