/// The sugar on every cell of the grid and each cell's capacity, with rule G_alpha (growback). Cells are numbered as
/// ``GridSpace`` numbers them (`y * width + x`); amounts are whole units, as in the book.
public struct SugarLandscape: Sendable, Hashable {
  public let width: Int
  public let height: Int
  /// The most sugar each cell holds.
  public let capacity: [Int32]
  /// The sugar on each cell now.
  public internal(set) var sugar: [Int32]

  /// A landscape of the given capacities (row by row), every cell full.
  init(width: Int, height: Int, capacity: [Int32]) {
    precondition(capacity.count == width * height, "\(capacity.count) capacities for \(width) x \(height) cells")
    self.width = width
    self.height = height
    self.capacity = capacity
    sugar = capacity
  }

  /// The book's landscape (``bookRows``) on a `width x height` grid: cell (x, y) takes the capacity of the book's
  /// cell (x * 50 / width, y * 50 / height), so a 50 x 50 grid is the book's exactly and another size stretches it.
  static func book(width: Int, height: Int) -> SugarLandscape {
    let rows = bookRows.map { $0.utf8.map { Int32($0) - 48 } }
    let (across, down) = (rows[0].count, rows.count)
    var capacity = [Int32](repeating: 0, count: width * height)
    for y in 0..<height {
      for x in 0..<width { capacity[y * width + x] = rows[y * down / height][x * across / width] }
    }
    return SugarLandscape(width: width, height: height, capacity: capacity)
  }

  /// Sugar on all cells together.
  public var total: Int { sugar.reduce(0) { $0 + Int($1) } }

  /// Takes all the sugar of `cell` and returns it.
  mutating func harvest(_ cell: Int) -> Int {
    let amount = Int(sugar[cell])
    sugar[cell] = 0
    return amount
  }

  /// Rule G_alpha: every cell grows back `alpha` units, up to its capacity.
  mutating func grow(_ alpha: Int) {
    let a = Int32(alpha)
    for c in 0..<sugar.count where sugar[c] < capacity[c] { sugar[c] = min(capacity[c], sugar[c] + a) }
  }
}
