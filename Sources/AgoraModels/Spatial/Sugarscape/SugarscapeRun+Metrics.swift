/// The Lorenz curve of wealth.
extension SugarscapeRun {
  /// The Lorenz curve of `amounts` (non-negative) at `points + 1` evenly spaced shares of the agents, `0, 1/points,
  /// ..., 1`: the share of the total held by the poorest that share of the agents, linear between agents (so the
  /// curve is exact at every agent and its area gives the Gini coefficient at the agents' shares). NaN shares of
  /// wealth with no agent or nothing held.
  static func lorenz(_ amounts: [Double], points: Int) -> [(agents: Double, wealth: Double)] {
    let sorted = amounts.sorted()
    var cumulative = [0.0]
    for x in sorted { cumulative.append(cumulative.last! + x) }
    let (n, total) = (sorted.count, cumulative.last!)
    return (0...points).map { k in
      let share = Double(k) / Double(points)
      guard n > 0 && total > 0 else { return (share, .nan) }
      let position = share * Double(n)
      let j = min(Int(position), n)
      let held = cumulative[j] + (j < n ? (position - Double(j)) * sorted[j] : 0)
      return (share, k == points ? 1 : held / total)
    }
  }
}
