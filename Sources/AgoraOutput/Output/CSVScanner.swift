import AgoraCore
import Foundation

/// RFC 4180 records from bytes that may come in pieces: a file read a chunk at a time holds no more than a chunk
/// and the values a caller keeps (`agora metrics` and `analyze` on files larger than memory should allow), and a
/// whole buffer (``CSVTable``) is one final piece. Quoted fields may hold commas, quotes (doubled) and line breaks;
/// CRLF and a leading byte order mark are read; a blank line is skipped. With `keeping`, a row hands on only the
/// fields of those columns (when the header has them all). A row's fields are handed on as bytes (``CSVFields``):
/// an unquoted field is where it lies in the piece, so a caller that wants numbers makes no string.
struct CSVScanner {
  let keeping: [String]?
  private(set) var header: [String]? = nil
  /// Which header columns a row keeps (`nil`: all).
  private(set) var kept: [Bool]? = nil
  /// The line where the scan ended inside a quoted field that never closed.
  private(set) var unclosedAt: Int? = nil
  /// The first row whose field count differs from the header's.
  private(set) var mismatch: (line: Int, fields: Int)? = nil
  private var line = 1
  private var started = false

  init(keeping: [String]?) {
    self.keeping = keeping
  }

  /// Scans `bytes`, handing each complete record after the header to `row` with its first line and its own field
  /// count (a row of another width than the header's is malformed); returns how many bytes it used. Unless
  /// `final`, a record that does not end in `bytes` is left for the next piece (the caller hands the unused bytes
  /// on, and a record longer than a piece is read once it fits); `final` ends the last record at the end.
  /// `header` hears of the header once it is read: the columns a row hands on, and the header's width.
  mutating func scan(
    _ bytes: UnsafeRawBufferPointer, final: Bool,
    header heard: (_ columns: [String], _ width: Int) -> Void = { _, _ in },
    row: (_ fields: CSVFields, _ line: Int, _ count: Int) throws -> Void
  ) rethrows -> Int {
    let end = bytes.count
    var i = 0
    if !started {
      guard final || end >= 3 else { return 0 }
      started = true
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
    }
    // The kept fields of the record being read, as pairs of start and end offsets: into the piece, or (both
    // complemented, so negative) into `unquoted`, the text of its quoted fields with their quotes undone.
    var spans: [Int] = []
    var unquoted: [UInt8] = []
    while i < end {
      let recordStart = i
      let recordLine = line
      spans.removeAll(keepingCapacity: true)
      unquoted.removeAll(keepingCapacity: true)
      let keep = kept
      var fields = 0
      var lastEmpty = false
      while true {
        // One field from i, then its delimiter (a comma, a line break, or the end of the last piece).
        var start: Int
        var stop: Int
        if i < end && bytes[i] == 34 {
          // Quoted: the text goes to `unquoted` with doubled quotes undone, and so does anything after the
          // closing quote up to the delimiter (read as it is, like an unquoted field).
          start = ~unquoted.count
          i += 1
          var closed = false
          while !closed {
            guard i < end else {
              guard final else {
                line = recordLine
                return recordStart
              }
              unclosedAt = line
              return end
            }
            let b = bytes[i]
            if b == 34 {
              // A quote: doubled, or the close (the byte after it decides, so it waits for the next piece).
              if i + 1 < end {
                if bytes[i + 1] == 34 {
                  unquoted.append(34)
                  i += 2
                  continue
                }
              } else if !final {
                line = recordLine
                return recordStart
              }
              closed = true
            } else {
              if b == 10 { line += 1 }
              unquoted.append(b)
            }
            i += 1
          }
          var j = i
          while j < end, bytes[j] != 44, bytes[j] != 10, bytes[j] != 13 { j += 1 }
          if j > i { unquoted.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<j])) }
          i = j
          stop = ~unquoted.count
        } else {
          // Unquoted: everything up to the next comma or line break, where it lies.
          var j = i
          while j < end {
            let c = bytes[j]
            if c == 44 || c == 10 || c == 13 { break }
            j += 1
          }
          start = i
          stop = j
          i = j
        }
        if i == end && !final {
          line = recordLine
          return recordStart
        }
        if keep.map({ fields < $0.count && $0[fields] }) ?? true {
          spans.append(start)
          spans.append(stop)
        }
        lastEmpty = start == stop
        fields += 1
        if i == end { break }
        let b = bytes[i]
        i += 1
        if b == 44 { continue }
        if b == 13 {
          // A CR ends the record; a LF after it belongs to it (so it waits for the next piece).
          if i < end {
            if bytes[i] == 10 { i += 1 }
          } else if !final {
            line = recordLine
            return recordStart
          }
        }
        break
      }
      line += 1
      // A blank line (one empty field) is no record.
      if fields == 1 && lastEmpty { continue }
      if let header {
        if fields != header.count && mismatch == nil { mismatch = (recordLine, fields) }
        try spans.withUnsafeBufferPointer { s in
          try unquoted.withUnsafeBytes { u in
            try row(CSVFields(piece: bytes.baseAddress, spans: s, unquoted: u), recordLine, fields)
          }
        }
      } else {
        let names = spans.withUnsafeBufferPointer { s in
          unquoted.withUnsafeBytes { u in CSVFields(piece: bytes.baseAddress, spans: s, unquoted: u).strings }
        }
        header = names
        if let keeping, keeping.allSatisfy(names.contains) {
          kept = names.map(keeping.contains)
        }
        heard(columns ?? names, names.count)
      }
    }
    return end
  }

  /// The columns a row hands on: the kept ones, or the whole header.
  var columns: [String]? { header.map { h in kept.map { k in h.indices.filter { k[$0] }.map { h[$0] } } ?? h } }
}

