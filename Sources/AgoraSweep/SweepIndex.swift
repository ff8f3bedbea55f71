import AgoraCore
import AgoraOutput
import AgoraScenario
import Foundation

/// Where every finished run's rows are in a sweep's part files; what `merge` reads.
///
/// A run counts as finished when its summary row is complete. When several part files hold the same run (a sweep
/// resumed with different shards while another copy ran), the first by tag wins, with that tag's other rows.
struct SweepIndex {
  struct Location {
    var file: Int
    var range: Range<Int>
  }

  /// The scanned part files, by kind.
  var scans: [String: [PartScan]] = [:]
  /// Per kind, per run: the records (in file order) of the run's rows.
  var rows: [String: [Int: [Location]]] = [:]

  /// Scans `directory/parts`, checking every row against its file's header and `plan`: a ragged row, a run
  /// outside the plan, or a summary row whose seed or swept values are not the plan's for its run is refused.
  init(directory: String, plan: SweepPlan) throws(SweepError) {
    let folder = directory + "/parts"
    let parts = SweepJournal.partFiles(in: folder)
    var tagOfRun: [Int: String] = [:]
    for part in parts {
      let scan = try PartScan(path: "\(folder)/\(part.name)")
      try SweepIndex.check(scan, kind: part.kind, plan: plan)
    }
    for part in parts where part.kind == "summary" {
      let scan = try PartScan(path: "\(folder)/\(part.name)")
      let file = scans["summary", default: []].count
      scans["summary", default: []].append(scan)
      for record in scan.records where tagOfRun[record.run] == nil || tagOfRun[record.run] == part.tag {
        guard rows["summary", default: [:]][record.run] == nil else { continue }
        tagOfRun[record.run] = part.tag
        rows["summary", default: [:]][record.run] = [Location(file: file, range: record.range)]
      }
    }
    for part in parts where part.kind != "summary" {
      let scan = try PartScan(path: "\(folder)/\(part.name)")
      let file = scans[part.kind, default: []].count
      scans[part.kind, default: []].append(scan)
      for record in scan.records where tagOfRun[record.run] == part.tag {
        rows[part.kind, default: [:]][record.run, default: []].append(Location(file: file, range: record.range))
      }
    }
  }

  /// Throws at the first row of `scan` that is ragged, names a run outside `plan`, or (in a summary part) carries
  /// another seed or other swept values than `plan` gives its run.
  static func check(_ scan: PartScan, kind: String, plan: SweepPlan) throws(SweepError) {
    let columns = scan.columns
    guard columns.first == "run_index" else {
      throw .foreignRow(path: scan.path, line: 1, reason: "the header does not start with run_index")
    }
    let identity = kind == "summary" ? plan.run(0).fields.map(\.0) : ["run_index"]
    let positions = identity.map { columns.firstIndex(of: $0) }
    if let missing = zip(identity, positions).first(where: { $0.1 == nil }) {
      throw .foreignRow(path: scan.path, line: 1, reason: "the header has no column \(missing.0)")
    }
    for record in scan.records {
      func refuse(_ reason: String) -> SweepError {
        .foreignRow(path: scan.path, line: scan.line(at: record.range.lowerBound), reason: reason)
      }
      guard record.fields == columns.count else {
        throw refuse("\(record.fields) fields under a header of \(columns.count) columns")
      }
      guard (0..<plan.runCount).contains(record.run) else {
        throw refuse("run_index is not a run of the plan (0 to \(plan.runCount - 1))")
      }
      // The long-format kinds are checked for shape only: their runs are merged only with a checked summary row.
      guard kind == "summary" else { continue }
      let cells = scan.cells(record.range)
      let wanted = plan.run(record.run).fields.map(\.1.text)
      for (k, position) in positions.enumerated() where cells[position!] != wanted[k] {
        throw refuse("\(identity[k]) is '\(cells[position!].prefix(40))' where the plan has '\(wanted[k])'")
      }
    }
  }

  /// The finished runs.
  var finished: Set<Int> { Set(rows["summary", default: [:]].keys) }

  /// Writes `directory/<kind>.csv` for every kind present: the runs' rows sorted by run index, under the union of
  /// the part files' headers (rows from a file with another header are re-laid into the union's columns).
  /// Returns the files written.
  func merge(
    into directory: String, runs: Range<Int>,
    dictionary: (_ kind: String, _ columns: [String]) throws(SweepError) -> [Column]
  ) throws(SweepError) -> [String] {
    var written: [String] = []
    let own = rows.keys.filter { !SweepJournal.kinds.contains($0) }.sorted()
    for kind in SweepJournal.kinds.reversed() + own {
      guard let byRun = rows[kind], !byRun.isEmpty, let files = scans[kind] else { continue }
      var columns: [String] = []
      var seen = Set<String>()
      var firstRun: [Int: Int] = [:]
      for (run, locations) in byRun { for l in locations { firstRun[l.file] = min(firstRun[l.file] ?? run, run) } }
      for f in files.indices.sorted(by: { (firstRun[$0] ?? .max) < (firstRun[$1] ?? .max) }) where firstRun[f] != nil {
        for c in files[f].columns where seen.insert(c).inserted { columns.append(c) }
      }
      let maps: [[Int]?] = files.map { file in
        file.columns == columns ? nil : columns.map { file.columns.firstIndex(of: $0) ?? -1 }
      }
      let path = "\(directory)/\(kind).csv"
      let temporary = path + ".tmp-\(getpid())"
      guard FileManager.default.createFile(atPath: temporary, contents: nil),
        let handle = FileHandle(forWritingAtPath: temporary)
      else { throw .output(.cannotWrite(path: temporary, reason: String(cString: strerror(errno)))) }
      var buffer: [UInt8] = []
      buffer.reserveCapacity(1 << 20)
      CSVWriter.appendRecord(columns.map { .string($0) }, to: &buffer)
      do {
        for run in runs {
          guard let locations = byRun[run] else { continue }
          for l in locations {
            let data = files[l.file].data
            if let map = maps[l.file] {
              let table = try? CSVTable(parsing: data[l.range], source: files[l.file].path)
              let cells = (table.map { [$0.columns] + $0.rows } ?? []).first ?? []
              CSVWriter.appendRecord(map.map { .string($0 >= 0 && $0 < cells.count ? cells[$0] : "") }, to: &buffer)
            } else {
              buffer.append(contentsOf: data[l.range])
            }
          }
          if buffer.count >= 1 << 20 {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
          }
        }
        try handle.write(contentsOf: buffer)
        try handle.close()
      } catch {
        unlink(temporary)
        throw .output(.cannotWrite(path: temporary, reason: error.localizedDescription))
      }
      guard rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw .output(.cannotWrite(path: path, reason: reason))
      }
      let declared = try dictionary(kind, columns)
      do {
        written.append(
          try DataDictionary.write(
            for: "\(kind).csv", in: directory, columns: declared,
            description: "the \(kind) rows of every run of the sweep"))
      } catch { throw .output(error) }
      written.append("\(kind).csv")
    }
    return written
  }
}
