/// Why a run's records cannot be written as declared: a bug in a model (an undeclared column, a cell of the wrong
/// type), refused before any file is written rather than left for a reader to find.
public enum RecordError: Error, Equatable, CustomStringConvertible {
  case undeclared(column: String, table: String, model: String)
  case wrongType(column: String, table: String, expected: ColumnType, value: String)
  case rowWidth(table: String, row: Int, cells: Int, columns: Int)
  case agentValues(column: String, values: Int, agents: Int)

  public var description: String {
    switch self {
    case .undeclared(let column, let table, let model):
      return
        "model '\(model)' writes column '\(column)' of \(table).csv without declaring it (declare it in the model's "
        + "`columns`)"
    case .wrongType(let column, let table, let expected, let value):
      return "column '\(column)' of \(table).csv is declared \(expected) but holds '\(value)'"
    case .rowWidth(let table, let row, let cells, let columns):
      return "row \(row) of \(table).csv has \(cells) cells for \(columns) columns"
    case .agentValues(let column, let values, let agents):
      return "column '\(column)' of agents.csv has \(values) values for \(agents) agents"
    }
  }
}
