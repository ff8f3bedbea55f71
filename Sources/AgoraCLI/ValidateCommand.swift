import Agora
import ArgumentParser

/// `agora validate`: checks a scenario file without running it.
struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate", abstract: "Check a scenario file (and --set overrides) without running it.")

  @OptionGroup var scenario: ScenarioOptions

  func run() throws {
    let spec = try scenario.load()
    let segments = spec.population.segments.map { "\($0.name) (\($0.share))" }.joined(separator: ", ")
    print(
      "\(scenario.file): valid. \(spec.name): \(spec.game.type.rawValue), \(spec.population.size) agents in "
        + "\(spec.population.segments.count) segments [\(segments)], \(spec.game.rounds) rounds, "
        + "\(spec.matching.type.rawValue) matching, seed \(spec.seed)")
  }
}
