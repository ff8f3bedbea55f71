import AgoraCore

/// For every cell of a grid, how many agents of each type and in all occupy its neighbourhood, kept up to date as
/// agents arrive and leave: an agent's happiness is then one read, and a move costs two walks of a neighbourhood
/// (where recounting every agent's neighbours every step would cost a walk per agent).
struct NeighbourCounts: Hashable {
  let cells: Int
  /// Agents of type `t` around cell `c` at `t * cells + c`.
  private(set) var same: [UInt16]
  /// Agents of any type around each cell.
  private(set) var occupied: [UInt16]

  init(cells: Int, types: Int) {
    self.cells = cells
    same = [UInt16](repeating: 0, count: cells * types)
    occupied = [UInt16](repeating: 0, count: cells)
  }

  /// Agents of type `type` around `cell`.
  @inline(__always)
  func of(_ type: Int, around cell: Int) -> Int { Int(same[type * cells + cell]) }

  /// Agents around `cell`.
  @inline(__always)
  func all(around cell: Int) -> Int { Int(occupied[cell]) }

  /// Counts an agent of `type` arriving on `cell` in the counts of every cell around it.
  mutating func arrive(_ type: Int, at cell: Int, grid: GridSpace, stencil: GridStencil) {
    let base = type * cells
    grid.forEachNeighbourCell(of: cell, stencil) { c in
      same[base + c] += 1
      occupied[c] += 1
    }
  }

  /// Takes an agent of `type` leaving `cell` out of the counts of every cell around it.
  mutating func leave(_ type: Int, at cell: Int, grid: GridSpace, stencil: GridStencil) {
    let base = type * cells
    grid.forEachNeighbourCell(of: cell, stencil) { c in
      assert(same[base + c] > 0 && occupied[c] > 0, "cell \(c) counts no agent of type \(type) to take away")
      same[base + c] -= 1
      occupied[c] -= 1
    }
  }

  /// The counts recomputed from scratch for agents of `types` on `grid` (for debug checks).
  static func recount(grid: GridSpace, stencil: GridStencil, types: [Int32], count: Int) -> NeighbourCounts {
    var counts = NeighbourCounts(cells: grid.cellCount, types: count)
    for (agent, type) in types.enumerated() {
      if let cell = grid.position(of: agent) { counts.arrive(Int(type), at: cell, grid: grid, stencil: stencil) }
    }
    return counts
  }
}
