import AgoraCore

/// K representative agents of a segment: k-means (k-means++ seeding, GSL draws) on the members' latent
/// preferences, each dimension scaled by its standard deviation in the segment. Members are mapped to their
/// nearest centre, and each centre is described to the model as one persona (AgentTorch's LLM archetypes).
public struct Archetypes: Sendable {
  /// The centres, `k x Population.dimensions`, in preference units.
  public let centres: [[Double]]
  /// Each member's archetype, in member order.
  public let assignment: [Int]

  /// Clusters the agents `members` of `population` into at most `k` archetypes.
  public init(population: Population, members: Range<Int>, k: Int, stream: RandomStream, iterations: Int = 50) {
    let d = Population.dimensions
    let n = members.count
    let k = max(1, min(k, n))
    var points = [[Double]](repeating: [Double](repeating: 0, count: d), count: n)
    for (m, i) in members.enumerated() {
      for p in 0..<d { points[m][p] = population.values[i * d + p] }
    }
    var scale = [Double](repeating: 1, count: d)
    for p in 0..<d {
      let mean = points.reduce(0) { $0 + $1[p] } / Double(max(1, n))
      let variance = points.reduce(0) { $0 + ($1[p] - mean) * ($1[p] - mean) } / Double(max(1, n))
      scale[p] = variance > 1e-12 ? 1 / variance.squareRoot() : 0
    }
    func distance(_ a: [Double], _ b: [Double]) -> Double {
      var s = 0.0
      for p in 0..<d {
        let x = (a[p] - b[p]) * scale[p]
        s += x * x
      }
      return s
    }
    var centres = [points[stream.integer(below: n)]]
    var nearest = points.map { distance($0, centres[0]) }
    while centres.count < k {
      let total = nearest.reduce(0, +)
      guard total > 0 else { break }
      var u = stream.uniform() * total
      var pick = n - 1
      for m in 0..<n {
        u -= nearest[m]
        if u < 0 {
          pick = m
          break
        }
      }
      centres.append(points[pick])
      for m in 0..<n { nearest[m] = min(nearest[m], distance(points[m], points[pick])) }
    }
    var assignment = [Int](repeating: 0, count: n)
    for iteration in 0..<iterations {
      var changed = false
      for m in 0..<n {
        var best = 0
        var bestDistance = Double.infinity
        for c in centres.indices {
          let e = distance(points[m], centres[c])
          if e < bestDistance {
            bestDistance = e
            best = c
          }
        }
        if assignment[m] != best { changed = true }
        assignment[m] = best
      }
      var sums = [[Double]](repeating: [Double](repeating: 0, count: d), count: centres.count)
      var counts = [Int](repeating: 0, count: centres.count)
      for m in 0..<n {
        counts[assignment[m]] += 1
        for p in 0..<d { sums[assignment[m]][p] += points[m][p] }
      }
      for c in centres.indices where counts[c] > 0 { centres[c] = sums[c].map { $0 / Double(counts[c]) } }
      if !changed && iteration > 0 { break }
    }
    self.centres = centres
    self.assignment = assignment
  }
}
