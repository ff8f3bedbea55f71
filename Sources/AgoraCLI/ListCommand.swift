import Agora
import ArgumentParser
import Foundation

/// `agora list`: what a scenario can name.
struct ListCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List games, matching protocols, distributions, preference dimensions and generators.")

  @Option(help: "Print the reference table of a model's keys (e.g. ultimatum, commons), as docs/scenario.md has it.")
  var parameters: String?

  @Option(
    help: ArgumentHelp(
      "Print the table of the columns a model declares (e.g. trust; `standard` for those every model writes), as "
        + "docs/columns.md has it."))
  var columns: String?

  func run() throws {
    BuiltInModels.register()
    if let columns {
      if columns == "standard" {
        print(StandardColumns.docBlock)
        return
      }
      guard let model = ModelRegistry.model(GameType(rawValue: columns)) else {
        let names = (["standard"] + ModelRegistry.types.map(\.rawValue)).joined(separator: ", ")
        throw ValidationError("--columns \(columns): expected one of \(names)")
      }
      print(model.columnsDocBlock)
      return
    }
    if let parameters {
      guard let model = ModelRegistry.model(GameType(rawValue: parameters)) else {
        let names = ModelRegistry.types.map(\.rawValue).joined(separator: ", ")
        throw ValidationError("--parameters \(parameters): expected one of \(names)")
      }
      print(model.docBlock)
      return
    }
    print("games:          \(ModelRegistry.types.map(\.rawValue).joined(separator: ", "))")
    print("matching:       \(MatchingType.allCases.map(\.rawValue).joined(separator: ", "))")
    print("roles:          \(RoleAssignment.allCases.map(\.rawValue).joined(separator: ", "))")
    print("policies:       \(Policy.allCases.map(\.rawValue).joined(separator: ", "))")
    for model in ModelRegistry.models where !model.strategies.isEmpty {
      print("strategies:     \(model.type): \(model.strategies.joined(separator: ", "))")
    }
    print("presets:        \(PopulationPreset.builtIn.map(\.name).joined(separator: ", "))")
    print("learning:       \(Learning.allCases.map(\.rawValue).joined(separator: ", "))")
    print("distributions:  \(Distribution.names.joined(separator: ", ")); joint: dirichlet, multivariate_normal")
    print("preferences:    \(Preference.names.joined(separator: ", "))")
    print("generators:     \(RandomGenerator.availableNames.joined(separator: ", "))")
  }
}
