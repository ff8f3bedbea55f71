import AgoraCore
import Foundation
import Yams

/// Reads and composes YAML input (scenario, sweep and preset files, `--set` values) within fixed limits, so that no
/// file, however made, takes unbounded time or memory to load: a size cap on the text, and a cap on the nodes the
/// composed tree holds once aliases are expanded (a few lines of nested aliases can stand for billions of nodes).
public enum YAMLInput {
  /// The largest YAML text read, in bytes.
  public static let maximumBytes = 8 << 20
  /// The most nodes a composed document may expand to (aliases counted each time they are used).
  public static let maximumNodes = 1_000_000

  /// The text of the file at `path`, or an issue that says plainly why it cannot be read.
  public static func read(_ path: String) throws(ScenarioIssue) -> String {
    let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    guard size <= maximumBytes else {
      throw ScenarioIssue(
        file: path, path: "", message: "the file has \(size) bytes; scenario and sweep files may have \(maximumBytes)")
    }
    let text: String
    do { text = try FileReading.text(atPath: path) } catch {
      guard case .cannotRead(_, let reason) = error else {
        throw ScenarioIssue(file: path, path: "", message: "\(error)")
      }
      throw ScenarioIssue(file: path, path: "", message: "cannot read the file: \(reason)")
    }
    return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
  }

  /// The composed node tree of `text` (`nil` for an empty document); throws when the text or its expansion is
  /// larger than the limits, or is not YAML. YAML 1.1 booleans (`yes`, `off`) are composed as text (``YAML11Form``).
  public static func compose(_ text: String, source: String? = nil) throws(ScenarioIssue) -> Node? {
    try checkText(text, source: source)
    let node: Node?
    do { node = try Yams.compose(yaml: text) } catch {
      throw ScenarioIssue(file: source, path: "", message: "not valid YAML: \(String(describing: error).prefix(300))")
    }
    try checkExpansion(node, source: source)
    return node.map(YAML11Form.booleansAsText)
  }

  /// A `--set` value as YAML (`0.5`, `[1, 2]`, `{a: 1}`), or as the plain text it is when it does not parse as
  /// YAML; the size, nesting and expansion limits hold either way. YAML 1.1 booleans (`yes`) stay text, like in files.
  public static func composeValue(_ raw: String) throws(ScenarioIssue) -> Node {
    try checkText(raw, source: nil)
    guard let parsed = try? Yams.compose(yaml: raw) else { return Node(raw) }
    try checkExpansion(parsed, source: nil)
    return YAML11Form.booleansAsText(parsed)
  }

  /// Refuses text over ``maximumBytes`` or with flow collections nested more than 200 deep (the parser recurses).
  static func checkText(_ text: String, source: String?) throws(ScenarioIssue) {
    guard text.utf8.count <= maximumBytes else {
      throw ScenarioIssue(
        file: source, path: "", message: "the YAML text has \(text.utf8.count) bytes; the limit is \(maximumBytes)")
    }
    var depth = 0
    var quote: Character? = nil
    for ch in text {
      if let q = quote {
        if ch == q { quote = nil }
      } else if ch == "\"" || ch == "'" {
        quote = ch
      } else if ch == "[" || ch == "{" {
        depth += 1
        guard depth <= 200 else {
          throw ScenarioIssue(file: source, path: "", message: "lists or mappings nested more than 200 deep")
        }
      } else if ch == "]" || ch == "}" {
        depth = max(0, depth - 1)
      }
    }
  }

  /// Refuses a tree that expands to more than ``maximumNodes`` values.
  static func checkExpansion(_ node: Node?, source: String?) throws(ScenarioIssue) {
    guard let node, !fits(node) else { return }
    throw ScenarioIssue(
      file: source, path: "",
      message: "the YAML expands to more than \(maximumNodes) values (nested aliases?); write the values out")
  }

  /// Whether `node` holds at most ``maximumNodes`` nodes; stops counting as soon as it does not.
  static func fits(_ node: Node) -> Bool {
    var budget = maximumNodes
    func walk(_ node: Node) -> Bool {
      budget -= 1
      guard budget >= 0 else { return false }
      switch node {
      case .scalar, .alias: return true
      case .sequence(let items): return items.allSatisfy(walk)
      case .mapping(let pairs): return pairs.allSatisfy { walk($0.key) && walk($0.value) }
      }
    }
    return walk(node)
  }
}
