/// One value of a record: an integer, a number or a text. The engine returns records as typed cells under declared
/// ``Column``s; the output layer writes them (as CSV, with quoting and a data dictionary).
public enum Cell: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByFloatLiteral,
  ExpressibleByIntegerLiteral
{
  case int(Int)
  case double(Double)
  case string(String)

  public init(stringLiteral value: String) { self = .string(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(integerLiteral value: Int) { self = .int(value) }

  /// The value's canonical text: integers in decimal, doubles in Swift's shortest round-trip form (`inf`/`-inf`
  /// when infinite, empty when undefined, i.e. NaN), strings as they are (quoting and the formula guard are a
  /// writer's job).
  public var text: String {
    switch self {
    case .int(let v): return String(v)
    case .double(let v): return v.isFinite ? "\(v)" : (v.isNaN ? "" : (v > 0 ? "inf" : "-inf"))
    case .string(let s): return s
    }
  }
}

extension Cell {
  /// The value as a number: an integer or a double as `Double`, a text as it parses (NaN when it does not).
  public var number: Double {
    switch self {
    case .int(let v): return Double(v)
    case .double(let v): return v
    case .string(let s): return Double(s) ?? .nan
    }
  }

  /// The value as an integer: an integer as it is, a double truncated, a text as it parses (0 when it does not or
  /// is out of range).
  public var integer: Int {
    switch self {
    case .int(let v): return v
    case .double(let v): return v.isFinite ? Int(exactly: v.rounded(.towardZero)) ?? 0 : 0
    case .string(let s): return Int(s) ?? 0
    }
  }
}
