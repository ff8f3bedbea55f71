/// Each agent's recent observations of the other side's cooperation (a value in [0, 1] per observation: a partner's
/// move, a group's mean contribution, a trustee's return), kept in a flat ring buffer, with the running sum.
///
/// A plain value: a saved copy is a snapshot, and assigning it back restores it (a language-model pass does).
///
/// An agent's belief is the Beta-smoothed mean of its window: `(priorWeight * prior + sum) / (priorWeight + n)`.
public struct Observations: Sendable, Hashable {
  var ring: WindowRing
  var values: [Float]
  var sums: [Double]

  /// Observations for `count` agents, agent i keeping its last `window(i)` (0: none).
  public init(count: Int, window: (Int) -> Int) {
    ring = WindowRing(count: count, window: window)
    values = [Float](repeating: 0, count: ring.bufferSize(agents: count))
    sums = [Double](repeating: 0, count: ring.capacity == 0 ? 0 : count)
  }

  /// Records one observation of `agent`.
  public mutating func record(agent: Int, _ value: Double) {
    guard let (slot, evicts) = ring.advance(agent) else { return }
    if evicts { sums[agent] -= Double(values[slot]) }
    values[slot] = Float(value)
    sums[agent] += Double(Float(value))
  }

  /// The number of observations `agent` holds.
  public func count(of agent: Int) -> Int { ring.count(of: agent) }

  /// The agent's belief: its window's mean smoothed towards `prior` with `priorWeight` pseudo-observations.
  public func belief(of agent: Int, prior: Double, priorWeight: Double, defectionWeight: Double = 1) -> Double {
    guard ring.capacity > 0 else { return prior }
    let n = Double(ring.count(of: agent))
    guard defectionWeight != 1 else { return (priorWeight * prior + sums[agent]) / (priorWeight + n) }
    // Each observation x counts x + w (1 - x) times: the window's weight is w n - (w - 1) sum.
    let weight = defectionWeight * n - (defectionWeight - 1) * Double(sums[agent])
    return (priorWeight * prior + sums[agent]) / (priorWeight + weight)
  }

  /// `agent`'s observations, oldest first.
  public func window(of agent: Int) -> [Double] { ring.slots(of: agent).map { Double(values[$0]) } }

}
