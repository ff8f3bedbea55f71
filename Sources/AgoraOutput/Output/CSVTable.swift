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

  /// Parses CSV `bytes` (RFC 4180; blank lines skipped) in one pass with all state local, so the loop makes no
  /// exclusivity check and no bounds check a byte; the rows keep the cells of the columns named in `keeping`.
  static func parse(_ bytes: UnsafeRawBufferPointer, keeping: [String]?) -> Parsed {
    var parsed = Parsed()
    var record: [String] = []
    // The cells a row keeps (once the header is read).
    var width = 16
    var fields = 0
    var lastEmpty = false
    var field: [UInt8] = []
    var quoted = false
    var line = 1
    var recordLine = 1
    let end = bytes.count
    var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    while i <= end {
      let b: UInt8 = i < end ? bytes[i] : 10
      if i == end && (quoted || (field.isEmpty && fields == 0)) {
        // The end: a last record without a line break ends here (and, unlike a blank line, counts when empty).
        if quoted { parsed.unclosedAt = line }
        break
      }
      if quoted {
        if b == 34 {
          if i + 1 < end && bytes[i + 1] == 34 {
            field.append(34)
            i += 1
          } else {
            quoted = false
          }
        } else {
          if b == 10 { line += 1 }
          field.append(b)
        }
      } else if b == 34 && field.isEmpty {
        quoted = true
      } else if b == 44 || b == 10 || b == 13 {
        if parsed.kept.map({ fields < $0.count && $0[fields] }) ?? true {
          record.append(String(decoding: field, as: UTF8.self))
        }
        lastEmpty = field.isEmpty
        fields += 1
        field.removeAll(keepingCapacity: true)
        if b != 44 {
          if b == 13 && i + 1 < end && bytes[i + 1] == 10 { i += 1 }
          if !(fields == 1 && lastEmpty) || i == end {
            if let header = parsed.header {
              if fields != header.count && parsed.mismatch == nil { parsed.mismatch = (recordLine, fields) }
              parsed.rows.append(record)
              parsed.lines.append(recordLine)
            } else {
              parsed.header = record
              width = record.count
              if let keeping, keeping.allSatisfy(record.contains) {
                parsed.kept = record.map(keeping.contains)
                width = record.count(where: keeping.contains)
              }
            }
          }
          // A new row of its own width (a row handed on keeps its buffer; emptying that would copy it at the
          // widest record's capacity, most of it unused when few columns are kept).
          record = []
          record.reserveCapacity(width)
          fields = 0
          line += 1
          recordLine = line
        }
      } else {
        field.append(b)
      }
      i += 1
    }
    return parsed
  }

  /// The line of the file that row `r` starts on, for error messages.
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
      let what = Double(cell.trimmingCharacters(in: .whitespaces)) == nil ? "not a number" : "not a finite number"
      throw .malformed(path: source, line: line(ofRow: r), reason: "column '\(columns[c])' holds '\(cell)', \(what)")
    }
    return value
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
