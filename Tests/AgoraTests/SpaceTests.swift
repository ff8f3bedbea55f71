import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The core's spaces: the grid, the continuous space and networks, each against brute force or theory.
@Suite("Spaces")
struct SpaceTests {
  /// The neighbourhood of `cell` by brute force: every other cell within `radius` by the shape's distance, wrapped on
  /// a torus.
  static func bruteNeighbours(_ grid: GridSpace, _ cell: Int, _ shape: Neighbourhood, _ radius: Int) -> [Int] {
    let (x, y) = grid.coordinates(of: cell)
    return (0..<grid.cellCount).filter { other in
      guard other != cell else { return false }
      let (ox, oy) = grid.coordinates(of: other)
      var dx = abs(ox - x)
      var dy = abs(oy - y)
      if grid.torus {
        dx = min(dx, grid.width - dx)
        dy = min(dy, grid.height - dy)
      }
      return shape == .moore ? max(dx, dy) <= radius : dx + dy <= radius
    }
  }

  @Test("grid neighbourhoods equal brute force: bounded and torus, Moore and von Neumann, radius 1 to 3")
  func gridNeighbourhoods() {
    let stream = RandomStream(seed: 5)
    var checked = 0
    for (width, height) in [(1, 1), (2, 3), (5, 4), (7, 7), (12, 9), (3, 15)] {
      for torus in [false, true] {
        for shape in Neighbourhood.allCases {
          for radius in 1...3 {
            // A random configuration: some cells hold an agent (several on a grid of many agents per cell).
            for multiple in [false, true] {
              let agents = width * height
              var grid = GridSpace(width: width, height: height, torus: torus, agents: agents, multiple: multiple)
              for agent in 0..<agents where stream.uniform() < 0.6 {
                let cell = multiple ? stream.integer(below: grid.cellCount) : agent
                grid.place(agent, at: cell)
              }
              #expect(grid.invariantsHold)
              let stencil = grid.stencil(shape, radius: radius)
              for cell in 0..<grid.cellCount {
                let expected = Self.bruteNeighbours(grid, cell, shape, radius)
                let found = grid.neighbourCells(of: cell, stencil)
                #expect(found.count == Set(found).count, "a cell listed twice around \(cell)")
                #expect(found.sorted() == expected, "\(width)x\(height) torus \(torus) \(shape) r\(radius) at \(cell)")
                let agentsAround = (0..<agents).filter { a in grid.position(of: a).map(expected.contains) ?? false }
                #expect(grid.neighbours(of: cell, stencil).sorted() == agentsAround)
                let linked = (0..<grid.cellCount).filter { grid.areNeighbours(cell, $0, shape, radius: radius) }
                #expect(linked == expected)
                checked += 1
              }
            }
          }
        }
      }
    }
    #expect(checked > 5000)
  }

