/// The bookkeeping of every agent's context window: agent i keeps its last `window(i)` observations in its own
/// `capacity`-long stretch of a flat buffer that the owner holds (values of whatever kind); the ring says which
/// slot the next observation goes to and whether it overwrites the oldest.
///
/// A plain value: copying it copies the windows (copy-on-write), so a saved copy is a snapshot and assigning it back
/// restores it. Each agent's window length, next slot and fill count sit side by side. Without any window, nothing
/// is stored. (The division kernel's threads share theirs instead: `SharedWindowRing`, confined to that family.)
public struct WindowRing: Sendable, Hashable {
  /// The longest window, the stretch of the buffer each agent owns.
  public let capacity: Int
  /// Agent i's window at `4i`, next slot at `4i + 1`, observation count at `4i + 2`.
  var state: [UInt16]

  /// Windows for `count` agents, agent i keeping `window(i)` observations (0: none; at most 65535).
  public init(count: Int, window: (Int) -> Int) {
    func length(_ i: Int) -> UInt16 { UInt16(Swift.min(window(i), Int(UInt16.max))) }
    var capacity = 0
    for i in 0..<count { capacity = Swift.max(capacity, Int(length(i))) }
    self.capacity = capacity
    state = [UInt16](repeating: 0, count: capacity == 0 ? 0 : 4 * count)
    if capacity > 0 { for i in 0..<count { state[4 * i] = length(i) } }
  }

  /// The size a buffer needs for `count` agents.
  public func bufferSize(agents count: Int) -> Int { count * capacity }

  /// The number of observations `agent` holds.
  @inline(__always)
  public func count(of agent: Int) -> Int { capacity == 0 ? 0 : Int(state[4 * agent + 2]) }

  /// The slot of the buffer for `agent`'s next observation, and whether it overwrites the agent's oldest one
  /// (whose value the caller may need to retire first); `nil` when the agent keeps no window.
  @inline(__always)
  public mutating func advance(_ agent: Int) -> (slot: Int, evicts: Bool)? {
    guard capacity > 0 else { return nil }
    let w = Int(state[4 * agent])
    guard w > 0 else { return nil }
    let h = Int(state[4 * agent + 1])
    let n = Int(state[4 * agent + 2])
    assert(n <= w && h < w, "agent \(agent): \(n) observations, next slot \(h), in a window of \(w)")
    let evicts = n == w
    if !evicts { state[4 * agent + 2] += 1 }
    state[4 * agent + 1] = h + 1 == w ? 0 : UInt16(h + 1)
    return (agent * capacity + h, evicts)
  }

  /// The buffer slots of `agent`'s observations, oldest first.
  public func slots(of agent: Int) -> [Int] {
    let n = count(of: agent)
    guard n > 0 else { return [] }
    let w = Int(state[4 * agent])
    let start = n < w ? 0 : Int(state[4 * agent + 1])
    return (0..<n).map { agent * capacity + (start + $0) % w }
  }
}
