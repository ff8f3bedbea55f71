/// A neighbourhood laid out for one grid (``GridSpace/stencil(_:radius:)``): the offsets of its cells, row by row
/// from the top left, so that a query walks a fixed list. On a torus the offsets are reduced modulo the grid's sides
/// and a cell reached twice (a side shorter than `2r + 1`) is kept once; cells at least `radius` from every edge use
/// the flat offsets `dy * width + dx` directly.
public struct GridStencil: Sendable, Hashable {
  public let shape: Neighbourhood
  public let radius: Int
  /// The grid the stencil was made for (a query on another grid is a bug, checked in debug builds).
  public let width: Int
  public let height: Int
  public let torus: Bool
  /// The offsets along x and y: in `-r...r` on a bounded grid, reduced to `0..<width` and `0..<height` on a torus.
  @usableFromInline let dx: [Int]
  @usableFromInline let dy: [Int]
  /// The offsets as steps in the row-major cell index, for cells whose whole neighbourhood lies inside the grid.
  @usableFromInline let flat: [Int]

  init(shape: Neighbourhood, radius: Int, width: Int, height: Int, torus: Bool) {
    precondition(radius >= 0, "a neighbourhood's radius is at least 0")
    self.shape = shape
    self.radius = radius
    self.width = width
    self.height = height
    self.torus = torus
    var dx: [Int] = []
    var dy: [Int] = []
    var flat: [Int] = []
    var seen = Set<Int>()
    for oy in -radius...radius {
      for ox in -radius...radius where (ox != 0 || oy != 0) && shape.reaches(dx: ox, dy: oy, radius: radius) {
        if torus {
          let (rx, ry) = (GridStencil.wrap(ox, width), GridStencil.wrap(oy, height))
          // The centre itself, or a cell already reached through another offset, when a side is short.
          guard rx != 0 || ry != 0, seen.insert(ry * width + rx).inserted else { continue }
          dx.append(rx)
          dy.append(ry)
        } else {
          dx.append(ox)
          dy.append(oy)
        }
        flat.append(oy * width + ox)
      }
    }
    self.dx = dx
    self.dy = dy
    // On a torus with a short side no cell is interior, and the flat offsets (which may repeat) are never used.
    self.flat = flat
  }

  /// The number of offsets: the most neighbours a cell has (fewer at a bounded grid's edges).
  public var count: Int { dx.count }

  /// `value` modulo `side`, in `0..<side`.
  @usableFromInline
  static func wrap(_ value: Int, _ side: Int) -> Int {
    let r = value % side
    return r < 0 ? r + side : r
  }
}
