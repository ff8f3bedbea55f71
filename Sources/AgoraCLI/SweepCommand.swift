import Agora
import ArgumentParser
import Foundation

/// `agora sweep`: runs a scenario over a design of parameter values and seeds, on all cores, a shard, or Slurm.
struct SweepCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sweep",
    abstract: "Run a scenario over a grid, random or Latin-hypercube design of parameters and seeds.",
    discussion: """
      FILE is a scenario (then say what to vary with --grid/--range) or a sweep file (Scenarios/sweeps/*.yaml). \
      Writes OUT/summary.csv (one row per run, sorted by run_index), OUT/report.html (charts of the metrics \
      against each parameter) and, when kept, steps.csv, segments.csv and agents.csv in long format. Started \
      again with the same arguments, a sweep resumes: finished runs are kept. \
      Run i's seed derives from the sweep seed and i; `agora run --from-sweep OUT --run-index i` re-runs it alone.
      """
  )

  @Argument(help: "A scenario file or a sweep file (YAML).")
  var file: String

  @Option(
    name: .customLong("grid"),
    help: ArgumentHelp(
      "A grid axis: key.path=v1,v2,... or key.path=from:to:step (repeatable; axes form a full factorial).",
      valueName: "key.path=values"))
  var grids: [String] = []

  @Option(
    name: .customLong("range"),
    help: ArgumentHelp(
      "A range to sample: key.path=min:max, optionally :log and/or :int (needs --design random|lhs).",
      valueName: "key.path=min:max"))
  var ranges: [String] = []

  @Option(help: "How ranges are sampled: grid, random or lhs (Latin hypercube).")
  var design: String?

  @Option(help: "Points of a random or Latin-hypercube design.")
  var samples: Int?

  @Option(help: "Runs (seeds) per design point.")
  var seeds: Int?

  @Option(help: "The sweep seed (default: the sweep file's, else the scenario's seed).")
  var seed: UInt64?

  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("Fix a key for every run, e.g. --set population.size=500 (repeatable).", valueName: "key=value"))
  var overrides: [String] = []

  @Option(help: "Comma-separated metric columns to keep in summary.csv (default: all).")
  var metrics: String?

  @Flag(help: "Keep every run's steps in OUT/steps.csv.")
  var keepSteps = false

  @Flag(help: "Keep every run's agents in OUT/agents.csv (large).")
  var keepAgents = false

  @Option(
    help: ArgumentHelp(
      "Keep a table of every run in OUT/<table>.csv, with the swept values on every row (repeatable): steps, "
        + "segments, agents, events, or a model's own table such as villages; all: every table the runs write."))
  var keep: [String] = []

  @Option(help: "The sweep's folder (default: Results/<sweep name>).")
  var out: String?

  @Option(help: "Runs at once (default: the number of cores).")
  var jobs: Int?

  @Option(help: "Run only shard i of N (0 <= i < N): the runs whose index modulo N is i.")
  var shard: String?

  @Flag(help: "Start over in a folder that holds a different sweep.")
  var force = false

  @Flag(help: "Do not write report.html when the sweep is merged.")
  var noReport = false

  @Flag(help: "Print nothing but errors.")
  var quiet = false

  @Option(
    help: ArgumentHelp(
      "Let llm.api_key_env read this variable, besides names ending in _API_KEY or _TOKEN (repeatable).",
      valueName: "NAME"))
  var allowKeyEnv: [String] = []

  @OptionGroup(title: "Slurm") var slurm: SlurmOptions

  func run() throws {
    try fail(exit: 2) { try LanguageModelSpec.allowKeyVariables(allowKeyEnv) }
    let plan = try makePlan()
    let directory = out ?? "Results/\(plan.name)"
    if out == nil { try fail(exit: 2) { try OutputPath.checkInside(directory, root: "Results") } }
    if slurm.slurm {
      try SlurmSubmission(command: self, plan: plan, directory: directory).run()
      return
    }
    let shard: SweepShard
    do { shard = try self.shard.map(SweepShard.init(parsing:)) ?? .all } catch {
      throw ValidationError(error.description)
    }
    let runner = try fail(exit: 2) {
      try SweepRunner(
        plan: plan, directory: directory, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount, shard: shard,
        force: force, report: !noReport)
    }
    let handlers = [SIGINT, SIGTERM, SIGHUP].map { signalNumber in
      signal(signalNumber, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
      source.setEventHandler {
        runner.haltForExit()
        SweepRunner.removeTemporaryFiles(in: directory)
        let done = (try? SweepRunner.finishedRuns(in: directory).count) ?? 0
        Terminal.note(
          "\ninterrupted: \(done) of \(plan.runCount) runs are finished and kept in \(directory); "
            + "run the same command again to resume")
        Foundation.exit(128 + signalNumber)
      }
      source.resume()
      return source
    }
    defer { handlers.forEach { $0.cancel() } }
    if !quiet {
      Terminal.note(
        "sweep \(plan.name): \(plan.points.count) points x \(plan.repetitions) seeds = \(plan.runCount) runs"
          + (shard.count > 1 ? ", shard \(shard) (\(plan.runCount / shard.count)+ runs)" : "")
          + ", \(runner.jobs) at once, into \(directory)")
    }
    let outcome = try fail(exit: 1) { try runner.run(progress: quiet ? nil : Terminal.sweepProgress()) }
    guard !quiet else { return }
    var line = "ran \(outcome.ran) runs in \(String(format: "%.2f", outcome.seconds)) s"
    if outcome.ran > 0 { line += String(format: " (%.1f runs/s)", Double(outcome.ran) / max(outcome.seconds, 1e-9)) }
    if outcome.skipped > 0 { line += "; \(outcome.skipped) were already finished" }
    print(line)
    if outcome.merged.isEmpty {
      print("shard \(shard) done; once every shard has finished, run: agora merge \(directory)")
    } else {
      print("Results in \(directory)/: \(outcome.merged.joined(separator: ", "))")
    }
  }

  /// The sweep plan from the file and the options.
  func makePlan() throws -> SweepPlan {
    try fail(exit: 2) {
      var spec = SweepSpec.isSweepFile(file) ? try SweepSpec.load(file: file) : SweepSpec(scenario: file)
      let cli =
        try grids.map { try SweepCommand.parameter(grid: $0) } + ranges.map { try SweepCommand.parameter(range: $0) }
      if !cli.isEmpty {
        // An axis given on the command line replaces the file's axis on the same key (in its place, under its
        // column name); new keys are added after the file's.
        var explicit = Set(spec.parameters.indices)
        for parameter in cli {
          if let k = spec.parameters.firstIndex(where: { $0.key == parameter.key }) {
            if !quiet {
              Terminal.note("--grid/--range \(parameter.key) replaces the sweep file's axis on that key")
            }
            spec.parameters[k].domain = parameter.domain
          } else {
            spec.parameters.append(parameter)
          }
        }
        explicit.formIntersection(spec.parameters.indices)
        spec.parameters = SweepParameter.disambiguated(spec.parameters, explicit: explicit)
      }
      if let design {
        guard let d = SweepDesign(rawValue: design) else {
          throw ScenarioIssue(
            file: "--design", path: "", value: design,
            message: "expected one of \(SweepDesign.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        spec.design = d
      } else if !ranges.isEmpty && spec.design == .grid {
        spec.design = .lhs
      }
      if let samples {
        guard (1...SweepPlan.maximumRuns).contains(samples) else {
          throw ScenarioIssue(
            file: "--samples", path: "", value: "\(samples)", message: "expected 1 to \(SweepPlan.maximumRuns)")
        }
        spec.samples = samples
      }
      if let seeds {
        guard (1...SweepPlan.maximumRuns).contains(seeds) else {
          throw ScenarioIssue(
            file: "--seeds", path: "", value: "\(seeds)", message: "expected 1 to \(SweepPlan.maximumRuns)")
        }
        spec.repetitions = seeds
      }
      if let seed { spec.seed = seed }
      spec.overrides += overrides
      if let metrics { spec.metrics = metrics.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
      if keepSteps { spec.keep.steps = true }
      if keepAgents { spec.keep.agents = true }
      for table in keep { spec.keep.keep(table) }
      guard !spec.parameters.isEmpty || spec.repetitions > 1 else {
        throw ScenarioIssue(
          file: file, path: "", message: "nothing to sweep: give --grid key=values, --range key=min:max or --seeds N")
      }
      let template = try ScenarioTemplate(file: spec.scenario)
      return try SweepPlan(spec, template: template)
    }
  }

  /// `key=v1,v2` or `key=from:to:step`; values in a YAML 1.1 number form (`0x20`, `017`) are refused, and so is
  /// `from:to` without a step (YAML 1.1 would read `10:100` as the one value 700).
  static func parameter(grid text: String) throws -> SweepParameter {
    let (key, value) = try split(text, option: "--grid")
    let parts = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    if parts.count > 1, !value.contains(","), parts.allSatisfy({ Double($0) != nil || $0.isEmpty }) {
      if let bad = parts.first(where: { YAML11Form.numberProblem($0) != nil }) {
        throw ScenarioIssue(
          file: "--grid \(text)", path: key, value: bad, message: YAML11Form.numberProblem(bad)!)
      }
      guard parts.count == 3, !parts.contains(where: \.isEmpty) else {
        var example = "0:1:0.25"
        if let start = Double(parts[0]), let stop = Double(parts[1]), stop > start {
          let step = Foundation.pow(10, Foundation.log10(stop - start).rounded(.down))
          example = "\(start.valueText):\(stop.valueText):\(step.valueText)"
        }
        throw ScenarioIssue(
          file: "--grid \(text)", path: key, value: value,
          message: "a range needs start:stop:step, e.g. \(example); to list values write v1,v2,...")
      }
    }
    let numbers = parts.compactMap { Double($0) }
    if numbers.count == 3, !value.contains(",") {
      guard numbers[2] > 0, numbers[1] >= numbers[0], (numbers[1] - numbers[0]) / numbers[2] < 100_000 else {
        throw ScenarioIssue(
          file: "--grid \(text)", path: key, value: value, message: "expected from:to:step with step > 0, to >= from")
      }
      return SweepParameter(
        key: key, domain: .values(SweepParameter.stepped(from: numbers[0], to: numbers[1], step: numbers[2])))
    }
    let values = splitList(value)
    guard !values.contains(where: \.isEmpty) else {
      throw ScenarioIssue(
        file: "--grid \(text)", path: key, value: value, message: "expected v1,v2,... with no empty value")
    }
    if let bad = values.first(where: { YAML11Form.numberProblem($0) != nil }) {
      throw ScenarioIssue(file: "--grid \(text)", path: key, value: bad, message: YAML11Form.numberProblem(bad)!)
    }
    return SweepParameter(key: key, domain: .values(values))
  }

  /// `key=min:max[:log][:int]`.
  static func parameter(range text: String) throws -> SweepParameter {
    let (key, value) = try split(text, option: "--range")
    let parts = value.split(separator: ":").map(String.init)
    if let bad = parts.prefix(2).first(where: { YAML11Form.numberProblem($0) != nil }) {
      throw ScenarioIssue(file: "--range \(text)", path: key, value: bad, message: YAML11Form.numberProblem(bad)!)
    }
    let flags = Set(parts.dropFirst(2))
    guard parts.count >= 2, let low = Double(parts[0]), let high = Double(parts[1]), low.isFinite, high.isFinite,
      high > low, flags.isSubset(of: ["log", "int"]), !flags.contains("log") || low > 0
    else {
      throw ScenarioIssue(
        file: "--range \(text)", path: key, value: value,
        message: "expected min:max with min < max, optionally :log (min > 0) and/or :int")
    }
    return SweepParameter(
      key: key,
      domain: .range(min: low, max: high, scale: flags.contains("log") ? .log : .linear, integer: flags.contains("int"))
    )
  }

  static func split(_ text: String, option: String) throws -> (String, String) {
    guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
      throw ScenarioIssue(file: "\(option) \(text)", path: "", message: "expected key.path=values")
    }
    return (String(text[..<eq]), String(text[text.index(after: eq)...]))
  }

  /// Splits `a,b,[c,d],{e: f}` at top-level commas.
  static func splitList(_ text: String) -> [String] {
    var items: [String] = []
    var current = ""
    var depth = 0
    for ch in text {
      if ch == "[" || ch == "{" { depth += 1 }
      if ch == "]" || ch == "}" { depth -= 1 }
      if ch == "," && depth == 0 {
        items.append(current.trimmingCharacters(in: .whitespaces))
        current = ""
      } else {
        current.append(ch)
      }
    }
    items.append(current.trimmingCharacters(in: .whitespaces))
    return items
  }
}

/// Runs `body`; prints its error and exits with `exit` when it throws.
func fail<T>(exit code: Int32, _ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as ExitCode {
    throw error
  } catch let error as ValidationError {
    throw error
  } catch {
    Terminal.error("\(error)")
    throw ExitCode(code)
  }
}
