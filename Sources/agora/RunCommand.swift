import Agora
import ArgumentParser
import Foundation

/// `agora run`: runs one scenario and writes its CSV files.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a scenario and write summary.csv, steps.csv, agents.csv, segments.csv and manifest.json.",
    discussion: "The default output folder is Results/<scenario name>/seed-<seed>."
  )

  @OptionGroup var scenario: ScenarioOptions

  @Option(help: "The output folder.")
  var out: String?

  @Flag(help: "Print nothing but errors.")
  var quiet = false

  func run() throws {
    let spec = try scenario.load()
    let needed = Experiment.estimatedBytes(spec)
    let available = Int(clamping: ProcessInfo.processInfo.physicalMemory)
    guard needed < available else {
      Terminal.error(
        "\(scenario.file): population.size \(spec.population.size) needs about \(needed >> 20) MiB, "
          + "more than this machine's \(available >> 20) MiB of memory; reduce population.size or memory.window")
      throw ExitCode(2)
    }
    let directory = out ?? RunFolder.defaultPath(for: spec)
    let progress = quiet ? nil : Terminal.progress(label: spec.name)
    let written: (result: RunResult, files: [String])
    do {
      written = try RunFolder.execute(
        spec, into: directory, source: scenario.file, overrides: scenario.overrides, progress: progress)
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
    let main =
      spec.game.type == .ultimatum ? ["mean_offer", "acceptance_rate"] : ["mean_share_given", "share_giving_zero"]
    let metrics = ["efficiency", "gini"] + main + ["mean_payoff", "interactions"]
    let overall = Terminal.table(["metric", "value"], metrics.map { [$0, value($0)] })
    let proposerLabels =
      spec.game.type == .ultimatum
      ? ["mean_offer", "offers_accepted", "accepts_as_responder"] : ["mean_share_given", "share_giving_zero"]
    let segmentColumns = ["segment", "agents", "mean_payoff", "gini"] + proposerLabels
    let wanted =
      ["segment", "agents", "mean_payoff", "gini"] + main
      + (spec.game.type == .ultimatum ? ["acceptance_rate_as_responder"] : [])
    let indices = wanted.map { result.segmentColumns.firstIndex(of: $0)! }
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
    return [headline, "", overall, "", segments, "", "Results in \(directory)/: \(files.joined(separator: ", "))"]
      .joined(separator: "\n")
  }
}
