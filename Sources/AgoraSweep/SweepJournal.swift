import AgoraCore
import AgoraOutput
import AgoraScenario
import Foundation

/// The append-only part files one sweep process writes as its runs finish:
/// `parts/<kind>.<tag>.<k>.csv` for kinds `summary`, `steps`, `segments`, `agents`.
///
/// A run's long-format rows are appended before its summary row, under one lock, each file with single `write(2)`
/// calls; the summary row marks the run as finished. A process killed at any moment leaves at most a torn tail,
/// which ``init(directory:tag:)`` cuts off (with the rows of a run that has no summary row) before appending again.
/// A lock file keeps two processes from writing the same tag.
final class SweepJournal {
  let folder: String
  let tag: String
  private var files: [String: PartFile] = [:]
  private let lockDescriptor: Int32

  /// The standard kinds of part files, in the order a run's rows are appended (summary last); a model's own tables
  /// (`villages`) are kinds too.
  static let kinds = ["steps", "segments", "agents", "events", "summary"]

  /// Whether `name` can be a kind: a standard one or a model table's name (lowercase letters, digits, `_`).
  static func isKind(_ name: String) -> Bool {
    kinds.contains(name)
      || (!name.isEmpty && name.first!.isLetter
        && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
  }

  init(directory: String, tag: String) throws(SweepError) {
    folder = directory + "/parts"
    self.tag = tag
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw .output(.cannotWrite(path: folder, reason: error.localizedDescription))
    }
    let lockPath = "\(folder)/\(tag).lock"
    lockDescriptor = open(lockPath, O_RDWR | O_CREAT, 0o644)
    guard lockDescriptor >= 0 else {
      throw .output(.cannotWrite(path: lockPath, reason: String(cString: strerror(errno))))
    }
    guard flock(lockDescriptor, LOCK_EX | LOCK_NB) == 0 else {
      close(lockDescriptor)
      throw .busy(path: directory, tag: tag)
    }
    try repair()
  }

  deinit {
    for file in files.values { close(file.descriptor) }
    flock(lockDescriptor, LOCK_UN)
    close(lockDescriptor)
  }

  /// Appends one finished run: its long-format rows by kind, then its summary row.
  func append(run: Int, extras: [(kind: String, columns: [String], rows: [[Cell]])], summary: [(String, Cell)])
    throws(SweepError)
  {
    for extra in extras where !extra.rows.isEmpty {
      try file(extra.kind, columns: extra.columns).append(extra.rows)
    }
    try file("summary", columns: summary.map(\.0)).append([summary.map(\.1)])
  }

  /// The open part file of `kind` whose header is `columns`, opening the next numbered file when the header differs.
  private func file(_ kind: String, columns: [String]) throws(SweepError) -> PartFile {
    if let open = files[kind] {
      if open.columns == columns { return open }
      close(open.descriptor)
      files[kind] = nil
    }
    let existing = SweepJournal.partFiles(in: folder).filter { $0.kind == kind && $0.tag == tag }
    let next = (existing.map(\.number).max() ?? -1) + 1
    if let last = existing.max(by: { $0.number < $1.number }),
      let header = try? SweepJournal.header(of: "\(folder)/\(last.name)"), header == columns
    {
      let file = try PartFile(path: "\(folder)/\(last.name)", columns: columns, create: false)
      files[kind] = file
      return file
    }
    let file = try PartFile(path: "\(folder)/\(kind).\(tag).\(next).csv", columns: columns, create: true)
    files[kind] = file
    return file
  }

  /// Cuts torn tails off this tag's part files, and the long-format rows of runs without a summary row.
  private func repair() throws(SweepError) {
    let mine = SweepJournal.partFiles(in: folder).filter { $0.tag == tag }
    var done = Set<Int>()
    for part in mine where part.kind == "summary" {
      let path = "\(folder)/\(part.name)"
      let scan = try PartScan(path: path)
      done.formUnion(scan.records.map(\.run))
      try scan.truncate(to: scan.completeLength)
    }
    for part in mine where part.kind != "summary" {
      let scan = try PartScan(path: "\(folder)/\(part.name)")
      let keep = scan.records.last { done.contains($0.run) }?.range.upperBound ?? scan.headerLength
      try scan.truncate(to: keep)
    }
  }

