import AgoraCore
import Foundation
import Yams

/// A scenario read and parsed once, decoded many times with different overrides and seeds: what a sweep runs.
public struct ScenarioTemplate: @unchecked Sendable {
  /// Where the scenario came from, for error messages.
  public let source: String
  /// The scenario's YAML text as read.
  public let yaml: String
  let node: Node

  /// Parses YAML text; `source` names it in error messages, `defaultName` is the name when the text has none.
  public init(yaml: String, source: String = "<scenario>", defaultName: String = "scenario") throws(ScenarioIssue) {
    self.source = source
    self.yaml = yaml
    node = try ScenarioLoader.compose(yaml: yaml, source: source, defaultName: defaultName)
  }

  /// Reads and parses the scenario file at `path`.
  public init(file path: String) throws(ScenarioIssue) {
    let text = try YAMLInput.read(path)
    try self.init(yaml: text, source: path, defaultName: ScenarioLoader.defaultName(for: path))
  }

  /// The scenario with `overrides` (`key.path=value`, in order) and `seed` applied, decoded and validated.
  /// `labels` names each override in error messages (default: `--set key=value`; a sweep names its swept values).
  public func spec(overrides: [String] = [], labels: [String]? = nil, seed: UInt64? = nil) throws(ScenarioIssue)
    -> ScenarioSpec
  {
    try ScenarioLoader.decode(node, source: source, overrides: overrides, labels: labels, seed: seed)
  }
}
