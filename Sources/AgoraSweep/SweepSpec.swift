import AgoraCore
import AgoraOutput
import AgoraScenario
import Foundation
import Yams

/// What a sweep varies and keeps: the scenario, the design over its parameters, the repetitions and the seed.
///
/// It comes from a sweep file (`Scenarios/sweeps/*.yaml`) or from `agora sweep` options; ``SweepPlan`` expands it.
public struct SweepSpec: Sendable, Equatable {
  /// The sweep's name (the default output folder is `Results/<name>`).
  public var name: String?
  /// The scenario file, relative to the working directory.
  public var scenario: String
  /// The sweep seed; run seeds derive from it and the run index. `nil`: the scenario's seed.
  public var seed: UInt64?
  /// How range parameters are sampled; enumerated parameters always form a full factorial.
  public var design: SweepDesign = .grid
  /// The number of sampled points of a random or Latin-hypercube design.
  public var samples: Int = 0
  /// Runs per design point, each with its own seed.
  public var repetitions: Int = 1
  /// The swept parameters, in column order.
  public var parameters: [SweepParameter] = []
  /// Fixed overrides applied to every run (`key.path=value`), before the swept values.
  public var overrides: [String] = []
  /// The metric columns to keep in `summary.csv`; `nil` keeps every metric.
  public var metrics: [String]?
  /// Which long-format files to keep besides `summary.csv`.
  public var keep = SweepKeep()

  public init(scenario: String) { self.scenario = scenario }
}

/// How a sweep samples its range parameters.
public enum SweepDesign: String, Sendable, Codable, CaseIterable {
  /// Enumerated values only: the full factorial.
  case grid
  /// Independent uniform draws in each range.
  case random
  /// A Latin hypercube: each range cut into `samples` equal strata, each stratum used exactly once.
  case lhs
}

/// Which per-run files a sweep keeps, in long format with `run_index`.
public struct SweepKeep: Sendable, Equatable, Codable {
  /// `steps.csv`: one row per run and step.
  public var steps = false
  /// `agents.csv`: one row per run and agent (large).
  public var agents = false
  /// `segments.csv`: one row per run and segment.
  public var segments = true
  /// `events.csv`: one row per run and interaction (models that log events).
  public var events = false
  /// The model's own tables (`villages`), one row per run and row of the table.
  public var tables: [String] = []
  /// Every table the model's runs write (`--keep all`): steps, segments, agents, events where the model logs them,
  /// and the model's own tables; the plan expands it (``expanded(steps:events:tables:)``).
  public var all = false

  public init(
    steps: Bool = false, agents: Bool = false, segments: Bool = true, events: Bool = false, tables: [String] = [],
    all: Bool = false
  ) {
    self.steps = steps
    self.agents = agents
    self.segments = segments
    self.events = events
    self.tables = tables
    self.all = all
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case steps, agents, segments, events, tables, all
  }

  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    steps = try c.value(.steps, default: false)
    agents = try c.value(.agents, default: false)
    segments = try c.value(.segments, default: true)
    events = try c.value(.events, default: false)
    tables = try c.value(.tables, default: [])
    all = try c.value(.all, default: false)
  }

  /// What `all` keeps for a model that logs events or not and has the tables `tables`; anything else unchanged.
  public func expanded(events logs: Bool, tables own: [String]) -> SweepKeep {
    guard all else { return self }
    return SweepKeep(steps: true, agents: true, segments: true, events: logs, tables: own)
  }

  /// Keeps the table `name`: `steps`, `segments`, `agents`, `events`, one of the model's own, or `all` of them.
  public mutating func keep(_ name: String) {
    switch name {
    case "all": all = true
    case "steps": steps = true
    case "segments": segments = true
    case "agents": agents = true
    case "events": events = true
    default: if !tables.contains(name) { tables.append(name) }
    }
  }
}

