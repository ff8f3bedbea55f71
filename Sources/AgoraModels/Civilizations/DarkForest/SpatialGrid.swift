import Foundation

/// A uniform grid over the region for finding civilizations near a point.
///
/// Its members are stored cell after cell (each cell's in increasing order of civilization), with their positions and
/// whether they are alive beside them, so a search reads one contiguous run of memory per row of cells: the cells
/// within reach of a civilization, in the order of their index, and each cell's members in order.
struct SpatialGrid {
  let cell: Double
  let dimensions: Int
  let side: Int
  /// Cell `c`'s members are `members[start[c] ..< start[c + 1]]`.
  let start: [Int32]
  let members: [Int32]
  /// Each member's coordinates (`dimensions` a member), in the order of `members`.
  let coordinates: [Double]
  /// Whether each member is alive, in the order of `members` (kept by ``DarkForestRun``).
  private(set) var live: [Bool]
  /// Where each civilization is in `members`.
  let slot: [Int32]

  init(positions: [Double], dimensions: Int, region: Double, cell: Double) {
    self.cell = cell
    self.dimensions = dimensions
    let side = max(1, Int((region / cell).rounded(.up)))
    self.side = side
    let n = positions.count / dimensions
    let cells = Int(pow(Double(side), Double(dimensions)))
    let home = (0..<n).map { i in
      var index = 0
      for k in (0..<dimensions).reversed() {
        index = index * side + min(side - 1, Int(positions[i * dimensions + k] / cell))
      }
      return index
    }
    var start = [Int32](repeating: 0, count: cells + 1)
    for c in home { start[c + 1] += 1 }
    for c in 0..<cells { start[c + 1] += start[c] }
    var fill = start
    var members = HugePageArrays.make(repeating: Int32(0), count: n)
    var slot = HugePageArrays.make(repeating: Int32(0), count: n)
    var coordinates = HugePageArrays.make(repeating: 0.0, count: n * dimensions)
    for i in 0..<n {
      let m = Int(fill[home[i]])
      fill[home[i]] += 1
      members[m] = Int32(i)
      slot[i] = Int32(m)
      for k in 0..<dimensions { coordinates[m * dimensions + k] = positions[i * dimensions + k] }
    }
    self.start = start
    self.members = members
    self.slot = slot
    self.coordinates = coordinates
    live = [Bool](repeating: false, count: n)
  }

  /// Marks civilization `i` alive or not.
  @inline(__always) mutating func setAlive(_ i: Int, _ value: Bool) { live[Int(slot[i])] = value }

  /// The rows of cells within `radius` of civilization `i`, as ranges of `members`.
  func rows(around i: Int, within radius: Double) -> Rows {
    let reach = radius / cell < Double(side) ? Int((radius / cell).rounded(.up)) : side
    let m = Int(slot[i])
    func range(_ k: Int) -> ClosedRange<Int> {
      guard k < dimensions else { return 0...0 }
      let home = min(side - 1, Int(coordinates[m * dimensions + k] / cell))
      return max(0, home - reach)...min(side - 1, home + reach)
    }
    return Rows(start: start, side: side, x: range(0), y: range(1), z: range(2))
  }

  /// The rows of the cells that a disc (ball) of `radius` around civilization `i` overlaps: every civilization within
  /// `radius` of it is in them (a margin of 1e-9 of the radius covers rounding), in the order of
  /// ``rows(around:within:)``, which also visits the rest of the cells next to `i`'s.
  func rows(overlapping radius: Double, around i: Int) -> Rows {
    let m = Int(slot[i])
    let r = radius * (1 + 1e-9)
    func range(_ k: Int) -> ClosedRange<Int> {
      guard k < dimensions else { return 0...0 }
      let x = coordinates[m * dimensions + k]
      let low = ((x - r) / cell).rounded(.down)
      let high = ((x + r) / cell).rounded(.down)
      let last = Double(side - 1)
      return Int(min(last, max(0, low)))...Int(min(last, max(0, high)))
    }
    return Rows(start: start, side: side, x: range(0), y: range(1), z: range(2))
  }

  /// The rows of cells of a box: for each `z`, then each `y` (a single 0 in fewer dimensions), the cells `x` as one
  /// range of members (consecutive cells' members are consecutive).
  struct Rows: IteratorProtocol, Sequence {
    let start: [Int32]
    let side: Int
    let x: ClosedRange<Int>, y: ClosedRange<Int>, z: ClosedRange<Int>
    var cy: Int, cz: Int

    init(start: [Int32], side: Int, x: ClosedRange<Int>, y: ClosedRange<Int>, z: ClosedRange<Int>) {
      (self.start, self.side) = (start, side)
      (self.x, self.y, self.z) = (x, y, z)
      (cy, cz) = (y.lowerBound, z.lowerBound)
    }

    mutating func next() -> Range<Int>? {
      guard cz <= z.upperBound else { return nil }
      let row = (cz * side + cy) * side
      let range = Int(start[row + x.lowerBound])..<Int(start[row + x.upperBound + 1])
      cy += 1
      if cy > y.upperBound { (cy, cz) = (y.lowerBound, cz + 1) }
      return range
    }
  }
}
