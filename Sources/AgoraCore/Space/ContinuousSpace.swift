import Foundation

/// A 2-D continuous space `[0, width] x [0, height]`, bounded or wrapped into a torus (`[0, width) x [0, height)`),
/// on which agents (by id, `0..<agents`) have positions, with a uniform cell index for radius queries.
///
/// The index divides the space into `columns x rows` equal cells of sides at least `cellSize` (the sides divide
/// the space exactly, so wrapped cells line up); each cell's agents form a doubly linked list, so placing, moving
/// and removing are O(1), and a query of radius `r` reads the cells that the square of side `2r` around its centre
/// touches, each once. A radius near `cellSize` reads about nine cells. Unlike the dark forest's fixed index, this
/// one follows agents that move.
public struct ContinuousSpace: Sendable {
  public let width: Double
  public let height: Double
  /// Whether the space wraps around at its edges.
  public let torus: Bool
  /// The index's cells: `columns x rows`, each `cellWidth x cellHeight`.
  public let columns: Int
  public let rows: Int
  public let cellWidth: Double
  public let cellHeight: Double
  /// Each agent's position (NaN: not placed), its cell (-1: none) and its neighbours in the cell's list.
  var x: [Double]
  var y: [Double]
  var cellOf: [Int32]
  var next: [Int32]
  var previous: [Int32]
  /// Each cell's first agent (-1: none).
  var head: [Int32]
  /// The number of agents in the space.
  public private(set) var placed = 0

  /// The most cells the index may have.
  public static let maximumCells = 1 << 26

  /// An empty space for agents `0..<agents`, indexed by cells of side at least `cellSize` (a query radius near it
  /// reads the fewest agents).
  public init(width: Double, height: Double, torus: Bool = false, cellSize: Double, agents: Int) {
    precondition(width > 0 && height > 0 && width.isFinite && height.isFinite, "a space has finite positive sides")
    precondition(cellSize > 0 && cellSize.isFinite, "the index's cells have a finite positive side")
    precondition(agents >= 0 && agents < Int(Int32.max), "agent ids must fit 31 bits")
    let columns = Int(Swift.max(1, Swift.min((width / cellSize).rounded(.down), Double(Self.maximumCells))))
    let rows = Int(Swift.max(1, Swift.min((height / cellSize).rounded(.down), Double(Self.maximumCells))))
    precondition(columns * rows <= Self.maximumCells, "the index would have more than 2^26 cells: a larger cellSize")
    self.width = width
    self.height = height
    self.torus = torus
    self.columns = columns
    self.rows = rows
    cellWidth = width / Double(columns)
    cellHeight = height / Double(rows)
    x = [Double](repeating: .nan, count: agents)
    y = [Double](repeating: .nan, count: agents)
    cellOf = [Int32](repeating: -1, count: agents)
    next = [Int32](repeating: -1, count: agents)
    previous = [Int32](repeating: -1, count: agents)
    head = [Int32](repeating: -1, count: columns * rows)
  }

  /// `agent`'s position, or nil when it is not placed.
  public func position(of agent: Int) -> (x: Double, y: Double)? {
    cellOf[agent] < 0 ? nil : (x[agent], y[agent])
  }

  /// The index cell of a position in the space.
  func cell(x px: Double, y py: Double) -> Int {
    let cx = Swift.min(columns - 1, Swift.max(0, Int((px / cellWidth).rounded(.down))))
    let cy = Swift.min(rows - 1, Swift.max(0, Int((py / cellHeight).rounded(.down))))
    return cy * columns + cx
  }

  /// A position brought into the space: wrapped on a torus, refused off a bounded space.
  func inside(_ px: Double, _ py: Double) -> (Double, Double) {
    precondition(px.isFinite && py.isFinite, "a position is finite")
    if torus {
      var (wx, wy) = (px.truncatingRemainder(dividingBy: width), py.truncatingRemainder(dividingBy: height))
      if wx < 0 { wx += width }
      if wy < 0 { wy += height }
      // A tiny negative remainder plus the side rounds to the side itself.
      return (wx < width ? wx : 0, wy < height ? wy : 0)
    }
    precondition(px >= 0 && px <= width && py >= 0 && py <= height, "(\(px), \(py)) is outside the space")
    return (px, py)
  }

  /// Puts `agent` (not placed) at `(px, py)` (wrapped on a torus).
  public mutating func place(_ agent: Int, x px: Double, y py: Double) {
    precondition(cellOf[agent] < 0, "agent \(agent) is already placed")
    let (wx, wy) = inside(px, py)
    let c = cell(x: wx, y: wy)
    x[agent] = wx
    y[agent] = wy
    link(agent, into: c)
    placed += 1
  }

