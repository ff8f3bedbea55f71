/// A 2-D grid of `width x height` cells, bounded or wrapped into a torus, on which agents (by id, `0..<agents`) are
/// placed, moved and removed, one per cell or, as an option, many.
///
/// Cells are numbered row by row, `cell = y * width + x`. Each cell's agents form a doubly linked list, so every
/// change is O(1). The empty cells are kept in a list with each cell's slot in it: placing an agent on an empty cell
/// swaps the last empty cell into its slot, emptying a cell appends it, so a uniform empty cell is one draw
/// (``randomEmptyCell(_:)``). Each change checks its invariants in debug builds; ``invariantsHold`` checks them all.
public struct GridSpace: Sendable, Hashable {
  public let width: Int
  public let height: Int
  /// Whether the grid wraps around at its edges.
  public let torus: Bool
  /// Whether a cell may hold more than one agent.
  public let multiple: Bool
  /// Each cell's first agent (-1: none), its number of agents, and its slot in `empties` (-1: occupied).
  @usableFromInline var head: [Int32]
  @usableFromInline var occupancy: [Int32]
  var emptySlot: [Int32]
  /// The empty cells, in no particular but reproducible order.
  @usableFromInline var empties: [Int32]
  /// Each agent's cell (-1: not placed) and its neighbours in its cell's list (-1: none).
  @usableFromInline var cellOf: [Int32]
  @usableFromInline var next: [Int32]
  var previous: [Int32]
  /// The number of agents on the grid.
  public private(set) var placed = 0

  /// An empty grid for agents `0..<agents`.
  public init(width: Int, height: Int, torus: Bool = false, agents: Int, multiple: Bool = false) {
    precondition(width >= 1 && height >= 1, "a grid has at least one cell")
    let (cells, overflow) = width.multipliedReportingOverflow(by: height)
    precondition(!overflow && cells < Int(Int32.max), "a grid has fewer than 2^31 cells")
    precondition(agents >= 0 && agents < Int(Int32.max), "agent ids must fit 31 bits")
    self.width = width
    self.height = height
    self.torus = torus
    self.multiple = multiple
    head = [Int32](repeating: -1, count: cells)
    occupancy = [Int32](repeating: 0, count: cells)
    emptySlot = (0..<Int32(cells)).map { $0 }
    empties = (0..<Int32(cells)).map { $0 }
    cellOf = [Int32](repeating: -1, count: agents)
    next = [Int32](repeating: -1, count: agents)
    previous = [Int32](repeating: -1, count: agents)
  }

  /// The number of cells.
  public var cellCount: Int { width * height }
  /// The number of agent ids the grid holds places for.
  public var agentCapacity: Int { cellOf.count }

  /// The cell at column `x`, row `y`.
  @inlinable
  public func cell(x: Int, y: Int) -> Int {
    assert(x >= 0 && x < width && y >= 0 && y < height, "(\(x), \(y)) is off the \(width) x \(height) grid")
    return y * width + x
  }

  /// The column and row of `cell`.
  @inlinable
  public func coordinates(of cell: Int) -> (x: Int, y: Int) { (cell % width, cell / width) }

  /// The cell `agent` is on, or nil when it is not placed.
  @inlinable
  public func position(of agent: Int) -> Int? {
    let c = cellOf[agent]
    return c < 0 ? nil : Int(c)
  }

  /// The number of agents on `cell`.
  @inlinable
  public func count(at cell: Int) -> Int { Int(occupancy[cell]) }

  @inlinable
  public func isEmpty(_ cell: Int) -> Bool { occupancy[cell] == 0 }

  /// The first agent on `cell` (the only one on a grid of one agent per cell), or nil.
  @inlinable
  public func occupant(at cell: Int) -> Int? {
    let a = head[cell]
    return a < 0 ? nil : Int(a)
  }

  /// The agents on `cell`, the last placed first.
  public func agents(at cell: Int) -> [Int] {
    var list: [Int] = []
    var a = head[cell]
    while a >= 0 {
      list.append(Int(a))
      a = next[Int(a)]
    }
    return list
  }

  /// The number of empty cells.
  public var emptyCount: Int { empties.count }

  /// The `k`-th empty cell of the list (`0..<emptyCount`): a uniform `k` gives a uniform empty cell.
  @inlinable
  public func emptyCell(_ k: Int) -> Int { Int(empties[k]) }

  /// A uniformly random empty cell (one draw from `stream`), or nil when every cell is taken.
  public func randomEmptyCell(_ stream: RandomStream) -> Int? {
    empties.isEmpty ? nil : Int(empties[stream.integer(below: empties.count)])
  }

  /// Puts `agent` (not placed) on `cell` (empty, on a grid of one agent per cell).
  public mutating func place(_ agent: Int, at cell: Int) {
    precondition(cellOf[agent] < 0, "agent \(agent) is already on cell \(cellOf[agent])")
    precondition(multiple || occupancy[cell] == 0, "cell \(cell) is taken by agent \(head[cell])")
    if occupancy[cell] == 0 { takeEmpty(cell) }
    let first = head[cell]
    next[agent] = first
    previous[agent] = -1
    if first >= 0 { previous[Int(first)] = Int32(agent) }
    head[cell] = Int32(agent)
    occupancy[cell] += 1
    cellOf[agent] = Int32(cell)
    placed += 1
    assert(emptySlot[cell] < 0 && head[cell] == Int32(agent), "cell \(cell) is listed empty with agent \(agent)")
  }

