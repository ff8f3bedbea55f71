import Agora
import ArgumentParser
import Foundation

/// `agora run`: runs one scenario and writes its CSV files.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a scenario and write summary.csv, steps.csv, agents.csv, segments.csv and manifest.json.",
    discussion: """
      The default output folder is Results/<scenario name>/seed-<seed>. With --from-sweep SWEEP --run-index I, \
      re-runs run I of a sweep alone (same scenario text, overrides and seed) into SWEEP/runs/run-I: its \
      summary.csv row is byte for byte the sweep's row I.
      """
  )

  @Argument(help: "The scenario file (YAML).")
  var file: String?

  @OptionGroup var changes: ScenarioChanges

  @Option(help: "Re-run one run of the sweep in this folder (with --run-index).")
  var fromSweep: String?

  @Option(help: "The run of --from-sweep to re-run.")
  var runIndex: Int?

  @Option(help: "The output folder.")
  var out: String?

  @Flag(help: "Print nothing but errors.")
  var quiet = false

  @Flag(help: "Do not write report.html.")
  var noReport = false

  @Flag(help: "Overwrite an output folder that already holds a run.")
  var force = false

  @Option(
    help:
      "Threads that play the pair blocks of a round (ultimatum, dictator; default: the number of cores); the output does not depend on it."
  )
  var threads: Int?

  @Option(
    help: ArgumentHelp(
      "How policy: llm segments use their response cache: off, read, write or readwrite.", valueName: "mode"))
  var llmCache: String = "readwrite"

  @Flag(
    help:
      "Print the language-model calls and tokens the run would need, and stop (no completion is asked, nothing is written; up to 64 prompts go to the server's tokenizer endpoint when it has one)."
  )
  var estimate = false

  func validate() throws {
    guard ResponseCache.Mode(rawValue: llmCache) != nil else {
      throw ValidationError("--llm-cache \(llmCache): expected off, read, write or readwrite")
    }
    if fromSweep != nil {
      guard runIndex != nil else { throw ValidationError("--from-sweep needs --run-index") }
      guard file == nil, changes.overrides.isEmpty, changes.seed == nil else {
        throw ValidationError(
          "--from-sweep takes the scenario, overrides and seed from the sweep; drop FILE, --set, --seed")
      }
    } else {
      guard file != nil else { throw ValidationError("give a scenario file, or --from-sweep with --run-index") }
      guard runIndex == nil else { throw ValidationError("--run-index needs --from-sweep") }
    }
  }

  func run() throws {
    try changes.allowKeys()
    let spec: ScenarioSpec
    var summaryRow: ((RunResult) throws -> [(String, Cell)])? = nil
    var rowColumns: [Column] = []
    var directory: String
    var index = 0
    var source = file ?? ""
    var applied = changes.overrides
    if let fromSweep, let runIndex {
      (spec, summaryRow, rowColumns) = try fail(exit: 2) {
        () throws -> (ScenarioSpec, (RunResult) throws -> [(String, Cell)], [Column]) in
        let plan = try SweepRunner.storedPlan(in: fromSweep)
        guard (0..<plan.runCount).contains(runIndex) else {
          throw ValidationError("--run-index \(runIndex): the sweep in \(fromSweep) has runs 0 to \(plan.runCount - 1)")
        }
        let run = plan.run(runIndex)
        return (
          try plan.spec(ofRun: runIndex, template: try plan.template()), { try plan.summaryRow(run, $0) },
          plan.fieldColumns(model: plan.baseModel()?.model)
        )
      }
      directory = out ?? "\(fromSweep)/runs/run-\(runIndex)"
      index = runIndex
      let plan = try fail(exit: 2) { try SweepRunner.storedPlan(in: fromSweep) }
      source = plan.scenarioFile
      applied = plan.run(runIndex).overrides
    } else {
      spec = try changes.load(file!)
      directory = out ?? RunFolder.defaultPath(for: spec)
      if out == nil { try fail(exit: 2) { try OutputPath.checkInside(directory, root: "Results") } }
    }
    try fail(exit: 2) { try MemoryBudget.check(spec, source: source.isEmpty ? nil : source) }
    let languageModel = LanguageModelOptions(cache: ResponseCache.Mode(rawValue: llmCache)!, estimating: estimate)
    if estimate {
      let result: RunResult
      do {
        result = try Experiment.run(
          spec, runIndex: index, threads: max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount),
          languageModel: languageModel)
      } catch {
        Terminal.error("\(error)")
        throw ExitCode.failure
      }
      guard let estimate = result.languageModelEstimate else {
        print("\(spec.name): no segment has policy: llm; the run needs no language-model calls")
        return
      }
      print(
        "\(spec.name): estimate of the language-model calls (played with the cache's answers where it has them and "
          + "the decoder in the models' place elsewhere; no completion was asked)\n")
      print(Terminal.table(["item", "value"], estimate.table.map { [$0.0, $0.1] }))
      return
    }
    if !force && FileManager.default.fileExists(atPath: "\(directory)/manifest.json") {
      Terminal.error(
        "\(directory) already holds a run (its manifest.json); use --force to overwrite it, or --out for another folder"
      )
      throw ExitCode(2)
    }
    let handlers = [SIGINT, SIGTERM, SIGHUP].map { signalNumber in
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler {
        RunFolder.removeTemporaryFiles(in: directory)
        Terminal.note("\ninterrupted: the run was stopped before it finished; no partial file is left in \(directory)")
        Foundation.exit(128 + signalNumber)
      }
      source.resume()
      return source
    }
    defer { handlers.forEach { $0.cancel() } }
    let progress = quiet ? nil : Terminal.progress(label: spec.name)
    let written: (result: RunResult, files: [String])
    do {
      written = try RunFolder.execute(
        spec, into: directory, runIndex: index, source: source, overrides: applied, summaryRow: summaryRow,
        rowColumns: rowColumns, progress: progress,
        threads: max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount),
        report: !noReport, languageModel: languageModel)
    } catch {
      Terminal.error("\(error)")
      throw ExitCode.failure
    }
    if !quiet { print(Self.report(spec, written.result, directory: directory, files: written.files)) }
  }

  /// The short summary printed after a run.
  static func report(_ spec: ScenarioSpec, _ result: RunResult, directory: String, files: [String]) -> String {
    func value(_ column: String) -> String {
      switch result[column] {
      case .double(let v)?: return Terminal.number(v)
      case .int(let v)?: return String(v)
      case .string(let s)?: return s
      case nil: return "-"
      }
    }
    let headline =
      "\(spec.name): \(spec.game.type.rawValue), \(spec.population.size) agents, \(spec.game.rounds) "
      + (spec.matching.type == .asynchronous ? "time units (asynchronous)" : "rounds")
      + ", seed \(spec.seed), \(String(format: "%.2f", result.seconds)) s"
    let count = result.countColumn
    let metrics = ["efficiency", "gini"] + result.headline + ["mean_payoff", count]
    let overall = Terminal.table(["metric", "value"], metrics.map { [$0, value($0)] })
    let wanted =
      ["segment", "agents", "mean_payoff", "gini"] + result.headline + ["acceptance_rate_as_responder"]
    let indices = wanted.compactMap { result.segmentColumns.firstIndex(of: $0) }
    let segmentColumns = indices.map { result.segmentColumns[$0] }
    let segmentRows = result.segmentRows.map { row in
      indices.map { i -> String in
        switch row[i] {
        case .double(let v): return Terminal.number(v)
        case .int(let v): return String(v)
        case .string(let s): return s
        }
      }
    }
    let segments = Terminal.table(segmentColumns, segmentRows)
    var parts = [headline, "", overall, "", segments, ""]
    if let usage = result.languageModelUsage {
      parts += ["Language model:", Terminal.table(["item", "value"], usage.table.map { [$0.0, $0.1] }), ""]
    }
    return (parts + ["Results in \(directory)/: \(files.joined(separator: ", "))"]).joined(separator: "\n")
  }
}
