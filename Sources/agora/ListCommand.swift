import Agora
import ArgumentParser

/// `agora list`: what a scenario can name.
struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List games, matching protocols, distributions, preference dimensions and generators.")

  func run() throws {
    print("games:          \(GameType.allCases.map(\.rawValue).joined(separator: ", "))")
    print("matching:       \(MatchingType.allCases.map(\.rawValue).joined(separator: ", "))")
    print("roles:          \(RoleAssignment.allCases.map(\.rawValue).joined(separator: ", "))")
    print("policies:       \(Policy.allCases.map(\.rawValue).joined(separator: ", "))")
    print("presets:        \(PopulationPreset.builtIn.map(\.name).joined(separator: ", "))")
    print("learning:       \(Learning.allCases.map(\.rawValue).joined(separator: ", "))")
    print("distributions:  \(Distribution.names.joined(separator: ", ")); joint: dirichlet, multivariate_normal")
    print("preferences:    \(Preference.names.joined(separator: ", "))")
    print("generators:     \(RandomGenerator.availableNames.joined(separator: ", "))")
  }
}
