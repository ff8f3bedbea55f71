/// One declared column of a model's records: its name, what it holds, its unit and a line saying what it means.
/// Every column a run writes resolves to a declaration (a model's own, one of ``StandardColumns``, a declared
/// parameter, or a form derived from one of these by the generic builders); the data dictionary written beside each
/// CSV, `agora list --columns` and `docs/columns.md` come from the declarations.
public struct Column: Sendable, Hashable {
  /// The column's name in the CSV header. A name with `{n}` declares a family of columns numbered from 0 or 1
  /// (`cooperation_rate_stage_{n}`).
  public var name: String
  /// What every cell holds.
  public var type: ColumnType
  /// The unit of its values (empty for a name or a pure number).
  public var unit: String
  /// One line saying what the column means.
  public var description: String
  /// Which model declares it (`nil`: every model writes it, or the derivation says).
  public var model: String?
  /// The one table the declaration is for (`nil`: any), where a name means something else than elsewhere (the
  /// commons' `villages.csv` `stock` is a village's final stock; the summary's `stock` is the parameter).
  public var table: String?

  public init(_ name: String, _ type: ColumnType = .double, unit: String = "", _ description: String) {
    self.name = name
    self.type = type
    self.unit = unit
    self.description = description
  }

  /// This declaration, for the table `table` only.
  public func only(in table: String) -> Column {
    var column = self
    column.table = table
    return column
  }

  /// A column of numbers (``ColumnType/double``).
  public init(_ name: String, unit: String = "", _ description: String) {
    self.init(name, .double, unit: unit, description)
  }

  /// Units the built-in models use.
  public enum Unit {
    /// A fraction of something, in [0, 1] (a rate, a share of a stake or of a population).
    public static let share = "share"
    /// The model's money: payoffs and amounts in the units of its stake or resource.
    public static let payoff = "payoff"
    /// A count of things (interactions, matches, agents, events).
    public static let count = "count"
    /// Rounds (or months, periods) of the model's own clock.
    public static let rounds = "rounds"
    /// The scheduler's simulated time.
    public static let time = "simulated time"
  }
}

/// The datatype of a column's cells, named as the W3C CSV-on-the-Web vocabulary names it.
public enum ColumnType: String, Sendable, Hashable, CaseIterable {
  /// Whole numbers (a seed, a count, an id, a flag 0/1).
  case integer
  /// Numbers written in their shortest round-trip form; an empty cell is undefined (NaN), `inf`/`-inf` infinite.
  case double
  /// Text: a name, a label.
  case string

  /// Whether `cell` is a value of this type (a double column also holds integers, an integer column a seed's
  /// digits).
  public func admits(_ cell: Cell) -> Bool {
    switch (self, cell) {
    case (.string, .string), (.integer, .int), (.double, .int), (.double, .double): return true
    case (.integer, .string(let s)): return !s.isEmpty && s.allSatisfy(\.isASCII) && UInt64(s) != nil
    default: return false
    }
  }
}

extension Column {
  /// `columns` as the reference table `docs/columns.md` shows (`agora list --columns` prints it).
  public static func markdownTable(_ columns: [Column]) -> String {
    (["| column | type | unit | meaning |", "|---|---|---|---|"]
      + columns.map {
        let scope = $0.table.map { " (in `\($0).csv`)" } ?? ""
        return "| `\($0.name)`\(scope) | \($0.type.rawValue) | \($0.unit) | \($0.description) |"
      })
      .joined(separator: "\n")
  }
}