/// Reads the CSV file at `path` a chunk at a time, handing each row's kept fields (``CSVFields``, valid during the
/// call) and its line to `row`; returns the columns the rows hold. The malformed cases ``CSVTable`` refuses are
/// refused here too, once they are seen (a row of the wrong width before it is handed on).
public enum CSVStream {
  public static func rows(
    path: String, keeping: [String]?, chunk: Int = 1 << 20,
    _ row: (_ columns: [String], _ fields: CSVFields, _ line: Int) throws -> Void
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
    var scanner = CSVScanner(keeping: keeping)
    var buffer = [UInt8](repeating: 0, count: chunk + 16)
    var held = 0
    // A record longer than what is held waits for more: each read without progress asks for twice as much.
    var want = chunk
    var columns: [String] = []
    var width = 0
    func heard(_ kept: [String], _ headerWidth: Int) {
      (columns, width) = (kept, headerWidth)
    }
    func hand(_ fields: CSVFields, _ line: Int, _ count: Int) throws {
      guard count == width else {
        throw OutputError.malformed(path: path, line: line, reason: "row has \(count) fields, the header has \(width)")
      }
      try row(columns, fields, line)
    }
    while true {
      // Room for a chunk after the bytes held over (a record longer than a chunk grows the buffer).
      if buffer.count - held < want { buffer += [UInt8](repeating: 0, count: want) }
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + held, want) }
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
      // The bytes not yet used (a record not yet ended, or a short start) go to the front for the next chunk.
      held = available - used
      want = used == 0 ? want * 2 : chunk
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

/// The groups of a streamed file's rows, by their key fields in order of first appearance: a row of the last group
/// found, or of one of few groups, is placed by comparing bytes (no string, no hashing). Keys compare as Swift
/// strings do, as the whole-file reader's: a key written in other bytes for the same text (canonically equivalent
/// Unicode, invalid UTF-8 repaired alike) joins the group its text names.
struct CSVGroups {
  /// Every group's key fields, in the bytes first seen, one after the other, and where each field ends.
  private var bytes: [UInt8] = []
  private var ends: [Int] = [0]
  private var parts = 0
  /// Groups by their key's bytes (each field after its length), and by its text.
  private var slot: [[UInt8]: Int] = [:]
  private var byText: [[String]: Int] = [:]
  private var last = -1
  private(set) var count = 0

  /// Whether group `g`'s key is the row's, byte for byte.
  private func matches(_ g: Int, _ fields: CSVFields, _ indices: [Int]) -> Bool {
    bytes.withUnsafeBytes { all in
      ends.withUnsafeBufferPointer { ends in
        for (n, k) in indices.enumerated() {
          let field = fields[k]
          let start = ends[g * parts + n]
          guard ends[g * parts + n + 1] - start == field.count else { return false }
          if field.count > 0 && memcmp(field.baseAddress!, all.baseAddress! + start, field.count) != 0 { return false }
        }
        return true
      }
    }
  }

  /// The group of the row whose key fields are `fields` at `indices` (the same indices every row), added when new.
  mutating func group(of fields: CSVFields, at indices: [Int]) -> Int {
    if last >= 0 && matches(last, fields, indices) { return last }
    if count <= 16 {
      for g in 0..<count where g != last && matches(g, fields, indices) {
        last = g
        return g
      }
    }
    var key: [UInt8] = []
    for k in indices {
      withUnsafeBytes(of: fields[k].count) { key.append(contentsOf: $0) }
      key.append(contentsOf: fields[k])
    }
    if count > 16, let g = slot[key] {
      last = g
      return g
    }
    // New bytes: the same text written otherwise is the same group (and its bytes find it directly from now on).
    let text = indices.map { fields.string($0) }
    if let g = byText[text] {
      slot[key] = g
      last = g
      return g
    }
    parts = indices.count
    for k in indices {
      bytes.append(contentsOf: fields[k])
      ends.append(bytes.count)
    }
    last = count
    slot[key] = last
    byText[text] = last
    count += 1
    return last
  }

  /// Group `g`'s key as text.
  func names(_ g: Int) -> [String] {
    (0..<parts).map { n in String(decoding: bytes[ends[g * parts + n]..<ends[g * parts + n + 1]], as: UTF8.self) }
  }
}

extension CSVStream {
  /// The finite numbers of `column` of the CSV file at `path`, by the values of `groupColumn` in order of first
  /// appearance (one group, "all", without), read a chunk at a time: memory holds the numbers, not the file.
  public static func numbers(path: String, column: String, groupedBy groupColumn: String?) throws -> [(
    group: String, values: [Double]
  )] {
    var groups = CSVGroups()
    var lists: [[Double]] = []
    var index: (value: Int, group: [Int])? = nil
    let columns = try rows(path: path, keeping: [column] + (groupColumn.map { [$0] } ?? [])) { columns, fields, line in
      if index == nil {
        let table = CSVTable(columns: columns, rows: [], source: path)
        index = (try table.columnIndex(column), try groupColumn.map { [try table.columnIndex($0)] } ?? [])
      }
      let (v, g) = index!
      guard let x = fields.finiteNumber(v) else {
        throw CSVTable.notANumber(path: path, line: line, column: column, cell: fields.string(v))
      }
      let k = groups.group(of: fields, at: g)
      if k == lists.count { lists.append([]) }
      lists[k].append(x)
    }
    if index == nil {
      // No rows: the columns must still be there.
      let table = CSVTable(columns: columns, rows: [], source: path)
      _ = try table.columnIndex(column)
      _ = try groupColumn.map { try table.columnIndex($0) }
    }
    return lists.indices.map { (groupColumn == nil ? "all" : groups.names($0)[0], lists[$0]) }
  }
}
