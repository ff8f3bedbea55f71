import AgoraCore
import AgoraModels
import Foundation
import Yams

/// Reads a scenario: YAML text -> node tree -> `--set` overrides -> ``ScenarioSpec`` with defaults, validated.
/// Every failure is a ``ScenarioIssue`` naming the file, the key path, the value and what is allowed.
public enum ScenarioLoader {
  /// Loads the scenario file at `path`, applying `overrides` (`key.path=value`, in order) and `seed`.
  public static func load(file path: String, overrides: [String] = [], seed: UInt64? = nil) throws(ScenarioIssue)
    -> ScenarioSpec
  {
    let text = try YAMLInput.read(path)
    return try load(yaml: text, source: path, defaultName: defaultName(for: path), overrides: overrides, seed: seed)
  }

  /// Loads a scenario from YAML text; `source` names it in error messages.
  public static func load(
    yaml text: String, source: String = "<scenario>", defaultName: String = "scenario", overrides: [String] = [],
    seed: UInt64? = nil
  ) throws(ScenarioIssue) -> ScenarioSpec {
    try ScenarioTemplate(yaml: text, source: source, defaultName: defaultName).spec(overrides: overrides, seed: seed)
  }

  /// Composes YAML text into a node tree whose top level is a mapping with a `name`.
  static func compose(yaml text: String, source: String, defaultName: String) throws(ScenarioIssue) -> Node {
    guard let node = try YAMLInput.compose(text, source: source) else {
      throw ScenarioIssue(
        file: source, path: "", message: "the file is empty; expected a mapping with game and population")
    }
    guard case .mapping(var top) = node else {
      throw ScenarioIssue(
        file: source, path: "", message: "expected a mapping at the top level (keys such as name, game, population)")
    }
    if top["name"] == nil { top["name"] = Node(defaultName) }
    return .mapping(top)
  }

  /// Applies `overrides` and `seed` to a composed scenario and decodes it.
  static func decode(_ base: Node, source: String, overrides: [String], labels: [String]? = nil, seed: UInt64?)
    throws(ScenarioIssue)
    -> ScenarioSpec
  {
    BuiltInModels.register()
    var node = base
    let labels = overrides.indices.map { labels?[$0] ?? "--set \(overrides[$0])" }
    for (text, label) in zip(overrides, labels) {
      do {
        node = try apply(override: text, to: node)
      } catch {
        var issue = error
        issue.file = label
        throw issue
      }
    }
    if let seed { node = try! apply(override: "seed=\(seed)", to: node) }
    // A preset set by an override (`--set population.preset=human`, a sweep over presets) replaces the file's
    // segments: that is what the override asks for, and a file's own segments cannot be unset from the command line.
    if overrides.contains(where: { $0.hasPrefix("population.preset=") }), case .mapping(var top) = node,
      case .mapping(var population)? = top["population"]
    {
      population["segments"] = nil
      top["population"] = .mapping(population)
      node = .mapping(top)
    }
    do {
      node = try expandPreset(node)
      try YAML11Form.check(node)
      return try YAMLDecoder().decode(
        ScenarioSpec.self, from: node, userInfo: [.scenarioFolder: folder(of: source)])
    } catch let issue as ScenarioIssue {
      throw attribute(issue, source: source, overrides: overrides, labels: labels)
    } catch let error as DecodingError {
      throw attribute(
        describe(error, in: node, source: source), source: source, overrides: overrides, labels: labels)
    } catch {
      throw ScenarioIssue(file: source, path: "", message: "\(error)")
    }
  }

  /// The folder that relative paths in the scenario `source` (an edge list's `file`) are read from: the scenario
  /// file's folder, or the working directory for a scenario that is not a file; so a scenario runs the same from
  /// anywhere, Slurm's jobs included, and its outputs keep the path as written.
  static func folder(of source: String) -> String {
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/")
    guard FileManager.default.fileExists(atPath: source) else { return cwd.path }
    return URL(fileURLWithPath: source, relativeTo: cwd).deletingLastPathComponent().standardized.path
  }

  /// `population.preset` replaced by the preset's segments (the name stays, for the manifest): presets are YAML
  /// templates (and fitted preset files), so they are expanded here, where YAML is read, not while decoding.
  static func expandPreset(_ node: Node) throws(ScenarioIssue) -> Node {
    guard case .mapping(var top) = node, case .mapping(var population)? = top["population"],
      let preset = population["preset"]
    else { return node }
    guard let name = preset.string else {
      throw ScenarioIssue(path: "population.preset", message: "expected a preset name or a .yaml file")
    }
    guard population["segments"] == nil else {
      throw ScenarioIssue(path: "population.segments", message: "give either preset or segments, not both")
    }
    let yaml = try PopulationPreset.load(name).segmentsYAML()
    guard let segments = try? YAMLInput.compose(yaml, source: "preset \(name)") else {
      throw ScenarioIssue(path: "population.preset", value: name, message: "the preset's segments are not valid YAML")
    }
    population["segments"] = segments
    top["population"] = .mapping(population)
    return .mapping(top)
  }

  /// The name a scenario gets when it has none: its file name without the extension.
  package static func defaultName(for path: String) -> String {
    URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
  }

