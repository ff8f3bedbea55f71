import AgoraCore

/// The segregation measures of the grid as it stands.
extension SchellingRun {
  /// Fills `record`'s segregation index (overall and by segment) and dissimilarity index from the grid now.
  func measure(_ record: inout SchellingStep) {
    let s = segregation()
    record.segregation = s.overall
    record.segregationBySegment = s.bySegment
    record.dissimilarity = dissimilarity()
  }

  /// The segregation index: the mean, over the agents with at least one neighbour, of the share of their neighbours
  /// of their own type; by segment over its agents (NaN when no agent has a neighbour).
  func segregation() -> (overall: Double, bySegment: [Double]) {
    let segments = population.segments.count
    var sum = [Double](repeating: 0, count: segments)
    var counted = [Int](repeating: 0, count: segments)
    for i in 0..<population.count {
      let t = Int(population.segment[i])
      let cell = grid.position(of: i)!
      let all = counts.all(around: cell)
      guard all > 0 else { continue }
      sum[t] += Double(counts.of(t, around: cell)) / Double(all)
      counted[t] += 1
    }
    let total = counted.reduce(0, +)
    let overall = total > 0 ? sum.reduce(0, +) / Double(total) : .nan
    return (overall, (0..<segments).map { counted[$0] > 0 ? sum[$0] / Double(counted[$0]) : .nan })
  }

  /// The dissimilarity index over the grid's `block x block` blocks (partial blocks at the far edges count as blocks):
  /// `D = sum_b sum_k |n_bk - t_b P_k| / (2 N I)`, with `n_bk` the agents of type k in block b, `t_b` all of block b's,
  /// `P_k` type k's share of the `N` agents and `I = sum_k P_k (1 - P_k)` (Sakoda's multi-group index; with two types
  /// it is Duncan's `1/2 sum_b |a_b/A - b_b/B|`). 0: every block mixes the types as the whole grid does; 1: no block
  /// holds two types. NaN with a single type.
  func dissimilarity() -> Double {
    let b = parameters.block
    let (across, down) = ((grid.width + b - 1) / b, (grid.height + b - 1) / b)
    let types = population.segments.count
    var byBlock = [Int32](repeating: 0, count: across * down * types)
    var inBlock = [Int32](repeating: 0, count: across * down)
    var byType = [Int](repeating: 0, count: types)
    for i in 0..<population.count {
      let t = Int(population.segment[i])
      let (x, y) = grid.coordinates(of: grid.position(of: i)!)
      let block = (y / b) * across + x / b
      byBlock[block * types + t] += 1
      inBlock[block] += 1
      byType[t] += 1
    }
    let n = Double(population.count)
    let shares = byType.map { Double($0) / n }
    let interaction = shares.reduce(0) { $0 + $1 * (1 - $1) }
    guard interaction > 0 else { return .nan }
    var sum = 0.0
    for block in 0..<(across * down) where inBlock[block] > 0 {
      let t = Double(inBlock[block])
      for k in 0..<types { sum += abs(Double(byBlock[block * types + k]) - t * shares[k]) }
    }
    return sum / (2 * n * interaction)
  }
}
