import AgoraCore
import CGSL

/// The division kernel's ring of context windows: ``WindowRing``'s bookkeeping, kept in a ``SharedColumn`` so that
/// the copies of a run that worker threads hold advance one set of windows (each agent from one thread per round).
/// Its storage is shared on purpose and never leaves the division family: the kernel's threads write disjoint agents,
/// and language-model passes write agents' state only once their answers are final.
///
/// Each agent's window length, next slot and fill count sit side by side (one cache line for all three). Without
/// any window, nothing is stored.
struct SharedWindowRing: Sendable {
  /// The longest window, the stretch of the buffer each agent owns.
  let capacity: Int
  let store: SharedColumn<UInt16>
  /// The store's buffer, read without touching its reference count (shared by the threads' copies): agent i's
  /// window at `4i`, next slot at `4i + 1`, observation count at `4i + 2`.
  nonisolated(unsafe) let state: UnsafeMutableBufferPointer<UInt16>

  /// Windows for `count` agents, agent i keeping `window(i)` observations (0: none; at most 65535).
  init(count: Int, window: (Int) -> Int) {
    func length(_ i: Int) -> UInt16 { UInt16(Swift.min(window(i), Int(UInt16.max))) }
    var capacity = 0
    for i in 0..<count { capacity = Swift.max(capacity, Int(length(i))) }
    self.capacity = capacity
    store = SharedColumn(repeating: 0, count: capacity == 0 ? 0 : 4 * count)
    state = store.buffer
    if capacity > 0 { for i in 0..<count { state[4 * i] = length(i) } }
  }

  /// The size a buffer needs for `count` agents.
  func bufferSize(agents count: Int) -> Int { count * capacity }

  /// The number of observations `agent` holds.
  @inline(__always)
  func count(of agent: Int) -> Int { capacity == 0 ? 0 : Int(state[4 * agent + 2]) }

  /// The slot of the buffer for `agent`'s next observation, and whether it overwrites the agent's oldest one
  /// (whose value the caller may need to retire first); `nil` when the agent keeps no window.
  @inline(__always)
  func advance(_ agent: Int) -> (slot: Int, evicts: Bool)? {
    guard capacity > 0 else { return nil }
    let w = Int(state[4 * agent])
    guard w > 0 else { return nil }
    let h = Int(state[4 * agent + 1])
    let evicts = Int(state[4 * agent + 2]) == w
    if !evicts { state[4 * agent + 2] += 1 }
    state[4 * agent + 1] = h + 1 == w ? 0 : UInt16(h + 1)
    return (agent * capacity + h, evicts)
  }

  /// Hints the processor to load `agent`'s counters.
  @inline(__always)
  func prefetch(agent: Int) {
    guard capacity > 0 else { return }
    agora_prefetch(state.baseAddress! + 4 * agent)
  }

  /// The buffer slots of `agent`'s observations, oldest first.
  func slots(of agent: Int) -> [Int] {
    let n = count(of: agent)
    guard n > 0 else { return [] }
    let w = Int(state[4 * agent])
    let start = n < w ? 0 : Int(state[4 * agent + 1])
    return (0..<n).map { agent * capacity + (start + $0) % w }
  }
}