extension SweepSpec {
  /// Reads a sweep file; its `scenario` path is relative to the sweep file's folder.
  public static func load(file path: String) throws(ScenarioIssue) -> SweepSpec {
    let text = try YAMLInput.read(path)
    var spec: SweepSpec
    do {
      spec = try parse(yaml: text)
    } catch {
      var issue = error
      issue.file = path
      throw issue
    }
    if !spec.scenario.hasPrefix("/") {
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
      spec.scenario = folder.appendingPathComponent(spec.scenario).standardized.relativePath(from: cwd())
    }
    return spec
  }

  /// Parses a sweep file's YAML text (its `scenario` path as written).
  public static func parse(yaml text: String) throws(ScenarioIssue) -> SweepSpec {
    guard let node = try YAMLInput.compose(text), case .mapping = node else {
      throw ScenarioIssue(path: "", message: "expected a mapping with scenario and parameters")
    }
    try YAML11Form.check(node)
    var spec = try decode(SweepFile.self, from: node, at: "").spec
    guard case .mapping(let parameters)? = node.mapping?["parameters"] else {
      throw ScenarioIssue(path: "parameters", message: "required; expected a mapping of key.path: values")
    }
    var explicit = Set<Int>()
    for (i, (keyNode, value)) in parameters.enumerated() {
      let key = keyNode.string ?? ""
      let entry = try decode(ParameterEntry.self, from: value, at: "parameters.\(key)")
      if entry.name != nil { explicit.insert(i) }
      spec.parameters.append(SweepParameter(key: key, name: entry.name, domain: entry.domain))
    }
    spec.parameters = SweepParameter.disambiguated(spec.parameters, explicit: explicit)
    switch node.mapping?["set"] {
    case .mapping(let fixed)?: spec.overrides = fixed.map { "\($0.key.string ?? "")=\(flow($0.value))" }
    case nil: break
    default: throw ScenarioIssue(path: "set", message: "expected a mapping of key.path: value")
    }
    return spec
  }

  /// Decodes `T` from a node, turning decoding errors into issues whose key path starts at `prefix`.
  private static func decode<T: Decodable>(_ type: T.Type, from node: Node, at prefix: String) throws(ScenarioIssue)
    -> T
  {
    func located(_ path: String, _ value: String?, _ message: String) -> ScenarioIssue {
      ScenarioIssue(path: [prefix, path].filter { !$0.isEmpty }.joined(separator: "."), value: value, message: message)
    }
    do {
      return try YAMLDecoder().decode(T.self, from: node)
    } catch let issue as ScenarioIssue {
      throw located(issue.path, issue.value, issue.message)
    } catch let error as DecodingError {
      switch error {
      case .typeMismatch(let type, let context):
        var here: Node? = node
        for key in context.codingPath {
          let items = here?.sequence.map(Array.init)
          here =
            key.intValue.flatMap { i in items.flatMap { i < $0.count ? $0[i] : nil } }
            ?? here?.mapping?[key.stringValue]
        }
        let text = here?.scalar?.string
        let advice = type is Bool.Type ? text.flatMap(YAML11Form.booleanAdvice).map { "; \($0)" } ?? "" : ""
        let expected = type is Bool.Type ? "true or false" : "a value of type \(type)"
        throw located(ScenarioIssue.dotted(context.codingPath), text, "expected \(expected)\(advice)")
      case .valueNotFound(_, let context), .dataCorrupted(let context):
        throw located(ScenarioIssue.dotted(context.codingPath), nil, context.debugDescription)
      case .keyNotFound(let key, let context):
        throw located(ScenarioIssue.dotted(context.codingPath + [key]), nil, "required key is missing")
      @unknown default:
        throw located("", nil, "\(error)")
      }
    } catch {
      throw located("", nil, "\(error)")
    }
  }

  /// A node as one line of YAML flow text, for a `--set` value.
  static func flow(_ node: Node) -> String {
    switch node {
    case .scalar(let s): return s.string
    case .sequence(let items): return "[" + items.map(flow).joined(separator: ", ") + "]"
    case .mapping(let m): return "{" + m.map { "\(flow($0.key)): \(flow($0.value))" }.joined(separator: ", ") + "}"
    case .alias: return ""
    }
  }

