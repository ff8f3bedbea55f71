import AgoraCore
import Foundation

/// RFC 4180 records from bytes that may come in pieces: a file read a chunk at a time holds no more than a chunk
/// and the values a caller keeps (`agora metrics` and `analyze` on files larger than memory should allow), and a
/// whole buffer (``CSVTable``) is one final piece. Quoted fields may hold commas, quotes (doubled) and line breaks;
/// CRLF and a leading byte order mark are read; a blank line is skipped. With `keeping`, a row hands on only the
/// fields of those columns (when the header has them all).
struct CSVScanner {
  let keeping: [String]?
  private(set) var header: [String]? = nil
  /// Which header columns a row keeps (`nil`: all).
  private(set) var kept: [Bool]? = nil
  /// The line where a quoted field that never closed began.
  private(set) var unclosedAt: Int? = nil
  /// The first row whose field count differs from the header's.
  private(set) var mismatch: (line: Int, fields: Int)? = nil
  private var record: [String] = []
  private var width = 16
  private var fields = 0
  private var lastEmpty = false
  private var field: [UInt8] = []
  private var quoted = false
  private var line = 1
  private var recordLine = 1
  private var started = false

  /// Whether rows handed on are not kept by the caller, so that one buffer serves every row.
  let reuses: Bool

  init(keeping: [String]?, reuses: Bool = false) {
    self.keeping = keeping
    self.reuses = reuses
  }

  /// Scans `bytes`, handing each complete row after the header to `row` with its first line; returns how many bytes
  /// it used. Unless `final`, it stops before the last byte (a quote or a CR is read with the byte after it), and
  /// the caller hands the unused bytes on with the next piece; `final` ends the last record at the end.
  /// `header` hears of the header once it is read: the columns a row hands on, and the header's width; `row`
  /// also gets the record's own field count (a row of another width than the header's is malformed).
  mutating func scan(
    _ bytes: UnsafeRawBufferPointer, final: Bool,
    header heard: (_ columns: [String], _ width: Int) -> Void = { _, _ in },
    row: (_ fields: [String], _ line: Int, _ count: Int) throws -> Void
  ) rethrows -> Int {
    let end = bytes.count
    var i = 0
    if !started {
      guard final || end >= 3 else { return 0 }
      started = true
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    }
    let stop = final ? end : end - 1
    while final ? i <= end : i < stop {
      let b: UInt8 = i < end ? bytes[i] : 10
      if i == end && (quoted || (field.isEmpty && fields == 0)) {
        // The end: a last record without a line break ends here (and, unlike a blank line, counts when empty).
        if quoted { unclosedAt = line }
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
        if kept.map({ fields < $0.count && $0[fields] }) ?? true {
          record.append(String(decoding: field, as: UTF8.self))
        }
        lastEmpty = field.isEmpty
        fields += 1
        field.removeAll(keepingCapacity: true)
        if b != 44 {
          if b == 13 && i + 1 < end && bytes[i + 1] == 10 { i += 1 }
          if !(fields == 1 && lastEmpty) || i == end {
            if let header {
              if fields != header.count && mismatch == nil { mismatch = (recordLine, fields) }
              try row(record, recordLine, fields)
            } else {
              header = record
              width = record.count
              if let keeping, keeping.allSatisfy(record.contains) {
                kept = record.map(keeping.contains)
                width = record.count(where: keeping.contains)
              }
              heard(columns ?? record, record.count)
            }
          }
          // A new row of its own width (a row handed on keeps its buffer; emptying that would copy it at the
          // widest record's capacity, most of it unused when few columns are kept).
          if reuses {
            record.removeAll(keepingCapacity: true)
          } else {
            record = []
            record.reserveCapacity(width)
          }
          fields = 0
          line += 1
          recordLine = line
        }
      } else {
        // An unquoted run: everything up to the next comma or line break at once.
        let limit = final ? end : stop
        var j = i + 1
        while j < limit {
          let c = bytes[j]
          if c == 44 || c == 10 || c == 13 { break }
          j += 1
        }
        field.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<j]))
        i = j - 1
      }
      i += 1
    }
    return min(i, end)
  }

  /// The columns a row hands on: the kept ones, or the whole header.
  var columns: [String]? { header.map { h in kept.map { k in h.indices.filter { k[$0] }.map { h[$0] } } ?? h } }
}

