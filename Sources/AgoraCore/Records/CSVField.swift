// The records the engine returns are typed cells (numbers, text); the output layer writes them as CSV.
/// One CSV cell.
public enum CSVField: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
  ExpressibleByIntegerLiteral
{
  case int(Int)
  case double(Double)
  case string(String)

  public init(stringLiteral value: String) { self = .string(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(integerLiteral value: Int) { self = .int(value) }

  /// The cell's text: integers in decimal, doubles in Swift's shortest round-trip form (`inf`/`-inf` when
  /// infinite, an empty cell when undefined, i.e. NaN), strings as they are (quoting and the formula guard are the
  /// writer's job).
  public var text: String {
    switch self {
    case .int(let v): return String(v)
    case .double(let v): return v.isFinite ? "\(v)" : (v.isNaN ? "" : (v > 0 ? "inf" : "-inf"))
    case .string(let s): return s
    }
  }
}
