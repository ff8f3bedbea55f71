import CGSL

/// The bookkeeping of every agent's context window: agent i keeps its last `window(i)` observations in its own
/// `capacity`-long stretch of a flat buffer that the owner holds (values of whatever kind); the ring says which
/// slot the next observation goes to and whether it overwrites the oldest.
///
/// The counters are ``SharedColumn``s, so copies of a run that worker threads hold advance one set of windows
/// (each agent from one thread per round).
public struct WindowRing: Sendable {
  /// The longest window, the stretch of the buffer each agent owns.
  public let capacity: Int
  let windowStore: SharedColumn<UInt16>
  let filledStore: SharedColumn<UInt16>
  let headStore: SharedColumn<UInt16>
  // The stores' buffers, read without touching the stores' reference counts (shared by the threads' copies).
  nonisolated(unsafe) let windows: UnsafeMutableBufferPointer<UInt16>
  nonisolated(unsafe) let filled: UnsafeMutableBufferPointer<UInt16>
  nonisolated(unsafe) let head: UnsafeMutableBufferPointer<UInt16>

  /// Windows for `count` agents, agent i keeping `window(i)` observations (0: none; at most 65535).
  public init(count: Int, window: (Int) -> Int) {
    windowStore = SharedColumn(repeating: 0, count: count)
    windows = windowStore.buffer
    var capacity = 0
    for i in 0..<count {
      let w = Swift.min(window(i), Int(UInt16.max))
      windows[i] = UInt16(w)
      capacity = Swift.max(capacity, w)
    }
    self.capacity = capacity
    filledStore = SharedColumn(repeating: 0, count: capacity == 0 ? 0 : count)
    headStore = SharedColumn(repeating: 0, count: capacity == 0 ? 0 : count)
    filled = filledStore.buffer
    head = headStore.buffer
  }

  /// The size a buffer needs for `count` agents.
  public func bufferSize(agents count: Int) -> Int { count * capacity }

  /// The number of observations `agent` holds.
  public func count(of agent: Int) -> Int { capacity == 0 ? 0 : Int(filled[agent]) }

  /// The slot of the buffer for `agent`'s next observation, and whether it overwrites the agent's oldest one
  /// (whose value the caller may need to retire first); `nil` when the agent keeps no window.
  @inline(__always)
  public func advance(_ agent: Int) -> (slot: Int, evicts: Bool)? {
    let w = Int(windows[agent])
    guard w > 0 else { return nil }
    let h = Int(head[agent])
    let evicts = Int(filled[agent]) == w
    if !evicts { filled[agent] += 1 }
    head[agent] = h + 1 == w ? 0 : UInt16(h + 1)
    return (agent * capacity + h, evicts)
  }

  /// Hints the processor to load `agent`'s counters.
  @inline(__always)
  public func prefetch(agent: Int) {
    guard capacity > 0 else { return }
    agora_prefetch(windows.baseAddress! + agent)
    agora_prefetch(filled.baseAddress! + agent)
    agora_prefetch(head.baseAddress! + agent)
  }

  /// The buffer slots of `agent`'s observations, oldest first.
  public func slots(of agent: Int) -> [Int] {
    let n = count(of: agent)
    guard n > 0 else { return [] }
    let w = Int(windows[agent])
    let start = n < w ? 0 : Int(head[agent])
    return (0..<n).map { agent * capacity + (start + $0) % w }
  }

  /// A ring with the same windows and counters whose counters are its own (copies of a run share counters).
  public func detached() -> WindowRing { WindowRing(copying: self) }

  private init(copying other: WindowRing) {
    capacity = other.capacity
    windowStore = other.windowStore
    windows = other.windows
    filledStore = other.filledStore.copy()
    headStore = other.headStore.copy()
    filled = filledStore.buffer
    head = headStore.buffer
  }
}
