/// An undirected simple network of `nodeCount` nodes in compressed sparse row form: node `i`'s neighbours are
/// `targets[offsets[i] ..< offsets[i + 1]]`, in increasing order. Every edge is stored both ways; there are no self
/// loops and no repeated edges (the builder drops repeats and refuses loops). Generators: ``erdosRenyi(nodes:
/// probability:stream:)``, ``wattsStrogatz(nodes:neighbours:rewiring:stream:)``, ``barabasiAlbert(nodes:
/// attachments:stream:)``; files: ``read(edgeList:nodes:)``.
public struct Network: Sendable, Hashable {
  public let nodeCount: Int
  /// `nodeCount + 1` offsets into `targets`.
  public let offsets: [Int]
  public let targets: [Int32]

  /// The network of the undirected `edges` (pairs of nodes in `0..<nodes`, in either order, repeats allowed).
  public init(nodes: Int, edges: [(Int, Int)]) {
    precondition(nodes >= 0 && nodes < Int(Int32.max), "node ids must fit 31 bits")
    var degree = [Int](repeating: 0, count: nodes + 1)
    for (a, b) in edges {
      precondition(a >= 0 && a < nodes && b >= 0 && b < nodes, "edge (\(a), \(b)) names a node beyond \(nodes)")
      precondition(a != b, "node \(a) is linked to itself")
      degree[a + 1] += 1
      degree[b + 1] += 1
    }
    for i in 0..<nodes { degree[i + 1] += degree[i] }
    var fill = degree
    var raw = [Int32](repeating: 0, count: degree[nodes])
    for (a, b) in edges {
      raw[fill[a]] = Int32(b)
      fill[a] += 1
      raw[fill[b]] = Int32(a)
      fill[b] += 1
    }
    // Each node's list sorted, repeats dropped, compacted in place.
    var offsets = [Int](repeating: 0, count: nodes + 1)
    var kept = 0
    for i in 0..<nodes {
      raw[degree[i]..<degree[i + 1]].sort()
      var last: Int32 = -1
      for k in degree[i]..<degree[i + 1] where raw[k] != last {
        last = raw[k]
        raw[kept] = last
        kept += 1
      }
      offsets[i + 1] = kept
    }
    raw.removeLast(raw.count - kept)
    nodeCount = nodes
    self.offsets = offsets
    targets = raw
    assert(isSimpleAndSymmetric, "the network is not simple and symmetric")
  }

  /// The number of (undirected) edges.
  public var edgeCount: Int { targets.count / 2 }

  /// Node `i`'s neighbours, in increasing order.
  public func neighbours(of i: Int) -> ArraySlice<Int32> { targets[offsets[i]..<offsets[i + 1]] }

  public func degree(of i: Int) -> Int { offsets[i + 1] - offsets[i] }

  /// Whether `i` and `j` are linked (a binary search of `i`'s neighbours).
  public func hasEdge(_ i: Int, _ j: Int) -> Bool {
    var (lo, hi) = (offsets[i], offsets[i + 1])
    let target = Int32(j)
    while lo < hi {
      let mid = (lo + hi) / 2
      if targets[mid] < target { lo = mid + 1 } else { hi = mid }
    }
    return lo < offsets[i + 1] && targets[lo] == target
  }

  /// Every edge once, as `(i, j)` with `i < j`, in increasing order.
  public var edges: [(Int, Int)] {
    var list: [(Int, Int)] = []
    list.reserveCapacity(edgeCount)
    for i in 0..<nodeCount {
      for j in neighbours(of: i) where Int(j) > i { list.append((i, Int(j))) }
    }
    return list
  }

  /// Whether the lists are sorted without repeats or self loops and every edge is stored both ways (O(E log d)).
  public var isSimpleAndSymmetric: Bool {
    guard offsets.count == nodeCount + 1, offsets.first == 0, offsets.last == targets.count else { return false }
    for i in 0..<nodeCount {
      let list = neighbours(of: i)
      var last: Int32 = -1
      for j in list {
        guard j > last, Int(j) != i, Int(j) < nodeCount, hasEdge(Int(j), i) else { return false }
        last = j
      }
    }
    return true
  }
}
