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

  /// Reads and parses the file at `path`.
  public init(contentsOf path: String) throws(OutputError) {
    try self.init(parsing: FileReading.data(atPath: path), source: path)
  }

  /// Parses CSV bytes; `source` names them in errors.
  public init(parsing data: Data, source: String = "<csv>") throws(OutputError) {
    var records: [[String]] = []
    var lines: [Int] = []
    var record: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var line = 1
    var recordLine = 1
    var i = data.startIndex
    if data.starts(with: [0xEF, 0xBB, 0xBF]) { i += 3 }
    func endField() {
      record.append(String(decoding: field, as: UTF8.self))
      field.removeAll(keepingCapacity: true)
    }
    while i < data.endIndex {
      let b = data[i]
      if quoted {
        if b == 34 {
          if i + 1 < data.endIndex && data[i + 1] == 34 {
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
      } else if b == 44 {
        endField()
      } else if b == 10 || b == 13 {
        if b == 13 && i + 1 < data.endIndex && data[i + 1] == 10 { i += 1 }
        endField()
        if !(record.count == 1 && record[0].isEmpty) {
          records.append(record)
          lines.append(recordLine)
        }
        record.removeAll(keepingCapacity: true)
        line += 1
        recordLine = line
      } else {
        field.append(b)
      }
      i += 1
    }
    if quoted { throw .malformed(path: source, line: line, reason: "a quoted field is not closed") }
    if !field.isEmpty || !record.isEmpty {
      endField()
      records.append(record)
      lines.append(recordLine)
    }
    guard let header = records.first else { throw .malformed(path: source, line: 1, reason: "the file is empty") }
    for (k, r) in records.enumerated().dropFirst() where r.count != header.count {
      throw .malformed(
        path: source, line: lines[k], reason: "row has \(r.count) fields, the header has \(header.count)")
    }
    columns = header
    rows = Array(records.dropFirst())
    rowLines = Array(lines.dropFirst())
    self.source = source
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
    guard let value = Double(cell.trimmingCharacters(in: .whitespaces)), value.isFinite else { return nil }
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
