import Agora
import ArgumentParser

/// The `agora` command line: `AgoraCommand.main()` runs it (after registering any models of one's own).
public struct AgoraCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "agora",
    abstract: "Agent-based social simulation with LLM-style agents.",
    version: Experiment.version,
    subcommands: [
      RunCommand.self, SweepCommand.self, MergeCommand.self, AnalyzeCommand.self, PlotCommand.self,
      CalibrateCommand.self, SolveCommand.self, ValidateCommand.self, MetricsCommand.self, ListCommand.self,
      PromptsCommand.self,
    ]
  )

  public init() {}
}

/// Options shared by commands that load a scenario.
struct ScenarioOptions: ParsableArguments {
  @Argument(help: "The scenario file (YAML).")
  var file: String

  @OptionGroup var changes: ScenarioChanges

  func load() throws -> ScenarioSpec { try changes.load(file) }
}

/// `--set` and `--seed`: what a command changes in a scenario file.
struct ScenarioChanges: ParsableArguments {
  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("Override a key, e.g. --set population.size=40 (repeatable).", valueName: "key.path=value"))
  var overrides: [String] = []

  @Option(help: "The master seed (overrides the scenario's seed).")
  var seed: UInt64?

  @Option(
    help: ArgumentHelp(
      "Let llm.api_key_env read this variable, besides names ending in _API_KEY or _TOKEN (repeatable).",
      valueName: "NAME"))
  var allowKeyEnv: [String] = []

  /// Lets `api_key_env` read the variables of `--allow-key-env` (never a scenario file's choice).
  func allowKeys() throws {
    try fail(exit: 2) { try LanguageModelSpec.allowKeyVariables(allowKeyEnv) }
  }

  /// Loads `file` with these changes; a problem is printed and exits with status 2.
  func load(_ file: String) throws -> ScenarioSpec {
    try allowKeys()
    do {
      return try ScenarioLoader.load(file: file, overrides: overrides, seed: seed)
    } catch {
      Terminal.error(error.description)
      throw ExitCode(2)
    }
  }
}