  /// Whether the YAML file at `path` is a sweep file (it has `parameters` and `scenario`) rather than a scenario.
  public static func isSweepFile(_ path: String) -> Bool {
    guard let text = try? YAMLInput.read(path), case .mapping(let top)? = try? YAMLInput.compose(text)
    else { return false }
    return top["scenario"] != nil && top["parameters"] != nil
  }

  private static func cwd() -> URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }
}

extension URL {
  /// This file URL's path relative to `base` when it lies below it, else the absolute path.
  func relativePath(from base: URL) -> String {
    let path = standardized.path
    let root = base.standardized.path
    if path.hasPrefix(root + "/") { return String(path.dropFirst(root.count + 1)) }
    return path
  }
}

/// The YAML form of a sweep file.
private struct SweepFile: Decodable {
  var spec: SweepSpec

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, description, scenario, seed, design, samples, repetitions, parameters, set, metrics, keep
  }

  init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    spec = SweepSpec(scenario: try c.value(.scenario, allowed: "the scenario file, relative to this file"))
    spec.name = try c.decodeIfPresent(String.self, forKey: .name)
    if let name = spec.name, !OutputPath.isSafeName(name) {
      throw ScenarioIssue(
        c.codingPath + [CodingKeys.name], value: name, "expected a name of letters, digits, '-', '_' or '.'")
    }
    _ = try c.decodeIfPresent(String.self, forKey: .description)
    spec.seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
    spec.design = try c.choice(.design, default: .grid)
    spec.samples = try c.value(.samples, default: 0, allowed: "an integer from 1 to 100000000") {
      (0...100_000_000).contains($0)
    }
    spec.repetitions = try c.value(.repetitions, default: 1, allowed: "an integer from 1 to 100000000") {
      (1...100_000_000).contains($0)
    }
    spec.metrics = try c.decodeIfPresent([String].self, forKey: .metrics)
    spec.keep = try c.value(.keep, default: SweepKeep())
  }

}

/// One entry under `parameters:`: a list of values, `{values, name}`, `{from, to, step, name}` or
/// `{min, max, scale, integer, name}`.
private struct ParameterEntry: Decodable {
  var name: String?
  var domain: SweepParameter.Domain

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, values, from, to, step, min, max, scale, integer
  }

  init(from decoder: any Decoder) throws {
    if let list = try? decoder.singleValueContainer().decode([String].self) {
      guard !list.isEmpty else { throw ScenarioIssue(path: "", message: "expected at least one value") }
      domain = .values(list)
      return
    }
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decodeIfPresent(String.self, forKey: .name)
    if let list = try c.decodeIfPresent([String].self, forKey: .values) {
      guard !list.isEmpty else { throw ScenarioIssue(path: "values", message: "expected at least one value") }
      domain = .values(list)
    } else if c.contains(.from) || c.contains(.step) {
      let from: Double = try c.value(.from, allowed: "a finite number") { $0.isFinite }
      let to: Double = try c.value(.to, allowed: "a finite number >= from (\(from))") { $0.isFinite && $0 >= from }
      let step: Double = try c.value(.step, allowed: "a number > 0 giving at most 100000 values") {
        $0 > 0 && (to - from) / $0 < 100_000
      }
      domain = .values(SweepParameter.stepped(from: from, to: to, step: step))
    } else if c.contains(.min) || c.contains(.max) {
      let scale: SweepParameter.Scale = try c.choice(.scale, default: .linear)
      let low: Double = try c.value(.min, allowed: scale == .log ? "a finite number > 0" : "a finite number") {
        $0.isFinite && (scale == .linear || $0 > 0)
      }
      let high: Double = try c.value(.max, allowed: "a finite number > min (\(low))") { $0.isFinite && $0 > low }
      let integer = try c.value(.integer, default: false)
      if integer && high.rounded(.down) < low.rounded(.up) {
        throw ScenarioIssue(c.codingPath, value: "\(low)...\(high)", "holds no integer")
      }
      domain = .range(min: low, max: high, scale: scale, integer: integer)
    } else {
      throw ScenarioIssue(
        decoder.codingPath,
        "expected a list of values, {values: [...]}, {from, to, step} or {min, max, scale: linear|log, integer}")
    }
  }

}
