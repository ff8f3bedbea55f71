import AgoraCore
import AgoraLanguageModel
import Foundation

/// A buffered RFC 4180 CSV writer to a file: fields are quoted when they hold a comma, quote or line break, and
/// text that a spreadsheet would run as a formula gets a leading `'` (see ``startsFormula(_:)``).
///
/// It writes to `<path>.tmp` and ``finish()`` renames it to `path`, so a reader never sees a half-written file.
public final class CSVWriter {
  /// The final path.
  public let path: String
  let temporaryPath: String
  private let handle: FileHandle
  private var buffer: [UInt8] = []
  private let columnCount: Int
  private var finished = false

  /// Creates the temporary file and writes the header.
  public init(path: String, columns: [String]) throws(OutputError) {
    self.path = path
    temporaryPath = path + ".tmp"
    columnCount = columns.count
    guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
      let handle = FileHandle(forWritingAtPath: temporaryPath)
    else { throw .cannotWrite(path: temporaryPath, reason: String(cString: strerror(errno))) }
    self.handle = handle
    buffer.reserveCapacity(1 << 16)
    try writeRow(columns.map { .string($0) })
  }

  deinit {
    if !finished {
      try? handle.close()
      unlink(temporaryPath)
    }
  }

  /// Appends one row; it must have as many fields as the header.
  public func writeRow(_ fields: [Cell]) throws(OutputError) {
    precondition(fields.count == columnCount, "row has \(fields.count) fields, header has \(columnCount)")
    CSVWriter.appendRecord(fields, to: &buffer)
    if buffer.count >= 1 << 16 { try flush() }
  }

  /// `records` as CSV text, each ended by a newline, quoted and guarded as in a file: what a command prints.
  public static func text(_ records: [[Cell]]) -> String {
    var buffer: [UInt8] = []
    for record in records { appendRecord(record, to: &buffer) }
    return String(decoding: buffer, as: UTF8.self)
  }

  /// Appends one RFC 4180 record (fields, commas, a final newline) to `buffer`.
  public static func appendRecord(_ fields: [Cell], to buffer: inout [UInt8]) {
    for (i, field) in fields.enumerated() {
      if i > 0 { buffer.append(UInt8(ascii: ",")) }
      append(field, to: &buffer)
    }
    buffer.append(UInt8(ascii: "\n"))
  }

  private static func append(_ field: Cell, to buffer: inout [UInt8]) {
    guard case .string(let raw) = field else {
      buffer.append(contentsOf: field.text.utf8)
      return
    }
    let text = startsFormula(raw) ? "'" + raw : raw
    if text.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) {
      buffer.append(34)
      for byte in text.utf8 {
        if byte == 34 { buffer.append(34) }
        buffer.append(byte)
      }
      buffer.append(34)
    } else {
      buffer.append(contentsOf: text.utf8)
    }
  }

  /// Whether a spreadsheet would read `text` as a formula: it starts with `=`, `+`, `-`, `@`, a tab or a carriage
  /// return and is not a plain number (`-0.5`, `+1e5`, `-inf` stay numbers). Such a cell is written with a leading
  /// `'` (OWASP's advice against CSV injection), so a segment named `=HYPERLINK(...)` stays text.
  public static func startsFormula(_ text: String) -> Bool {
    guard let first = text.utf8.first, [61, 43, 45, 64, 9, 13].contains(first) else { return false }
    return !isPlainNumber(text.utf8)
  }

  /// A decimal number as Agora writes one: an optional sign, digits with an optional point (at least one digit),
  /// an optional exponent; or `inf` with an optional sign.
  static func isPlainNumber(_ text: String.UTF8View) -> Bool {
    var rest = text[...]
    if let sign = rest.first, sign == 43 || sign == 45 { rest = rest.dropFirst() }
    if rest.elementsEqual("inf".utf8) { return true }
    func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
    let integer = rest.prefix(while: isDigit)
    rest = rest.dropFirst(integer.count)
    var fraction = rest.prefix(0)
    if rest.first == 46 {
      fraction = rest.dropFirst().prefix(while: isDigit)
      rest = rest.dropFirst(1 + fraction.count)
    }
    guard !integer.isEmpty || !fraction.isEmpty else { return false }
    if let e = rest.first, e == 101 || e == 69 {
      rest = rest.dropFirst()
      if let sign = rest.first, sign == 43 || sign == 45 { rest = rest.dropFirst() }
      let exponent = rest.prefix(while: isDigit)
      guard !exponent.isEmpty else { return false }
      rest = rest.dropFirst(exponent.count)
    }
    return rest.isEmpty
  }

  private func flush() throws(OutputError) {
    do {
      try handle.write(contentsOf: buffer)
    } catch {
      throw .cannotWrite(path: temporaryPath, reason: error.localizedDescription)
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes, closes and moves the file to its final name.
  public func finish() throws(OutputError) {
    try flush()
    do { try handle.close() } catch { throw .cannotWrite(path: temporaryPath, reason: error.localizedDescription) }
    guard rename(temporaryPath, path) == 0 else {
      throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
    }
    finished = true
  }
}

/// Writes `data` to `path` atomically (temporary file, then rename).
public func writeAtomically(_ data: Data, to path: String) throws(OutputError) {
  let temporary = path + ".tmp-\(getpid())"
  guard FileManager.default.createFile(atPath: temporary, contents: data) else {
    let reason = String(cString: strerror(errno))
    unlink(temporary)
    throw .cannotWrite(path: temporary, reason: reason)
  }
  guard rename(temporary, path) == 0 else {
    let reason = String(cString: strerror(errno))
    unlink(temporary)
    throw .cannotWrite(path: path, reason: reason)
  }
}