  /// A part file's name split into its kind, tag and number.
  struct PartName {
    var name: String
    var kind: String
    var tag: String
    var number: Int
  }

  /// The part files in `folder`, sorted by tag, kind and number.
  static func partFiles(in folder: String) -> [PartName] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.compactMap { name -> PartName? in
      guard name.hasSuffix(".csv") else { return nil }
      let parts = name.dropLast(4).split(separator: ".").map(String.init)
      guard parts.count == 3, isKind(parts[0]), let number = Int(parts[2]) else { return nil }
      return PartName(name: name, kind: parts[0], tag: parts[1], number: number)
    }.sorted { ($0.tag, $0.kind, $0.number) < ($1.tag, $1.kind, $1.number) }
  }

  static func header(of path: String) throws(SweepError) -> [String] {
    try PartScan(path: path).columns
  }
}

/// One part file open for appending.
private final class PartFile {
  let descriptor: Int32
  let columns: [String]
  let path: String
  private var buffer: [UInt8] = []

  init(path: String, columns: [String], create: Bool) throws(SweepError) {
    self.path = path
    self.columns = columns
    descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
    guard descriptor >= 0 else {
      throw .output(.cannotWrite(path: path, reason: String(cString: strerror(errno))))
    }
    if create { try append([columns.map { .string($0) }]) }
  }

  func append(_ rows: [[Cell]]) throws(SweepError) {
    buffer.removeAll(keepingCapacity: true)
    for row in rows { CSVWriter.appendRecord(row, to: &buffer) }
    var offset = 0
    while offset < buffer.count {
      let written = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      guard written > 0 else {
        throw .output(.cannotWrite(path: path, reason: String(cString: strerror(errno))))
      }
      offset += written
    }
  }
}

/// A part file's records: where each starts and ends and which run it belongs to (its first field).
struct PartScan {
  let path: String
  let data: Data
  var columns: [String] = []
  var headerLength = 0
  /// The complete records after the header: the run (-1 when the first field is not a run index that fits an
  /// `Int`), the bytes, and the number of fields.
  var records: [(run: Int, range: Range<Int>, fields: Int)] = []
  /// The length of the file up to the end of its last complete record.
  var completeLength = 0

  init(path: String) throws(SweepError) {
    self.path = path
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw .output(.cannotRead(path: path, reason: error.localizedDescription))
    }
    var start = 0
    var quoted = false
    var first = true
    var fields = 1
    data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
      for i in 0..<bytes.count {
        let b = bytes[i]
        if b == 34 {
          quoted.toggle()
        } else if b == 44 && !quoted {
          fields += 1
        } else if b == 10 && !quoted {
          if first {
            headerLength = i + 1
            first = false
          } else {
            var run = 0
            var j = start
            var fits = true
            while j < i, bytes[j] >= 48, bytes[j] <= 57 {
              let (times, o1) = run.multipliedReportingOverflow(by: 10)
              let (sum, o2) = times.addingReportingOverflow(Int(bytes[j] - 48))
              fits = fits && !o1 && !o2
              run = sum
              j += 1
            }
            if j > start { records.append((fits && (j == i || bytes[j] == 44) ? run : -1, start..<(i + 1), fields)) }
          }
          start = i + 1
          fields = 1
        }
      }
    }
    completeLength = max(start, headerLength)
    if headerLength > 0,
      let table = try? CSVTable(parsing: data.prefix(headerLength), source: path)
    {
      columns = table.columns
    }
  }

  /// The cells of the record in `range` (a sweep's rows are quoted the way ``CSVWriter`` writes them).
  func cells(_ range: Range<Int>) -> [String] {
    (try? CSVTable(parsing: data[range], source: path))?.columns ?? []
  }

  /// The 1-based line of the file on which the byte at `offset` lies.
  func line(at offset: Int) -> Int {
    data.prefix(offset).reduce(1) { $1 == 10 ? $0 + 1 : $0 }
  }

  /// Cuts the file to `length` bytes if it is longer.
  func truncate(to length: Int) throws(SweepError) {
    guard length < data.count else { return }
    guard Foundation.truncate(path, off_t(length)) == 0 else {
      throw .output(.cannotWrite(path: path, reason: String(cString: strerror(errno))))
    }
  }
}