  /// Moves `agent` (placed) to `(px, py)` (wrapped on a torus); it changes lists only when it changes cells.
  public mutating func move(_ agent: Int, x px: Double, y py: Double) {
    precondition(cellOf[agent] >= 0, "agent \(agent) is not placed")
    let (wx, wy) = inside(px, py)
    let c = cell(x: wx, y: wy)
    x[agent] = wx
    y[agent] = wy
    if Int(cellOf[agent]) != c {
      unlink(agent)
      link(agent, into: c)
    }
  }

  /// Takes `agent` out of the space.
  public mutating func remove(_ agent: Int) {
    precondition(cellOf[agent] >= 0, "agent \(agent) is not placed")
    unlink(agent)
    x[agent] = .nan
    y[agent] = .nan
    placed -= 1
  }

  mutating func link(_ agent: Int, into c: Int) {
    let first = head[c]
    next[agent] = first
    previous[agent] = -1
    if first >= 0 { previous[Int(first)] = Int32(agent) }
    head[c] = Int32(agent)
    cellOf[agent] = Int32(c)
  }

  mutating func unlink(_ agent: Int) {
    let c = Int(cellOf[agent])
    let (before, after) = (previous[agent], next[agent])
    if before >= 0 { next[Int(before)] = after } else { head[c] = after }
    if after >= 0 { previous[Int(after)] = before }
    next[agent] = -1
    previous[agent] = -1
    cellOf[agent] = -1
    assert(head[c] != Int32(agent), "agent \(agent) is still first in cell \(c)")
  }

  /// The distance between two positions (the shorter way round on a torus).
  public func distance(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
    var dx = Swift.abs(a.x - b.x)
    var dy = Swift.abs(a.y - b.y)
    if torus {
      dx = Swift.min(dx, width - dx)
      dy = Swift.min(dy, height - dy)
    }
    return (dx * dx + dy * dy).squareRoot()
  }

  /// The index cells along one axis that the interval `[p - r, p + r]` touches: one range, or on a torus up to two
  /// (wrapped), never a cell twice.
  static func span(_ p: Double, _ r: Double, side: Double, cells: Int, torus: Bool) -> [ClosedRange<Int>] {
    let lo = ((p - r) / side).rounded(.down)
    let hi = ((p + r) / side).rounded(.down)
    if torus {
      guard hi - lo + 1 < Double(cells) else { return [0...(cells - 1)] }
      let (a, b) = (Int(lo), Int(hi))
      let start = ((a % cells) + cells) % cells
      let end = start + (b - a)
      return end < cells ? [start...end] : [start...(cells - 1), 0...(end - cells)]
    }
    let first = Int(Swift.max(0, Swift.min(Double(cells - 1), lo)))
    let last = Int(Swift.max(0, Swift.min(Double(cells - 1), hi)))
    return hi < 0 || lo > Double(cells - 1) ? [] : [first...last]
  }

  /// Calls `body` with every agent within `radius` of `(px, py)` (the distance included), index cell by index cell.
  public func forEachAgent(near px: Double, _ py: Double, within radius: Double, _ body: (Int, Double) -> Void) {
    guard radius >= 0, placed > 0 else { return }
    let (qx, qy) = torus ? inside(px, py) : (px, py)
    let point = (x: qx, y: qy)
    let xs = Self.span(qx, radius, side: cellWidth, cells: columns, torus: torus)
    let ys = Self.span(qy, radius, side: cellHeight, cells: rows, torus: torus)
    for yr in ys {
      for cy in yr {
        for xr in xs {
          for cx in xr {
            var a = head[cy * columns + cx]
            while a >= 0 {
              let i = Int(a)
              let d = distance(point, (x[i], y[i]))
              if d <= radius { body(i, d) }
              a = next[i]
            }
          }
        }
      }
    }
  }

  /// The agents within `radius` of `(px, py)`, in increasing order of id.
  public func agents(near px: Double, _ py: Double, within radius: Double) -> [Int] {
    var found: [Int] = []
    forEachAgent(near: px, py, within: radius) { i, _ in found.append(i) }
    return found.sorted()
  }

  /// The other agents within `radius` of `agent` (placed), in increasing order of id.
  public func neighbours(of agent: Int, within radius: Double) -> [Int] {
    guard let p = position(of: agent) else { return [] }
    return agents(near: p.x, p.y, within: radius).filter { $0 != agent }
  }

  /// Whether every invariant holds (O(cells + agents); for tests and debug checks): each cell's list holds exactly
  /// the placed agents whose position falls in it, and ``placed`` counts them.
  public var invariantsHold: Bool {
    var seen = 0
    for c in 0..<head.count {
      var a = head[c]
      var before: Int32 = -1
      while a >= 0 {
        let i = Int(a)
        guard cellOf[i] == Int32(c), previous[i] == before, cell(x: x[i], y: y[i]) == c, seen < cellOf.count else {
          return false
        }
        seen += 1
        before = a
        a = next[i]
      }
    }
    return seen == placed && cellOf.filter { $0 >= 0 }.count == placed
  }
}
