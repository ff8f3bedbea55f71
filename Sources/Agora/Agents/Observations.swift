/// Each agent's recent observations of the other side's cooperation (a value in [0, 1] per observation: a partner's
/// move, a group's mean contribution, a trustee's return), kept in a flat ring buffer, with the running sum.
///
/// An agent's belief is the Beta-smoothed mean of its window: `(priorWeight * prior + sum) / (priorWeight + n)`.
public struct Observations: Sendable {
  /// The ring-buffer capacity of each agent.
  public let capacity: Int
  var values: [Float]
  var filled: [UInt16]
  var head: [UInt16]
  var sums: [Double]
  let windows: [UInt16]

  /// Observations for `count` agents, agent i keeping its last `window(i)` (0: none).
  public init(count: Int, window: (Int) -> Int) {
    var windows = [UInt16](repeating: 0, count: count)
    var capacity = 0
    for i in 0..<count {
      let w = Swift.min(window(i), Int(UInt16.max))
      windows[i] = UInt16(w)
      capacity = Swift.max(capacity, w)
    }
    self.capacity = capacity
    self.windows = windows
    values = [Float](repeating: 0, count: count * capacity)
    filled = [UInt16](repeating: 0, count: capacity == 0 ? 0 : count)
    head = filled
    sums = [Double](repeating: 0, count: capacity == 0 ? 0 : count)
  }

  /// Records one observation of `agent`.
  public mutating func record(agent: Int, _ value: Double) {
    let w = Int(windows[agent])
    guard w > 0 else { return }
    let h = Int(head[agent])
    let slot = agent * capacity + h
    if Int(filled[agent]) == w { sums[agent] -= Double(values[slot]) } else { filled[agent] += 1 }
    values[slot] = Float(value)
    sums[agent] += Double(Float(value))
    head[agent] = UInt16((h + 1) % w)
  }

  /// The number of observations `agent` holds.
  public func count(of agent: Int) -> Int { capacity == 0 ? 0 : Int(filled[agent]) }

  /// The agent's belief: its window's mean smoothed towards `prior` with `priorWeight` pseudo-observations.
  public func belief(of agent: Int, prior: Double, priorWeight: Double) -> Double {
    guard capacity > 0 else { return prior }
    let n = Double(filled[agent])
    return (priorWeight * prior + sums[agent]) / (priorWeight + n)
  }
}
