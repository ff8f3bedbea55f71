import AgoraCore
import Foundation
import Yams

/// A ready-made population: segments written as a YAML template whose `${name}` placeholders are the preset's
/// parameters. `agora calibrate` fits the parameters to published targets; a scenario loads a preset with
/// `population: {preset: NAME, size: N}` (a built-in name, or a fitted preset file written by `agora calibrate`).
public struct PopulationPreset: Sendable {
  /// One calibrated parameter: its value and the box it is searched in.
  public struct Parameter: Sendable, Equatable {
    public var name: String
    public var value: Double
    public var lower: Double
    public var upper: Double

    public init(_ name: String, _ value: Double, _ lower: Double, _ upper: Double) {
      self.name = name
      self.value = value
      self.lower = lower
      self.upper = upper
    }
  }

  public var name: String
  /// What the preset stands for and what it was fitted to.
  public var summary: String
  /// The targets file (in the repository's `Validation/`) and the preset name in its `preset` column (`nil`: every row).
  public var targets: (file: String, preset: String?)
  public var parameters: [Parameter]
  /// The targets left out of the fit, as `game.statistic`: checked out of sample (`agora calibrate --check` reports
  /// them apart).
  public var heldOut: [String] = []
  /// Derived values: `${name}` placeholders computed from the parameters (e.g. a share that makes shares sum to 1).
  var derived: @Sendable ([String: Double]) -> [String: Double] = { _ in [:] }
  /// The segments, as a YAML list with `${name}` placeholders.
  var template: String

  /// Whether the target `statistic` of `game` is held out of the fit.
  public func holdsOut(_ game: String, _ statistic: String) -> Bool { heldOut.contains("\(game).\(statistic)") }

  /// The parameter values by name.
  public var values: [String: Double] { Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.value) }) }

  /// The segments' YAML with `values` (the preset's own where missing) substituted.
  public func segmentsYAML(_ values: [String: Double] = [:]) -> String {
    var all = self.values.merging(values) { $1 }
    all.merge(derived(all)) { $1 }
    var text = template
    for (name, value) in all.sorted(by: { $0.key.count > $1.key.count }) {
      text = text.replacingOccurrences(of: "${\(name)}", with: "\(value)")
    }
    return text
  }

  /// The preset with `values` as its parameters.
  public func with(_ values: [String: Double]) -> PopulationPreset {
    var copy = self
    for k in copy.parameters.indices { if let v = values[copy.parameters[k].name] { copy.parameters[k].value = v } }
    return copy
  }

  /// The preset named `name`: a built-in one, or a fitted preset file (`base:` a built-in name, `parameters:`).
  public static func load(_ name: String) throws(ScenarioIssue) -> PopulationPreset {
    if let preset = builtIn.first(where: { $0.name == name }) { return preset }
    guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else {
      var message = "expected a built-in preset (\(builtIn.map(\.name).joined(separator: ", "))) or a .yaml file"
      if let guess = nearest(name, in: builtIn.map(\.name)) { message += "; did you mean '\(guess)'?" }
      throw ScenarioIssue(path: "population.preset", value: name, message: message)
    }
    let text: String
    do { text = try YAMLInput.read(name) } catch {
      throw ScenarioIssue(path: "population.preset", value: name, message: "preset file: \(error.message)")
    }
    // A file of literal segments (a surrogate `agora calibrate --from-run` wrote): the segments are the template.
    if case .mapping(let top)? = try? YAMLInput.compose(text), let segments = top["segments"], top["base"] == nil {
      guard case .sequence = segments, let yaml = try? Yams.serialize(node: segments) else {
        throw ScenarioIssue(path: "population.preset", value: name, message: "in \(name): segments must be a list")
      }
      return PopulationPreset(
        name: name, summary: "the segments of \(name)", targets: ("", nil), parameters: [], template: yaml)
    }
    guard case .mapping(let top)? = try? YAMLInput.compose(text), let base = top["base"]?.string,
      let preset = builtIn.first(where: { $0.name == base }), case .mapping(let parameters)? = top["parameters"]
    else {
      throw ScenarioIssue(
        path: "population.preset", value: name,
        message:
          "a preset file has 'base: <built-in preset>' and 'parameters: {name: value, ...}', or 'segments: [...]'")
    }
    var values: [String: Double] = [:]
    for (key, value) in parameters {
      guard let k = key.string, preset.parameters.contains(where: { $0.name == k }), let v = value.float else {
        throw ScenarioIssue(
          path: "population.preset", value: "\(key.string ?? ""): \(value.string ?? "")",
          message: "in \(name): expected one of \(preset.parameters.map(\.name).joined(separator: ", ")) with a number")
      }
      values[k] = v
    }
    return preset.with(values)
  }

  /// The fitted preset file `agora calibrate` writes.
  public func fileText(comment: String) -> String {
    var lines = comment.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)" }
    lines += ["base: \(name)", "parameters:"]
    for p in parameters { lines.append("  \(p.name): \(p.value)") }
    return lines.joined(separator: "\n") + "\n"
  }
}
