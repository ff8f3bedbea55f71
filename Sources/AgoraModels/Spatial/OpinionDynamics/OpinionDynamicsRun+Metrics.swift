import AgoraCore

/// The measures of the opinions as they stand: clusters, moments and the pairs within the confidence bound.
extension OpinionDynamicsRun {
  /// Whether two opinions `d` apart influence each other under the run's rule (`hk` counts the bound itself in).
  func within(_ d: Double) -> Bool {
    parameters.rule == .hk ? abs(d) <= parameters.epsilon : abs(d) < parameters.epsilon
  }

  /// Fills `record`'s clusters, largest cluster share, variance, mean and share of edges within epsilon.
  mutating func measure(_ record: inout OpinionStep) {
    let n = opinion.count
    guard n > 0 else { return }
    for i in 0..<n { sortedOpinion[i] = opinion[i] }
    sortedOpinion.sort()
    var (clusters, major, largest, size) = (1, 0, 0, 1)
    for k in 1..<max(1, n) {
      if sortedOpinion[k] - sortedOpinion[k - 1] > parameters.clusterGap {
        major += Self.isMajor(size, of: n) ? 1 : 0
        largest = max(largest, size)
        clusters += 1
        size = 0
      }
      size += 1
    }
    major += Self.isMajor(size, of: n) ? 1 : 0
    largest = max(largest, size)
    record.clusters = clusters
    record.majorClusters = major
    record.largestShare = Double(largest) / Double(n)
    let mean = opinion.reduce(0, +) / Double(n)
    record.mean = mean
    record.variance = opinion.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
    record.withinShare = withinShare()
  }

  /// Whether a cluster of `size` of `n` agents holds at least 1% of them.
  static func isMajor(_ size: Int, of n: Int) -> Bool { size * 100 >= n }

  /// The share of the network's edges (under random pairs, of all pairs of agents) whose two opinions are within
  /// epsilon; reads `sortedOpinion`, which must hold the opinions sorted. NaN without edges.
  func withinShare() -> Double {
    let n = opinion.count
    var (close, all) = (0, 0)
    if let network {
      for i in 0..<n {
        for j in network.neighbours(of: i) where Int(j) > i {
          all += 1
          if within(opinion[Int(j)] - opinion[i]) { close += 1 }
        }
      }
    } else {
      // Pairs (a, b), a < b, of sorted opinions within epsilon: for each b, those from the first a within reach.
      var a = 0
      for b in 0..<n {
        while !within(sortedOpinion[b] - sortedOpinion[a]) { a += 1 }
        close += b - a
      }
      all = n * (n - 1) / 2
    }
    return all > 0 ? Double(close) / Double(all) : .nan
  }

  /// Each agent's cluster at the end, numbered from 0 in increasing opinion (as `measure` cuts the sorted opinions).
  func clusterOfAgents() -> [Int] {
    let n = opinion.count
    let x = opinion
    let ranked = (0..<n).sorted { x[$0] < x[$1] || (x[$0] == x[$1] && $0 < $1) }
    var cluster = [Int](repeating: 0, count: n)
    var id = 0
    for k in 0..<n {
      if k > 0 && x[ranked[k]] - x[ranked[k - 1]] > parameters.clusterGap { id += 1 }
      cluster[ranked[k]] = id
    }
    return cluster
  }
}
