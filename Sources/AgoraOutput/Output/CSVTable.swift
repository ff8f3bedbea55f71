import AgoraCore
import AgoraLanguageModel
import Foundation

/// A CSV file read into memory: a header and rows of text cells (RFC 4180: quoted fields may hold commas,
/// doubled quotes and line breaks). A UTF-8 byte order mark (as Excel writes) is skipped.
public struct CSVTable: Sendable {
  public var columns: [String]
  public var rows: [[String]]
  /// Where the table came from, for error messages.
  public var source: String
  /// The line of the file each row starts on (rows may span lines, blank lines are skipped); empty when the
  /// table was not parsed from a file, and then row `r` counts as line `r + 2`.
  var rowLines: [Int] = []

  public init(columns: [String], rows: [[String]], source: String = "<csv>") {
    self.columns = columns
    self.rows = rows
    self.source = source
  }

  /// Reads and parses the file at `path`; with `keeping`, only those columns (see ``init(parsing:source:keeping:)``).
  public init(contentsOf path: String, keeping: [String]? = nil) throws(OutputError) {
    try self.init(parsing: FileReading.data(atPath: path), source: path, keeping: keeping)
  }

  /// Parses CSV bytes; `source` names them in errors. With `keeping`, the table holds only the columns of those
  /// names (in file order; every column when one is missing, so that looking it up names the file's columns), and
  /// the other cells are checked but never made strings: a command that reads two columns of a wide file holds those.
  public init(parsing data: Data, source: String = "<csv>", keeping: [String]? = nil) throws(OutputError) {
    let parsed = data.withUnsafeBytes { CSVTable.parse($0, keeping: keeping) }
    if let line = parsed.unclosedAt {
      throw .malformed(path: source, line: line, reason: "a quoted field is not closed")
    }
    guard let header = parsed.header else { throw .malformed(path: source, line: 1, reason: "the file is empty") }
    if let (line, count) = parsed.mismatch {
      throw .malformed(path: source, line: line, reason: "row has \(count) fields, the header has \(header.count)")
    }
    columns = parsed.kept.map { kept in header.indices.filter { kept[$0] }.map { header[$0] } } ?? header
    rows = parsed.rows
    rowLines = parsed.lines
    self.source = source
  }

  /// What ``parse(_:keeping:)`` read: the header (`nil` for no record), the rows (their kept cells) and the line
  /// each starts on, which of the header's columns the rows keep (`nil`: all), the line of the end when a quoted
  /// field is not closed, and the first row whose field count is not the header's.
  struct Parsed {
    var header: [String]? = nil
    var rows: [[String]] = []
    var lines: [Int] = []
    var kept: [Bool]? = nil
    var unclosedAt: Int? = nil
    var mismatch: (line: Int, fields: Int)? = nil
  }

  static func parse(_ bytes: UnsafeRawBufferPointer, keeping: [String]?) -> Parsed {
    var scanner = CSVScanner(keeping: keeping)
    var rows: [[String]] = []
    var lines: [Int] = []
    _ = scanner.scan(bytes, final: true) { record, line, _ in
      rows.append(record.strings)
      lines.append(line)
    }
    return Parsed(
      header: scanner.header, rows: rows, lines: lines, kept: scanner.kept, unclosedAt: scanner.unclosedAt,
      mismatch: scanner.mismatch)
  }

  public func line(ofRow r: Int) -> Int { r < rowLines.count ? rowLines[r] : r + 2 }

  /// The index of `name`, or an error listing the columns there are.
  public func columnIndex(_ name: String) throws(OutputError) -> Int {
    guard let index = columns.firstIndex(of: name) else {
      var reason = "no column '\(name)'"
      if let guess = nearest(name, in: columns) { reason += "; did you mean '\(guess)'?" }
      throw .missingColumn(path: source, reason: reason + " The columns are: \(columns.joined(separator: ", "))")
    }
    return index
  }
}

extension CSVTable {
  /// The finite number `cell` holds (spaces around it allowed), or `nil`: text, an empty cell, `inf`, `nan` and
  /// numbers too large for a double (`1e999`) are not finite numbers.
  public static func finiteNumber(_ cell: String) -> Double? {
    // Trimming changes only a cell that starts or ends with whitespace: one whose first and last bytes are printable
    // ASCII other than the space is read as it is (Foundation's trimming costs more than the number itself).
    let utf8 = cell.utf8
    let plain = utf8.first.map { $0 > 32 && $0 < 128 } == true && utf8.last.map { $0 > 32 && $0 < 128 } == true
    guard let value = Double(plain ? cell : cell.trimmingCharacters(in: .whitespaces)), value.isFinite else {
      return nil
    }
    return value
  }

  /// The number in row `r` of column `c`; anything but a finite number is an error naming the file, the line and
  /// the column. Every command that computes with CSV cells reads them through this.
  public func number(row r: Int, column c: Int) throws(OutputError) -> Double {
    let cell = rows[r][c]
    guard let value = CSVTable.finiteNumber(cell) else {
      throw CSVTable.notANumber(path: source, line: line(ofRow: r), column: columns[c], cell: cell)
    }
    return value
  }

  /// The error of a cell that should hold a finite number and does not.
  static func notANumber(path: String, line: Int, column: String, cell: String) -> OutputError {
    let what = Double(cell.trimmingCharacters(in: .whitespaces)) == nil ? "not a number" : "not a finite number"
    return .malformed(path: path, line: line, reason: "column '\(column)' holds '\(cell)', \(what)")
  }

  /// The numbers of `column`, split by the values of `groupColumn` (in order of first appearance), or one group
  /// named `all`. A cell that is not a finite number is an error naming the line.
  public func numbers(in column: String, groupedBy groupColumn: String? = nil) throws(OutputError) -> [(
    group: String, values: [Double]
  )] {
    let valueIndex = try columnIndex(column)
    let groupIndex = try groupColumn.map { c throws(OutputError) in try columnIndex(c) }
    var order: [String] = []
    var values: [String: [Double]] = [:]
    for (r, row) in rows.enumerated() {
      let v = try number(row: r, column: valueIndex)
      let key = groupIndex.map { row[$0] } ?? "all"
      if values[key] == nil { order.append(key) }
      values[key, default: []].append(v)
    }
    return order.map { ($0, values[$0]!) }
  }
}
