/// The shape of a grid cell's neighbourhood of radius `r`: the cells at Chebyshev distance at most `r` (Moore), or at
/// Manhattan distance at most `r` (von Neumann), the cell itself excluded; on a torus distances wrap around.
public enum Neighbourhood: String, Sendable, Hashable, Codable, CaseIterable {
  case moore
  case vonNeumann = "von_neumann"

  /// Cells in the neighbourhood of radius `radius` on a grid large enough not to clip or wrap it onto itself:
  /// `(2r + 1)^2 - 1` (Moore) or `2r(r + 1)` (von Neumann).
  public func size(radius: Int) -> Int {
    switch self {
    case .moore: return (2 * radius + 1) * (2 * radius + 1) - 1
    case .vonNeumann: return 2 * radius * (radius + 1)
    }
  }

  /// Whether the offset `(dx, dy)` (distances along each axis, already wrapped on a torus) is within `radius`.
  @inlinable
  public func reaches(dx: Int, dy: Int, radius: Int) -> Bool {
    switch self {
    case .moore: return Swift.max(Swift.abs(dx), Swift.abs(dy)) <= radius
    case .vonNeumann: return Swift.abs(dx) + Swift.abs(dy) <= radius
    }
  }
}
