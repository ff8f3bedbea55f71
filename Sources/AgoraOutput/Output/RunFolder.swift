import AgoraCore
import AgoraLanguageModel
import AgoraModels
import Foundation

/// Runs a scenario into an output folder: `summary.csv`, `steps.csv`, `agents.csv`, `segments.csv`, optional
/// `events.csv`, `report.html`, and `manifest.json` last. Every file is written under a temporary name and renamed when complete,
/// so an interrupted run never leaves a half-written file under a final name.
public enum RunFolder {
  /// The default folder of a run: `Results/<name>/seed-<seed>`.
  public static func defaultPath(for spec: ScenarioSpec, root: String = "Results") -> String {
    "\(root)/\(spec.name)/seed-\(spec.seed)"
  }

  /// Runs `spec` and writes its files into `directory`; returns the result and the file names written.
  /// `summaryRow` replaces the summary row (a sweep's run adds its swept values and keeps its chosen metrics), whose
  /// added columns `rowColumns` declares.
  public static func execute(
    _ spec: ScenarioSpec, into directory: String, runIndex: Int = 0, source: String? = nil, overrides: [String] = [],
    summaryRow: ((RunResult) throws -> [(String, Cell)])? = nil, rowColumns: [Column] = [],
    progress: ((Double) -> Void)? = nil,
    threads: Int = 1, report: Bool = true, languageModel: LanguageModelOptions = LanguageModelOptions()
  ) throws -> (result: RunResult, files: [String]) {
    try prepare(directory)
    let ids: [Cell] = [.int(runIndex), .string(String(spec.seed))]
    var files: [String] = []
    // `events.csv`: the model's declared event columns, each row checked against them as it is written.
    var eventsWriter: CSVWriter? = nil
    let eventColumns = ModelRegistry.model(spec.game.type)?.eventTable ?? StandardColumns.events
    if spec.output.events {
      eventsWriter = try CSVWriter(path: "\(directory)/events.csv", columns: eventColumns.map(\.name))
    }
    var eventRows = 0
    let sink: InteractionSink? = eventsWriter.map { writer in
      { event in
        let row = event.cells(ids: ids)
        eventRows += 1
        try ColumnCatalog.check(table: "events", columns: eventColumns, row: row, number: eventRows)
        try writer.writeRow(row)
      }
    }
    // `agent_steps.csv`: one row per agent at each step the scenario asks for, written as the run goes (the
    // reporters, `output.reporters`, are columns of the result's steps: Experiment.run computes them).
    var agentStepsWriter: CSVWriter? = nil
    var agentStepColumns: [Column] = []
    let model = ModelRegistry.model(spec.game.type)
    if let asked = spec.output.agentSteps {
      agentStepColumns =
        StandardColumns.agentSteps
        + asked.columns.compactMap { model?.agentStepColumn($0) ?? StandardColumns.agentStepValues[$0] }
      agentStepsWriter = try CSVWriter(path: "\(directory)/agent_steps.csv", columns: agentStepColumns.map(\.name))
    }
    let agentSink: AgentStepSink? =
      agentStepsWriter == nil
      ? nil
      : { values in
        if values.writesRows, let writer = agentStepsWriter {
          let names = values.population.segments.map { Cell.string($0.name) }
          let asked = spec.output.agentSteps?.columns ?? []
          var row: [Cell] = []
          for i in values.payoffs.indices {
            row.removeAll(keepingCapacity: true)
            row += ids + [.int(values.step), .int(i), names[Int(values.population.segment[i])]]
            for value in asked { row.append(values.cell(value, agent: i)) }
            try writer.writeRow(row)
          }
        }
      }
    var languageModel = languageModel
    if !languageModel.estimating {
      languageModel.transcript = "\(directory)/\(transcriptName)"
      languageModel.runIndex = runIndex
    }
    let result = try Experiment.run(
      spec, runIndex: runIndex, events: sink, progress: progress, threads: threads, languageModel: languageModel,
      agentSteps: agentSink)
    let game = spec.game.type.rawValue
    /// Writes the data dictionary of the CSV file `name` (written just before) and lists both.
    func dictionary(_ name: String, _ columns: [Column], _ what: String) throws(OutputError) {
      let file = try DataDictionary.write(
        for: name, in: directory, columns: columns, description: "\(what) of a run of \(game) (scenario \(spec.name))")
      files += [name, file]
    }
    if let agentStepsWriter {
      try agentStepsWriter.finish()
      try dictionary("agent_steps.csv", agentStepColumns, "one row per agent at each step asked for")
    }
    if let eventsWriter {
      try eventsWriter.finish()
      try dictionary("events.csv", eventColumns, "one row per interaction")
    }
    if spec.output.steps {
      let steps = try CSVWriter(path: "\(directory)/steps.csv", columns: result.stepColumns)
      for row in result.stepRows { try steps.writeRow(row) }
      try steps.finish()
      try dictionary("steps.csv", result.schema["steps"] ?? [], "one row per step")
    }
    if spec.output.agents {
      try writeAgents(result, ids: ids, to: "\(directory)/agents.csv")
      try dictionary(
        "agents.csv", result.schema["agents"] ?? StandardColumns.agents, "one row per agent, its final state")
    }
    for table in result.tables {
      let writer = try CSVWriter(path: "\(directory)/\(table.name).csv", columns: table.columns)
      for row in table.rows { try writer.writeRow(row) }
      try writer.finish()
      try dictionary("\(table.name).csv", result.schema[table.name] ?? [], "the \(table.name) table")
    }
    let segments = try CSVWriter(path: "\(directory)/segments.csv", columns: result.segmentColumns)
    for row in result.segmentRows { try segments.writeRow(row) }
    try segments.finish()
    try dictionary("segments.csv", result.schema["segments"] ?? [], "one row per population segment")
    let row = try summaryRow?(result) ?? result.summary
    let summary = try CSVWriter(path: "\(directory)/summary.csv", columns: row.map(\.0))
    try summary.writeRow(row.map(\.1))
    try summary.finish()
    try dictionary("summary.csv", try summaryColumns(row.map(\.0), result, rowColumns), "the run's summary, one row")
    if let usage = result.languageModelUsage {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      let data: Data
      do { data = try encoder.encode(usage) } catch {
        throw OutputError.cannotWrite(path: "\(directory)/llm-usage.json", reason: "\(error)")
      }
      try writeAtomically(data, to: "\(directory)/llm-usage.json")
      files.append("llm-usage.json")
      if FileManager.default.fileExists(atPath: "\(directory)/\(transcriptName)") { files.append(transcriptName) }
    }
    if report {
      try writeAtomically(Data(Report.html(spec, result).utf8), to: "\(directory)/report.html")
      files.append("report.html")
    }
    files.append("manifest.json")
    let manifest = Manifest(
      agoraVersion: Experiment.version, scenario: spec, source: source, overrides: overrides, seed: spec.seed,
      runIndex: runIndex, rng: spec.rng, createdAt: ISO8601DateFormatter().string(from: Date()),
      simulationSeconds: result.seconds, files: files, completed: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let data: Data
    do { data = try encoder.encode(manifest) } catch {
      throw OutputError.cannotWrite(path: "\(directory)/manifest.json", reason: "\(error)")
    }
    try writeAtomically(data, to: "\(directory)/manifest.json")
    return (result, files)
  }

  /// The language-model transcript: one JSON line per decision of a `policy: llm` agent.
  public static let transcriptName = "transcripts.jsonl"

  /// The files a run may write (besides `*.tmp*` files on the way), by name; tables of other models add theirs.
  static let outputNames: Set<String> = {
    let tables = ["summary.csv", "steps.csv", "agents.csv", "segments.csv", "events.csv", "agent_steps.csv"]
    let others = ["report.html", "llm-usage.json", transcriptName, "manifest.json"]
    return Set(tables + tables.map(DataDictionary.fileName) + others)
  }()

  /// The declarations of a summary row's columns: those `added` declares (a sweep's run identity and swept values)
  /// or the run's own.
  static func summaryColumns(_ names: [String], _ result: RunResult, _ added: [Column]) throws(OutputError)
    -> [Column]
  {
    let own = Dictionary(
      (added + (result.schema["summary"] ?? [])).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    var columns: [Column] = []
    for name in names {
      guard let column = own[name] else {
        throw .cannotWrite(path: "summary.csv", reason: "column '\(name)' has no declaration")
      }
      columns.append(column)
    }
    return columns
  }

  /// Makes `directory` ready for a new run, before anything is simulated: creates it, checks that it can be
  /// written, then removes an earlier run's `manifest.json` first (so an interrupted run is visibly incomplete)
  /// and every other file that run wrote (the new run's files replace them; files it does not write must not
  /// survive under the new manifest) and any temporary file left behind.
  public static func prepare(_ directory: String) throws(OutputError) {
    let fm = FileManager.default
    do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
      var isFolder: ObjCBool = false
      let reason =
        fm.fileExists(atPath: directory, isDirectory: &isFolder) && !isFolder.boolValue
        ? "it is a file" : String(cString: strerror(errno))
      throw .cannotWrite(path: directory, reason: reason)
    }
    guard access(directory, W_OK | X_OK) == 0 else {
      throw .cannotWrite(path: directory, reason: String(cString: strerror(errno)))
    }
    let manifest = "\(directory)/manifest.json"
    var earlier = outputNames
    if let data = fm.contents(atPath: manifest),
      let files = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["files"] as? [String]
    {
      earlier.formUnion(files.filter(OutputPath.isSafeName))
    }
    if fm.fileExists(atPath: manifest) && unlink(manifest) != 0 {
      throw .cannotWrite(path: manifest, reason: String(cString: strerror(errno)))
    }
    for name in (try? fm.contentsOfDirectory(atPath: directory)) ?? [] where earlier.contains(name) {
      try? fm.removeItem(atPath: "\(directory)/\(name)")
    }
    removeTemporaryFiles(in: directory)
  }

  /// Removes the temporary files (`*.tmp`, `*.tmp-<pid>`) of a run in `directory`: before a run, and when a signal
  /// stops one (which cannot unwind the writers that would remove them).
  public static func removeTemporaryFiles(in directory: String) {
    for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.contains(".tmp") {
      try? FileManager.default.removeItem(atPath: "\(directory)/\(name)")
    }
  }

  static func writeAgents(_ result: RunResult, ids: [Cell], to path: String) throws(OutputError) {
    let writer = try CSVWriter(path: path, columns: result.agentColumns)
    try result.forEachAgentRow(ids: ids) { row throws(OutputError) in try writer.writeRow(row) }
    try writer.finish()
  }

}

extension RunResult {
  /// Calls `body` with each agent's `agents.csv` row (one reused array), in agent order.
  public func forEachAgentRow<E: Error>(ids: [Cell], _ body: ([Cell]) throws(E) -> Void) throws(E) {
    let dims = Preference.allCases
    let own = agentValues
    var row = [Cell](repeating: .int(0), count: 4 + dims.count + 2 + own.count)
    row[0] = ids[0]
    row[1] = ids[1]
    let names = population.segments.map { Cell.string($0.name) }
    for i in 0..<population.count {
      row[2] = .int(i)
      row[3] = names[Int(population.segment[i])]
      for (k, d) in dims.enumerated() { row[4 + k] = .double(population.value(d, of: i)) }
      row[4 + dims.count] = .double(payoffs[i])
      row[5 + dims.count] = .int(Int(interactions[i]))
      for (k, column) in own.enumerated() { row[6 + dims.count + k] = .double(column.values[i]) }
      try body(row)
    }
  }
}

/// What `manifest.json` records about a run.
struct Manifest: Encodable {
  var agoraVersion: String
  var scenario: ScenarioSpec
  var source: String?
  var overrides: [String]
  var seed: UInt64
  var runIndex: Int
  var rng: String
  var createdAt: String
  var simulationSeconds: Double
  var files: [String]
  var completed: Bool

  enum CodingKeys: String, CodingKey {
    case agoraVersion = "agora_version", scenario, source, overrides, seed, runIndex = "run_index", rng
    case createdAt = "created_at", simulationSeconds = "simulation_seconds", files, completed
  }
}
