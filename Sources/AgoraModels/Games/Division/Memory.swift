import AgoraCore
import CGSL

/// Each agent's context window: its last `window` observations of (option offered, accepted?), kept in a
/// flat ring buffer (struct of arrays; no per-agent allocation). The buffers are ``SharedColumn``s, so the copies
/// of a run that worker threads hold write one window store (each agent's window from one thread per round).
///
/// The in-context belief model turns the window into `P(accept | option k)`: an acceptance at option j is
/// evidence of acceptance at every k >= j, a rejection at j of rejection at every k <= j (acceptance is
/// monotone in what one is offered), and a Beta prior with mean `prior[k]` and weight `priorWeight` smooths it:
/// `p_k = (priorWeight * prior[k] + A_k) / (priorWeight + A_k + R_k)`.
struct Memory: Sendable {
  /// The ring-buffer capacity of each agent.
  let capacity: Int
  let ring: SharedWindowRing
  let entryStore: SharedColumn<Int16>
  /// The store's buffer, read without touching its reference count (shared by the threads' copies).
  nonisolated(unsafe) let entries: UnsafeMutableBufferPointer<Int16>

  /// A memory for `count` agents, agent i remembering `window(i)` observations (0: none).
  init(count: Int, window: (Int) -> Int) {
    ring = SharedWindowRing(count: count, window: window)
    capacity = ring.capacity
    entryStore = SharedColumn(repeating: 0, count: ring.bufferSize(agents: count))
    entries = entryStore.buffer
  }

  /// Records that `agent` offered option `option` and it was (or was not) accepted.
  @inline(__always)
  func record(agent: Int, option: Int, accepted: Bool) {
    guard let (slot, _) = ring.advance(agent) else { return }
    entries[slot] = Int16(accepted ? option + 1 : -(option + 1))
  }

  /// `agent`'s window, oldest first: the option it offered and whether it was accepted.
  func window(of agent: Int) -> [(option: Int, accepted: Bool)] {
    ring.slots(of: agent).map {
      let v = Int(entries[$0])
      return (abs(v) - 1, v > 0)
    }
  }

  /// Hints the processor to load `agent`'s window (a decision soon reads it; see ``DivisionRun``'s blocks).
  @inline(__always)
  func prefetch(agent: Int) {
    guard capacity > 0 else { return }
    ring.prefetch(agent: agent)
    agora_prefetch(entries.baseAddress! + agent * capacity)
  }

  /// The number of observations agent `agent` holds.
  func observations(of agent: Int) -> Int { ring.count(of: agent) }

  /// `1 / (priorWeight + m)` for `m` in `0...capacity`: the beliefs' denominators, as a table (a multiply where a
  /// decision would divide 21 times).
  func reciprocals(priorWeight: Double) -> [Double] { (0...capacity).map { 1 / (priorWeight + Double($0)) } }

  /// Writes the in-context acceptance beliefs of `agent` for `prior.count` options into `out`; `reciprocals` is
  /// ``reciprocals(priorWeight:)``'s table for the same prior weight.
  @inline(__always)
  func acceptanceBeliefs(
    agent: Int, prior: UnsafeBufferPointer<Double>, priorWeight: Double, reciprocals: UnsafePointer<Double>,
    into out: UnsafeMutableBufferPointer<Double>
  ) {
    let k = prior.count
    let n = ring.count(of: agent)
    if n == 0 {
      for j in 0..<k { out[j] = prior[j] }
      return
    }
    withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * k) { counts in
      withUnsafeTemporaryAllocation(of: Int32.self, capacity: k) { rejected in
        // Histograms of the window's acceptances (counts[j]) and rejections (counts[k + j]) by option; running
        // sums give the rejections at options from j up and the acceptances at options up to j (exact integers),
        // and each belief's denominator from the table.
        for j in 0..<(2 * k) { counts[j] = 0 }
        let window = entries.baseAddress! + agent * capacity
        for e in 0..<n {
          let v = Int(window[e])
          let isRejection = v >> (Int.bitWidth - 1)  // -1 for a rejection, 0 for an acceptance (no branch)
          let option = Swift.min((v ^ isRejection) - isRejection - 1, k - 1)
          counts[option + (k & isRejection)] += 1
        }
        var running: Int32 = 0
        for j in stride(from: k - 1, through: 0, by: -1) {
          running += counts[k + j]
          rejected[j] = running
        }
        running = 0
        for j in 0..<k {
          running += counts[j]
          let seen = Int(running + rejected[j])
          out[j] = (priorWeight * prior[j] + Double(running)) * reciprocals[seen]
        }
      }
    }
  }
}