  /// Names the override (by its label: `--set key=value`, or a sweep's swept value) that introduced the bad key
  /// path, if one did; otherwise the file.
  private static func attribute(_ issue: ScenarioIssue, source: String, overrides: [String], labels: [String])
    -> ScenarioIssue
  {
    var issue = issue
    issue.file = source
    for (text, label) in zip(overrides, labels).reversed() {
      let key = String(text.prefix { $0 != "=" })
      if issue.path == key || issue.path.hasPrefix(key + ".") || key.hasPrefix(issue.path + ".") {
        issue.file = "\(label) (on \(source))"
        break
      }
    }
    return issue
  }

  /// Sets the value at a dotted key path (`population.segments.0.decoding.temperature=0.2`); the value is YAML.
  public static func apply(override text: String, to node: Node) throws(ScenarioIssue) -> Node {
    guard let eq = text.firstIndex(of: "=") else {
      throw ScenarioIssue(path: text, message: "expected key.path=value")
    }
    let keys = text[..<eq].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard !keys.isEmpty, keys.allSatisfy({ !$0.isEmpty }) else {
      throw ScenarioIssue(path: String(text[..<eq]), message: "expected a dotted key path such as game.stake")
    }
    let raw = String(text[text.index(after: eq)...])
    let value = try YAMLInput.composeValue(raw)
    return try set(value, at: keys[...], in: node, done: [])
  }

  private static func set(_ value: Node, at keys: ArraySlice<String>, in node: Node?, done: [String])
    throws(ScenarioIssue)
    -> Node
  {
    guard let key = keys.first else { return value }
    let here = done + [key]
    switch node {
    case .sequence(let sequence)?:
      var items = Array(sequence)
      guard let index = Int(key), index >= 0, index <= items.count else {
        throw ScenarioIssue(
          path: here.joined(separator: "."), value: key,
          message: "expected a list index from 0 to \(items.count - 1) (or \(items.count) to append)")
      }
      let updated = try set(value, at: keys.dropFirst(), in: index < items.count ? items[index] : nil, done: here)
      if index < items.count { items[index] = updated } else { items.append(updated) }
      return Node(items)
    case .scalar(let scalar)?:
      throw ScenarioIssue(
        path: done.joined(separator: "."), value: scalar.string,
        message: "is a single value; cannot set '\(key)' inside it (set the whole value instead, e.g. key={...})")
    case .mapping(var mapping)?:
      mapping[key] = try set(value, at: keys.dropFirst(), in: mapping[key], done: here)
      return .mapping(mapping)
    default:
      let child = try set(value, at: keys.dropFirst(), in: nil, done: here)
      return Node([(Node(key), child)])
    }
  }

  /// A decoding error as an issue at its key path. A value of the wrong kind says what was found and what is
  /// expected (`found the number 3; expected a list`); a scalar of the wrong type keeps its text as the value.
  private static func describe(_ error: DecodingError, in node: Node, source: String) -> ScenarioIssue {
    func lookup(_ path: [any CodingKey]) -> Node? {
      var current: Node? = node
      for key in path {
        switch current {
        case .mapping(let m)?: current = m[key.stringValue]
        case .sequence(let s)?: current = key.intValue.flatMap { $0 < s.count ? Array(s)[$0] : nil }
        default: current = nil
        }
      }
      return current
    }
    func found(_ path: [any CodingKey]) -> String? {
      switch lookup(path) {
      case .scalar(let s)?: return s.string
      case .mapping?: return "(a mapping)"
      case .sequence?: return "(a list)"
      default: return nil
      }
    }
    func name(_ type: Any.Type) -> String {
      switch type {
      case is Double.Type: return "a number"
      case is Int.Type: return "an integer"
      case is UInt64.Type: return "an integer from 0 to 18446744073709551615"
      case is String.Type: return "a string"
      case is Bool.Type: return "true or false"
      case is Node.Mapping.Type: return "a mapping"
      case is Node.Sequence.Type: return "a list"
      case is Node.Scalar.Type: return "a single value (a number, true or false, or text)"
      case is [Double].Type, is [String].Type, is [[Double]].Type: return "a list"
      default: return String(describing: type).hasPrefix("Array") ? "a list" : "a mapping"
      }
    }
    var issue: ScenarioIssue
    switch error {
    case .typeMismatch(let type, let context):
      let here = lookup(context.codingPath)
      let expectsContainer = type is Node.Mapping.Type || type is Node.Sequence.Type
      if !expectsContainer, let scalar = here?.scalar {
        let advice = type is Bool.Type ? YAML11Form.booleanAdvice(scalar.string).map { "; \($0)" } ?? "" : ""
        issue = ScenarioIssue(context.codingPath, value: found(context.codingPath), "expected \(name(type))\(advice)")
      } else {
        let what = here.flatMap { try? YAMLDecoder().decode(FoundValue.self, from: $0).text } ?? "no value"
        issue = ScenarioIssue(context.codingPath, "found \(what); expected \(name(type))")
      }
    case .valueNotFound(let type, let context):
      issue = ScenarioIssue(context.codingPath, "has no value; expected \(name(type))")
    case .keyNotFound(let key, let context):
      issue = ScenarioIssue(context.codingPath + [key], "required key is missing")
    case .dataCorrupted(let context):
      issue = ScenarioIssue(context.codingPath, value: found(context.codingPath), context.debugDescription)
    @unknown default:
      issue = ScenarioIssue(path: "", message: "\(error)")
    }
    issue.file = source
    return issue
  }
}
