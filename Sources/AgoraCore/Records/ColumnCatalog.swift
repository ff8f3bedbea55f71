/// Resolves the column names a run writes to their declarations: the model's own columns first (so a world's
/// `efficiency` means what the world says), then its declared parameters, then ``StandardColumns``; then the forms
/// the generic builders derive from a declared column: `<column>_round_1` and `<column>_round_last`,
/// `<column>_<segment>` and `<column>_<segment>_vs_<segment>` for the population's segments.
public struct ColumnCatalog: Sendable {
  /// The model's registry key.
  public let model: String
  let own: [String: Column]
  /// Declarations for one table only, by table and name.
  let scoped: [String: [String: Column]]
  let templates: [Column]
  let parameters: [String: Column]
  /// The population's segment names in snake_case, longest first (so `free_riders` wins over `riders`).
  let segments: [String]

  public init(model: String, columns: [Column], parameters: [Column], segments: [String]) {
    self.model = model
    var own: [String: Column] = [:]
    var scoped: [String: [String: Column]] = [:]
    var templates: [Column] = []
    for var column in columns {
      column.model = model
      if let table = column.table {
        scoped[table, default: [:]][column.name] = column
      } else if column.name.contains("{n}") {
        templates.append(column)
      } else if own[column.name] == nil {
        own[column.name] = column
      }
    }
    self.own = own
    self.scoped = scoped
    self.templates = templates
    var declared: [String: Column] = [:]
    for var column in parameters where declared[column.name] == nil {
      column.model = model
      declared[column.name] = column
    }
    self.parameters = declared
    self.segments = segments.sorted { $0.count > $1.count || ($0.count == $1.count && $0 < $1) }
  }

  /// The declaration of `name` in `table` (`summary`, `steps`, `segments`, a model's table), or `nil` when nothing
  /// declares it.
  public func column(_ name: String, in table: String = "summary") -> Column? {
    if let found = scoped[table]?[name] { return found }
    if let found = declared(name) { return found }
    for (suffix, phrase) in [("_round_1", "in the first round"), ("_round_last", "in the last round")]
    where name.hasSuffix(suffix) {
      if let base = declared(String(name.dropLast(suffix.count))) { return base.derived(name, phrase) }
    }
    for a in segments where name.hasSuffix("_" + a) {
      let rest = String(name.dropLast(a.count + 1))
      for b in segments where rest.hasSuffix("_" + b + "_vs") {
        if let base = declared(String(rest.dropLast(b.count + 4))) {
          return base.derived(name, "of segment `\(b)`'s agents against segment `\(a)`'s")
        }
      }
      if let base = declared(rest) { return base.derived(name, "among segment `\(a)`'s agents") }
    }
    return nil
  }

  /// A column declared by name (the model's own, a template's member, a parameter, a standard column).
  func declared(_ name: String) -> Column? {
    if let column = own[name] { return column }
    for template in templates {
      let parts = template.name.components(separatedBy: "{n}")
      guard parts.count == 2, name.hasPrefix(parts[0]), name.hasSuffix(parts[1]),
        name.count > parts[0].count + parts[1].count
      else { continue }
      let digits = name.dropFirst(parts[0].count).dropLast(parts[1].count)
      if digits.allSatisfy(\.isASCII), let n = Int(digits), n >= 0, String(n) == digits {
        var column = template
        column.name = name
        column.description = template.description.replacingOccurrences(of: "{n}", with: String(n))
        return column
      }
    }
    return parameters[name] ?? StandardColumns.shared[name]
  }

  /// The declarations of a table's columns, checking that every cell of `rows` is of its column's type.
  public func resolve(table: String, names: [String], rows: [[Cell]]) throws(RecordError) -> [Column] {
    var columns: [Column] = []
    columns.reserveCapacity(names.count)
    for name in names {
      guard let column = column(name, in: table) else {
        throw .undeclared(column: name, table: table, model: model)
      }
      columns.append(column)
    }
    try Self.check(table: table, columns: columns, rows: rows)
    return columns
  }

  /// Checks that `rows` have one cell per column, each of its column's type.
  public static func check(table: String, columns: [Column], rows: [[Cell]]) throws(RecordError) {
    for (r, row) in rows.enumerated() { try check(table: table, columns: columns, row: row, number: r + 1) }
  }

  /// Checks that `row` (the table's row `number`, from 1) has one cell per column, each of its column's type.
  public static func check(table: String, columns: [Column], row: [Cell], number: Int) throws(RecordError) {
    guard row.count == columns.count else {
      throw .rowWidth(table: table, row: number, cells: row.count, columns: columns.count)
    }
    for (column, cell) in zip(columns, row) where !column.type.admits(cell) {
      throw .wrongType(column: column.name, table: table, expected: column.type, value: cell.text)
    }
  }
}

extension Column {
  /// This column's meaning restricted by `phrase`, under `name`.
  func derived(_ name: String, _ phrase: String) -> Column {
    var column = self
    column.name = name
    column.description = description + ", " + phrase
    return column
  }
}