/// Reads the CSV file at `path` a chunk at a time, handing each row's kept fields (``CSVScanner``) and its line to
/// `row` (which must not keep the array: it is the next row's buffer); returns the columns the rows hold. The malformed cases ``CSVTable`` refuses are refused here too, once
/// they are seen (a row of the wrong width before it is handed on).
public enum CSVStream {
  public static func rows(
    path: String, keeping: [String]?, chunk: Int = 1 << 20,
    _ row: (_ columns: [String], _ fields: [String], _ line: Int) throws -> Void
  ) throws -> [String] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw OutputError.cannotRead(path: path, reason: FileReading.reason(errno)) }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
      throw OutputError.cannotRead(path: path, reason: FileReading.reason(errno))
    }
    guard status.st_mode & S_IFMT != S_IFDIR else {
      throw OutputError.cannotRead(path: path, reason: FileReading.reason(EISDIR))
    }
    var scanner = CSVScanner(keeping: keeping, reuses: true)
    var buffer = [UInt8](repeating: 0, count: chunk + 16)
    var held = 0
    var columns: [String] = []
    var width = 0
    func heard(_ kept: [String], _ headerWidth: Int) {
      (columns, width) = (kept, headerWidth)
    }
    func hand(_ fields: [String], _ line: Int, _ count: Int) throws {
      guard count == width else {
        throw OutputError.malformed(path: path, line: line, reason: "row has \(count) fields, the header has \(width)")
      }
      try row(columns, fields, line)
    }
    while true {
      if buffer.count - held < chunk { buffer += [UInt8](repeating: 0, count: chunk) }
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + held, chunk) }
      if count < 0 {
        if errno == EINTR { continue }
        throw OutputError.cannotRead(path: path, reason: FileReading.reason(errno))
      }
      let final = count == 0
      let available = held + count
      let used = try buffer.withUnsafeBytes { raw in
        try scanner.scan(UnsafeRawBufferPointer(rebasing: raw[0..<available]), final: final, header: heard, row: hand)
      }
      if final { break }
      // The bytes not yet used (the last one, or a short start) go to the front for the next chunk.
      held = available - used
      if held > 0 && used > 0 {
        buffer.withUnsafeMutableBytes { raw in _ = memmove(raw.baseAddress!, raw.baseAddress! + used, held) }
      }
    }
    if let line = scanner.unclosedAt {
      throw OutputError.malformed(path: path, line: line, reason: "a quoted field is not closed")
    }
    guard scanner.header != nil else { throw OutputError.malformed(path: path, line: 1, reason: "the file is empty") }
    if let (line, count) = scanner.mismatch {
      throw OutputError.malformed(
        path: path, line: line, reason: "row has \(count) fields, the header has \(scanner.header?.count ?? 0)")
    }
    return scanner.columns ?? []
  }
}

extension CSVStream {
  /// The finite numbers of `column` of the CSV file at `path`, by the values of `groupColumn` in order of first
  /// appearance (one group, "all", without), read a chunk at a time: memory holds the numbers, not the file.
  public static func numbers(path: String, column: String, groupedBy groupColumn: String?) throws -> [(
    group: String, values: [Double]
  )] {
    var order: [String] = []
    var slot: [String: Int] = [:]
    var lists: [[Double]] = []
    var index: (value: Int, group: Int?)? = nil
    let columns = try rows(path: path, keeping: [column] + (groupColumn.map { [$0] } ?? [])) { columns, fields, line in
      if index == nil {
        let table = CSVTable(columns: columns, rows: [], source: path)
        index = (try table.columnIndex(column), try groupColumn.map { try table.columnIndex($0) })
      }
      let (v, g) = index!
      guard let x = CSVTable.finiteNumber(fields[v]) else {
        throw CSVTable.notANumber(path: path, line: line, column: column, cell: fields[v])
      }
      let key = g.map { fields[$0] } ?? "all"
      // Few groups: found by comparison, without hashing the key each row.
      if let k = order.count <= 16 ? order.firstIndex(of: key) : slot[key] {
        lists[k].append(x)
      } else {
        slot[key] = order.count
        order.append(key)
        lists.append([x])
      }
    }
    if index == nil {
      // No rows: the columns must still be there.
      let table = CSVTable(columns: columns, rows: [], source: path)
      _ = try table.columnIndex(column)
      _ = try groupColumn.map { try table.columnIndex($0) }
    }
    return Array(zip(order, lists))
  }
}
