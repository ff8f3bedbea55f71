import Foundation

/// Random networks, every draw from one ``RandomStream`` (same stream state, same network).
extension Network {
  /// Erdos-Renyi G(n, p): each of the n(n-1)/2 pairs is linked with probability `p`, independently. The gaps between
  /// linked pairs are geometric (Batagelj and Brandes 2005), so the cost is O(n + edges), one uniform per edge.
  public static func erdosRenyi(nodes n: Int, probability p: Double, stream: RandomStream) -> Network {
    precondition(n >= 0 && p >= 0 && p <= 1, "G(n, p) needs n >= 0 and p in [0, 1]")
    guard p > 0, n > 1 else { return Network(nodes: n, edges: []) }
    var edges: [(Int, Int)] = []
    if p == 1 {
      for v in 1..<n { for w in 0..<v { edges.append((v, w)) } }
      return Network(nodes: n, edges: edges)
    }
    let logQ = log1p(-p)
    var (v, w) = (1, -1)
    while v < n {
      // The number of pairs skipped before the next edge: floor(log(1 - u) / log(1 - p)).
      let skip = (log1p(-stream.uniform()) / logQ).rounded(.down)
      w += 1 + Int(Swift.min(skip, Double(n) * Double(n)))
      while w >= v && v < n {
        w -= v
        v += 1
      }
      if v < n { edges.append((v, w)) }
    }
    return Network(nodes: n, edges: edges)
  }

  /// Watts-Strogatz: a ring of `n` nodes each linked to its `k` nearest (k/2 on each side), then, side by side and
  /// node by node, each lattice edge `(u, u + j)` is rewired with probability `beta` to `(u, w)`, `w` uniform among
  /// the nodes that are neither `u` nor already linked to it (as networkx's `watts_strogatz_graph`; a node linked to
  /// every other keeps its edge). Rewiring keeps the number of edges at `n k / 2`.
  public static func wattsStrogatz(nodes n: Int, neighbours k: Int, rewiring beta: Double, stream: RandomStream)
    -> Network
  {
    precondition(k >= 0 && k % 2 == 0 && k < n, "Watts-Strogatz needs an even k below n")
    precondition(beta >= 0 && beta <= 1, "the rewiring probability is in [0, 1]")
    var adjacent = [Set<Int32>](repeating: [], count: n)
    guard k > 0 else { return Network(nodes: n, edges: []) }
    for u in 0..<n {
      for j in 1...(k / 2) {
        let v = (u + j) % n
        adjacent[u].insert(Int32(v))
        adjacent[v].insert(Int32(u))
      }
    }
    if beta > 0 {
      for j in 1...(k / 2) {
        for u in 0..<n where stream.uniform() < beta {
          let v = (u + j) % n
          // The edge may already have been rewired away from this side.
          guard adjacent[u].contains(Int32(v)), adjacent[u].count < n - 1 else { continue }
          var w = stream.integer(below: n)
          while w == u || adjacent[u].contains(Int32(w)) { w = stream.integer(below: n) }
          adjacent[u].remove(Int32(v))
          adjacent[v].remove(Int32(u))
          adjacent[u].insert(Int32(w))
          adjacent[w].insert(Int32(u))
        }
      }
    }
    var edges: [(Int, Int)] = []
    edges.reserveCapacity(n * k / 2)
    for u in 0..<n {
      for v in adjacent[u].sorted() where Int(v) > u { edges.append((u, Int(v))) }
    }
    return Network(nodes: n, edges: edges)
  }

  /// Barabasi-Albert preferential attachment: a star of `m + 1` nodes, then each new node links to `m` distinct
  /// earlier nodes drawn with probability proportional to their degree (a uniform pick from the list holding every
  /// node once per edge end, as networkx's `barabasi_albert_graph`). It has `m (n - m)` edges; every node after the
  /// star has degree at least `m`.
  public static func barabasiAlbert(nodes n: Int, attachments m: Int, stream: RandomStream) -> Network {
    precondition(m >= 1 && m < n, "Barabasi-Albert needs 1 <= m < n")
    var edges: [(Int, Int)] = []
    edges.reserveCapacity(m * (n - m))
    var ends: [Int32] = []
    ends.reserveCapacity(2 * m * (n - m))
    for leaf in 1...m {
      edges.append((0, leaf))
      ends += [0, Int32(leaf)]
    }
    var targets: [Int32] = []
    for source in (m + 1)..<Swift.max(m + 1, n) {
      targets.removeAll(keepingCapacity: true)
      while targets.count < m {
        let t = ends[stream.integer(below: ends.count)]
        if !targets.contains(t) { targets.append(t) }
      }
      for t in targets {
        edges.append((source, Int(t)))
        ends += [t, Int32(source)]
      }
    }
    return Network(nodes: n, edges: edges)
  }
}