  /// Takes `agent` off the grid.
  public mutating func remove(_ agent: Int) {
    let cell = Int(cellOf[agent])
    precondition(cell >= 0, "agent \(agent) is not on the grid")
    let (before, after) = (previous[agent], next[agent])
    if before >= 0 { next[Int(before)] = after } else { head[cell] = after }
    if after >= 0 { previous[Int(after)] = before }
    next[agent] = -1
    previous[agent] = -1
    cellOf[agent] = -1
    occupancy[cell] -= 1
    placed -= 1
    if occupancy[cell] == 0 {
      emptySlot[cell] = Int32(empties.count)
      empties.append(Int32(cell))
    }
    assert(occupancy[cell] >= 0 && (occupancy[cell] == 0) == (head[cell] < 0), "cell \(cell)'s list is broken")
  }

  /// Moves `agent` (placed) to `cell` (empty, on a grid of one agent per cell). When the agent leaves its cell empty
  /// and takes an empty one, the cell it left takes the other's slot in the list of empty cells.
  public mutating func move(_ agent: Int, to cell: Int) {
    guard Int(cellOf[agent]) != cell else { return }
    remove(agent)
    place(agent, at: cell)
  }

  /// Removes `cell` from the list of empty cells: the last empty cell takes its slot.
  mutating func takeEmpty(_ cell: Int) {
    let slot = Int(emptySlot[cell])
    assert(slot >= 0 && empties[slot] == Int32(cell), "cell \(cell) is not in the list of empty cells")
    let last = empties.removeLast()
    if Int(last) != cell {
      empties[slot] = last
      emptySlot[Int(last)] = Int32(slot)
    }
    emptySlot[cell] = -1
  }

  /// Whether every invariant holds (O(cells + agents); for tests and debug checks): each cell's list holds exactly
  /// the agents placed on it, its count is their number, it is listed empty exactly when it has none, at most one
  /// agent a cell unless ``multiple``, and ``placed`` counts them all.
  public var invariantsHold: Bool {
    var seen = 0
    for cell in 0..<cellCount {
      var n: Int32 = 0
      var a = head[cell]
      var before: Int32 = -1
      while a >= 0 {
        guard cellOf[Int(a)] == Int32(cell), previous[Int(a)] == before, n < Int32(cellOf.count) else { return false }
        n += 1
        before = a
        a = next[Int(a)]
      }
      guard n == occupancy[cell], multiple || n <= 1 else { return false }
      let slot = Int(emptySlot[cell])
      if n == 0 {
        guard slot >= 0, slot < empties.count, empties[slot] == Int32(cell) else { return false }
      } else if slot >= 0 {
        return false
      }
      seen += Int(n)
    }
    return seen == placed && cellOf.filter { $0 >= 0 }.count == placed
      && empties.count == occupancy.filter { $0 == 0 }.count
  }
}

extension GridSpace {
  /// The neighbourhood `shape` of radius `radius` laid out for this grid.
  public func stencil(_ shape: Neighbourhood, radius: Int) -> GridStencil {
    GridStencil(shape: shape, radius: radius, width: width, height: height, torus: torus)
  }

  /// Calls `body` with every cell of `cell`'s neighbourhood (clipped at a bounded grid's edges, wrapped on a torus;
  /// never `cell` itself, never a cell twice), in the stencil's order.
  @inlinable
  public func forEachNeighbourCell(of cell: Int, _ stencil: GridStencil, _ body: (Int) -> Void) {
    assert(stencil.width == width && stencil.height == height && stencil.torus == torus, "another grid's stencil")
    let (x, y) = (cell % width, cell / width)
    let r = stencil.radius
    if x >= r && x < width - r && y >= r && y < height - r {
      for offset in stencil.flat { body(cell + offset) }
    } else if torus {
      for k in 0..<stencil.dx.count {
        var xx = x + stencil.dx[k]
        if xx >= width { xx -= width }
        var yy = y + stencil.dy[k]
        if yy >= height { yy -= height }
        body(yy * width + xx)
      }
    } else {
      for k in 0..<stencil.dx.count {
        let (xx, yy) = (x + stencil.dx[k], y + stencil.dy[k])
        if xx >= 0 && xx < width && yy >= 0 && yy < height { body(yy * width + xx) }
      }
    }
  }

  /// The cells of `cell`'s neighbourhood, in the stencil's order.
  public func neighbourCells(of cell: Int, _ stencil: GridStencil) -> [Int] {
    var cells: [Int] = []
    cells.reserveCapacity(stencil.count)
    forEachNeighbourCell(of: cell, stencil) { cells.append($0) }
    return cells
  }

  /// Calls `body` with every agent on a cell of `cell`'s neighbourhood.
  @inlinable
  public func forEachNeighbour(of cell: Int, _ stencil: GridStencil, _ body: (Int) -> Void) {
    forEachNeighbourCell(of: cell, stencil) { c in
      var a = head[c]
      while a >= 0 {
        body(Int(a))
        a = next[Int(a)]
      }
    }
  }

  /// The agents on the cells of `cell`'s neighbourhood, cell by cell in the stencil's order.
  public func neighbours(of cell: Int, _ stencil: GridStencil) -> [Int] {
    var agents: [Int] = []
    forEachNeighbour(of: cell, stencil) { agents.append($0) }
    return agents
  }

  /// Whether `b` is in `a`'s neighbourhood `shape` of radius `radius` (distances wrapped on a torus; a cell is not its
  /// own neighbour). Symmetric.
  public func areNeighbours(_ a: Int, _ b: Int, _ shape: Neighbourhood, radius: Int) -> Bool {
    guard a != b else { return false }
    var dx = Swift.abs(a % width - b % width)
    var dy = Swift.abs(a / width - b / width)
    if torus {
      dx = Swift.min(dx, width - dx)
      dy = Swift.min(dy, height - dy)
    }
    return shape.reaches(dx: dx, dy: dy, radius: radius)
  }
}
