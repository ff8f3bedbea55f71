import Agora
import ArgumentParser

/// The `agora` command line.
@main
struct AgoraCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "agora",
    abstract: "Agent-based social simulation with LLM-style agents.",
    version: Experiment.version,
    subcommands: [RunCommand.self, ValidateCommand.self, MetricsCommand.self, ListCommand.self]
  )
}

/// Options shared by commands that load a scenario.
struct ScenarioOptions: ParsableArguments {
  @Argument(help: "The scenario file (YAML).")
  var file: String

  @Option(
    name: .customLong("set"),
    help: ArgumentHelp("Override a key, e.g. --set population.size=40 (repeatable).", valueName: "key.path=value"))
  var overrides: [String] = []

  @Option(help: "The master seed (overrides the scenario's seed).")
  var seed: UInt64?

  func load() throws -> ScenarioSpec {
    do {
      return try ScenarioLoader.load(file: file, overrides: overrides, seed: seed)
    } catch {
      Terminal.error(error.description)
      throw ExitCode(2)
    }
  }
}