  @Test("a neighbourhood has (2r+1)^2 - 1 (Moore) or 2r(r+1) (von Neumann) cells away from the edges")
  func neighbourhoodSizes() {
    let grid = GridSpace(width: 20, height: 20, agents: 0)
    for radius in 1...3 {
      for shape in Neighbourhood.allCases {
        #expect(
          grid.neighbourCells(of: grid.cell(x: 10, y: 10), grid.stencil(shape, radius: radius)).count
            == shape.size(radius: radius))
      }
    }
    #expect(Neighbourhood.moore.size(radius: 1) == 8 && Neighbourhood.vonNeumann.size(radius: 1) == 4)
    // A corner of a bounded grid clips; a torus does not.
    #expect(grid.neighbourCells(of: 0, grid.stencil(.moore, radius: 1)).count == 3)
    let torus = GridSpace(width: 20, height: 20, torus: true, agents: 0)
    #expect(torus.neighbourCells(of: 0, torus.stencil(.moore, radius: 2)).count == 24)
  }

  @Test("the list of empty cells is exactly the empty cells after random places, moves and removes")
  func emptyCells() {
    let stream = RandomStream(seed: 11)
    for multiple in [false, true] {
      let agents = 60
      var grid = GridSpace(width: 10, height: 8, torus: multiple, agents: agents, multiple: multiple)
      for step in 0..<3000 {
        let agent = stream.integer(below: agents)
        if let _ = grid.position(of: agent) {
          if stream.uniform() < 0.3 {
            grid.remove(agent)
          } else if multiple {
            grid.move(agent, to: stream.integer(below: grid.cellCount))
          } else if let target = grid.randomEmptyCell(stream) {
            grid.move(agent, to: target)
          }
        } else if multiple {
          grid.place(agent, at: stream.integer(below: grid.cellCount))
        } else if let target = grid.randomEmptyCell(stream) {
          grid.place(agent, at: target)
        }
        let listed = (0..<grid.emptyCount).map(grid.emptyCell)
        let empty = (0..<grid.cellCount).filter(grid.isEmpty)
        #expect(listed.count == Set(listed).count && listed.sorted() == empty, "after \(step) changes")
        #expect(grid.placed == (0..<agents).filter { grid.position(of: $0) != nil }.count)
        if step % 100 == 0 { #expect(grid.invariantsHold, "after \(step) changes") }
      }
      #expect(grid.invariantsHold)
    }
  }

  @Test("a random empty cell is uniform over the empty cells and never an occupied one")
  func emptyCellSampling() {
    var grid = GridSpace(width: 6, height: 5, agents: 20)
    let stream = RandomStream(seed: 3)
    for agent in 0..<20 { grid.place(agent, at: grid.randomEmptyCell(stream)!) }
    let empty = Set((0..<grid.cellCount).filter(grid.isEmpty))
    #expect(empty.count == 10)
    var hits = [Int: Int]()
    let draws = 20_000
    for _ in 0..<draws { hits[grid.randomEmptyCell(stream)!, default: 0] += 1 }
    #expect(Set(hits.keys) == empty)
    // Each empty cell's count is binomial(draws, 1/10): within 5 standard deviations of draws / 10.
    let sd = (Double(draws) * 0.1 * 0.9).squareRoot()
    #expect(hits.values.allSatisfy { abs(Double($0) - Double(draws) / 10) < 5 * sd }, "\(hits)")
    var full = GridSpace(width: 2, height: 1, agents: 2)
    full.place(0, at: 0)
    full.place(1, at: 1)
    #expect(full.randomEmptyCell(stream) == nil && full.emptyCount == 0)
  }

  @Test("continuous-space radius queries equal brute force, bounded and torus, as agents move")
  func continuousQueries() {
    let stream = RandomStream(seed: 17)
    for torus in [false, true] {
      for cellSize in [0.7, 2.5, 13.0] {
        let agents = 300
        var space = ContinuousSpace(width: 20, height: 12, torus: torus, cellSize: cellSize, agents: agents)
        for agent in 0..<agents { space.place(agent, x: 20 * stream.uniform(), y: 12 * stream.uniform()) }
        for round in 0..<4 {
          for agent in 0..<agents where stream.uniform() < 0.5 {
            let p = space.position(of: agent)!
            let (x, y) = (p.x + 6 * stream.uniform() - 3, p.y + 6 * stream.uniform() - 3)
            if torus {
              space.move(agent, x: x, y: y)
            } else {
              space.move(agent, x: min(20, max(0, x)), y: min(12, max(0, y)))
            }
          }
          #expect(space.invariantsHold)
          for _ in 0..<40 {
            let (qx, qy, r) = (20 * stream.uniform(), 12 * stream.uniform(), 8 * stream.uniform())
            let brute = (0..<agents).filter { space.distance((qx, qy), space.position(of: $0)!) <= r }
            let found = space.agents(near: qx, qy, within: r)
            #expect(found == brute, "torus \(torus) cell \(cellSize) round \(round) at (\(qx), \(qy)) r \(r)")
          }
          let agent = stream.integer(below: agents)
          let others = (0..<agents).filter {
            $0 != agent && space.distance(space.position(of: agent)!, space.position(of: $0)!) <= 2
          }
          #expect(space.neighbours(of: agent, within: 2) == others)
        }
        // Wrapped distances: the two sides of a torus are close.
        if torus {
          var pair = ContinuousSpace(width: 10, height: 10, torus: true, cellSize: 1, agents: 2)
          pair.place(0, x: 0.2, y: 5)
          pair.place(1, x: 9.9, y: 5)
          #expect(pair.neighbours(of: 0, within: 0.5) == [1])
          pair.remove(1)
          #expect(pair.neighbours(of: 0, within: 0.5).isEmpty && pair.invariantsHold)
        }
      }
    }
  }

  /// Checks the invariants every network keeps: sorted symmetric lists, no self loops, no repeats, and degrees that
  /// sum to twice the edges.
  func expectSimple(_ network: Network, _ label: String) {
    #expect(network.isSimpleAndSymmetric, "\(label)")
    let degrees = (0..<network.nodeCount).map(network.degree)
    #expect(degrees.reduce(0, +) == 2 * network.edgeCount, "\(label)")
    #expect(network.edges.count == network.edgeCount, "\(label)")
    for (i, j) in network.edges { #expect(i != j && network.hasEdge(i, j) && network.hasEdge(j, i), "\(label)") }
  }

  @Test("Erdos-Renyi G(n, p): simple and symmetric, with about p n(n-1)/2 edges; p = 0 and p = 1 exactly")
  func erdosRenyi() {
    let n = 400
    for p in [0.005, 0.02, 0.1] {
      let network = Network.erdosRenyi(nodes: n, probability: p, stream: RandomStream(seed: 1))
      expectSimple(network, "G(\(n), \(p))")
      let pairs = Double(n * (n - 1) / 2)
      let sd = (pairs * p * (1 - p)).squareRoot()
      #expect(abs(Double(network.edgeCount) - pairs * p) < 5 * sd, "G(\(n), \(p)): \(network.edgeCount) edges")
    }
    #expect(Network.erdosRenyi(nodes: 50, probability: 0, stream: RandomStream(seed: 1)).edgeCount == 0)
    let complete = Network.erdosRenyi(nodes: 30, probability: 1, stream: RandomStream(seed: 1))
    #expect(complete.edgeCount == 30 * 29 / 2 && (0..<30).allSatisfy { complete.degree(of: $0) == 29 })
    // Every pair equally likely: over many small graphs each of the 6 pairs of 4 nodes appears about p of the time.
    var seen = [Int](repeating: 0, count: 16)
    let stream = RandomStream(seed: 9)
    for _ in 0..<4000 {
      for (i, j) in Network.erdosRenyi(nodes: 4, probability: 0.3, stream: stream).edges { seen[i * 4 + j] += 1 }
    }
    for i in 0..<4 {
      for j in (i + 1)..<4 { #expect(abs(Double(seen[i * 4 + j]) / 4000 - 0.3) < 0.04, "pair (\(i), \(j))") }
    }
  }

  @Test("Watts-Strogatz keeps n k / 2 edges at every rewiring probability; at 0 it is the ring lattice")
  func wattsStrogatz() {
    for (n, k) in [(100, 4), (60, 6), (11, 10)] {
      for beta in [0.0, 0.1, 0.5, 1.0] {
        let network = Network.wattsStrogatz(nodes: n, neighbours: k, rewiring: beta, stream: RandomStream(seed: 4))
        expectSimple(network, "WS(\(n), \(k), \(beta))")
        #expect(network.edgeCount == n * k / 2, "WS(\(n), \(k), \(beta))")
        if beta == 0 {
          for u in 0..<n {
            let ring: [Int] = (1...(k / 2)).flatMap { j -> [Int] in [(u + j) % n, (u - j + n) % n] }
            let found = Set(network.neighbours(of: u).map { Int($0) })
            #expect(found == Set(ring))
          }
        }
      }
    }
    let lattice = Network.wattsStrogatz(nodes: 200, neighbours: 4, rewiring: 0, stream: RandomStream(seed: 1))
    let rewired = Network.wattsStrogatz(nodes: 200, neighbours: 4, rewiring: 0.3, stream: RandomStream(seed: 1))
    let moved = lattice.edges.filter { !rewired.hasEdge($0.0, $0.1) }.count
    // About 30% of the 400 edges move (a binomial count; a few land back on a lattice edge).
    #expect(moved > 80 && moved < 160, "\(moved) of 400 lattice edges rewired")
  }

  @Test("Barabasi-Albert: m (n - m) edges, degree at least m after the star, older nodes of higher degree")
  func barabasiAlbert() {
    for (n, m) in [(500, 1), (500, 3), (50, 7)] {
      let network = Network.barabasiAlbert(nodes: n, attachments: m, stream: RandomStream(seed: 8))
      expectSimple(network, "BA(\(n), \(m))")
      #expect(network.edgeCount == m * (n - m))
      #expect(((m + 1)..<n).allSatisfy { network.degree(of: $0) >= m })
      #expect((0..<n).allSatisfy { network.degree(of: $0) >= 1 })
    }
    // Preferential attachment: the first tenth of the nodes hold far more edge ends than the last tenth, and the
    // largest degree is far above the mean (2m).
    let big = Network.barabasiAlbert(nodes: 5000, attachments: 2, stream: RandomStream(seed: 2))
    let first = (0..<500).reduce(0) { $0 + big.degree(of: $1) }
    let last = (4500..<5000).reduce(0) { $0 + big.degree(of: $1) }
    #expect(first > 3 * last, "first tenth \(first), last tenth \(last)")
    #expect((0..<5000).map(big.degree).max()! > 20 * 2)
  }

  @Test("the same seed gives the same network and the same grid draws; another seed others")
  func determinism() {
    func all(_ seed: UInt64) -> [Network] {
      [
        Network.erdosRenyi(nodes: 200, probability: 0.05, stream: RandomStream(seed: seed)),
        Network.wattsStrogatz(nodes: 200, neighbours: 6, rewiring: 0.2, stream: RandomStream(seed: seed)),
        Network.barabasiAlbert(nodes: 200, attachments: 3, stream: RandomStream(seed: seed)),
      ]
    }
    #expect(all(21) == all(21))
    #expect(zip(all(21), all(22)).allSatisfy { $0.0 != $0.1 })
    func draws(_ seed: UInt64) -> [Int] {
      var grid = GridSpace(width: 9, height: 9, agents: 40)
      let stream = RandomStream(seed: seed)
      for agent in 0..<40 { grid.place(agent, at: grid.randomEmptyCell(stream)!) }
      for agent in 0..<40 { grid.move(agent, to: grid.randomEmptyCell(stream)!) }
      return (0..<40).map { grid.position(of: $0)! }
    }
    #expect(draws(5) == draws(5) && draws(5) != draws(6))
  }

  @Test("edge lists: comments, blank lines, both directions and repeats read; bad lines refused naming the line")
  func edgeLists() throws {
    let network = try Network.parse(
      edgeList: "# a triangle and a tail\n0 1\n1\t2\n\n2 0  # closes it\n1 0\n3 2\r\n", source: "t.txt")
    #expect(network.nodeCount == 4 && network.edgeCount == 4)
    #expect(network.neighbours(of: 2).map(Int.init) == [0, 1, 3])
    #expect(try Network.parse(edgeList: "0 1\n", nodes: 5).nodeCount == 5)
    #expect(try Network.parse(edgeList: "", nodes: 3).edgeCount == 0)
    let cases: [(String, Int?, String)] = [
      ("0 1\n2 2\n", nil, "t.txt:2: node 2 is linked to itself"),
      ("0 1\n1 x\n", nil, "t.txt:2: 'x' is not a node id"),
      ("0 1 0.5\n", nil, "t.txt:1: expected two node ids separated by spaces or a tab, found 3 fields"),
      ("7\n", nil, "t.txt:1: expected two node ids separated by spaces or a tab, found 1 field: '7'"),
      ("0 -1\n", nil, "t.txt:1: '-1' is not a node id"),
      ("0 9\n", 5, "t.txt:1: node 9 is beyond the network's 5 nodes"),
      ("# nothing\n", nil, "t.txt: no edges"),
    ]
    for (text, nodes, message) in cases {
      do {
        _ = try Network.parse(edgeList: text, source: "t.txt", nodes: nodes)
        Issue.record("'\(text)' was accepted")
      } catch {
        #expect(error.description.hasPrefix(message), "\(error)")
      }
    }
    let folder = TestSupport.temporaryDirectory()
    try "0 1\n1 2\n".write(toFile: folder + "/edges.txt", atomically: true, encoding: .utf8)
    #expect(try Network.read(edgeList: folder + "/edges.txt").edgeCount == 2)
    do {
      _ = try Network.read(edgeList: folder + "/missing.txt")
      Issue.record("a missing file was read")
    } catch {
      #expect(error.description == folder + "/missing.txt: cannot read the edge list: no such file", "\(error)")
    }
  }
}
