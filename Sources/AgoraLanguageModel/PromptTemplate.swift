import AgoraCore
import Foundation
import Yams

/// The chat messages of a decision: a system message (who the agent is, how to answer) and a user message (the
/// rules, the agent's recent history, the question and the numbered options), with `{{placeholders}}`.
///
/// Placeholders: `{{persona}}`, `{{rules}}`, `{{history}}` (empty, or a list of recent outcomes and a blank line),
/// `{{question}}`, `{{options}}` (one `N. option` per line), `{{count}}` (the number of options), `{{format}}` (how
/// to reply) and `{{kind}}`. A template file is YAML with `system` and `user`, and optionally `kinds:` mapping a
/// decision kind (`ultimatum.propose`) to its own `system` / `user`.
public struct PromptTemplate: Sendable, Hashable {
  public var system: String
  public var user: String
  /// Templates of particular decision kinds.
  public var kinds: [String: PromptTemplate] = [:]

  public init(system: String, user: String, kinds: [String: PromptTemplate] = [:]) {
    self.system = system
    self.user = user
    self.kinds = kinds
  }

  /// The default template of every decision kind.
  public static let standard = PromptTemplate(
    system: """
      You are taking part in an economic experiment with other people. {{persona}}
      Decide as this person would. {{format}}
      """,
    user: """
      {{rules}}

      {{history}}{{question}}

      Options:
      {{options}}
      """)

  /// Reads a template file (see the type's description).
  public static func load(_ path: String) throws(LanguageModelError) -> PromptTemplate {
    let text: String
    do { text = try FileReading.text(atPath: path) } catch {
      guard case .cannotRead(_, let reason) = error else { throw .template(path, "\(error)") }
      throw .template(path, "cannot be read: \(reason)")
    }
    do {
      guard let root = try Yams.load(yaml: text) as? [String: Any] else {
        throw LanguageModelError.template(path, "expected a mapping with system and user")
      }
      return try parse(root, path: path, at: "")
    } catch let error as LanguageModelError {
      throw error
    } catch {
      throw .template(path, "is not valid YAML: \(error)")
    }
  }

  static func parse(_ map: [String: Any], path: String, at prefix: String) throws(LanguageModelError) -> PromptTemplate
  {
    let allowed = prefix.isEmpty ? ["system", "user", "kinds"] : ["system", "user"]
    for key in map.keys where !allowed.contains(key) {
      throw .template(path, "\(prefix)\(key): unknown key; allowed keys: \(allowed.joined(separator: ", "))")
    }
    let system = map["system"] as? String ?? standard.system
    let user = map["user"] as? String ?? standard.user
    var kinds: [String: PromptTemplate] = [:]
    if let raw = map["kinds"] {
      guard let table = raw as? [String: Any] else { throw .template(path, "kinds: expected a mapping of kinds") }
      for (kind, value) in table {
        guard let sub = value as? [String: Any] else { throw .template(path, "kinds.\(kind): expected a mapping") }
        kinds[kind] = try parse(sub, path: path, at: "kinds.\(kind).")
      }
    }
    return PromptTemplate(system: system, user: user, kinds: kinds)
  }

  /// The system and user messages of `prompt` for an agent described by `persona`, with `history` lines.
  public func messages(
    for prompt: DecisionPrompt, persona: String, history: [String], reason: Bool, messageChars: Int = 200
  ) -> (system: String, user: String) {
    let template = kinds[prompt.kind] ?? self
    let message =
      prompt.asksMessage
      ? ", \"message\": \"<what you tell the other player, at most \(messageChars) characters>\"" : ""
    let format =
      reason
      ? "Reply with JSON only: {\"choice\": <the number of one option>\(message), \"reason\": \"<one short line>\"}."
      : "Reply with JSON only: {\"choice\": <the number of one option>\(message)}."
    let historyText =
      history.isEmpty
      ? "" : "What happened to you recently, oldest first:\n" + history.map { "- \($0)\n" }.joined() + "\n"
    let options = Self.shownOptions(prompt).enumerated().map { "\($0.offset + 1). \($0.element)" }
      .joined(separator: "\n")
    let values = [
      ("persona", persona), ("rules", prompt.rules), ("history", historyText), ("question", prompt.question),
      ("options", options), ("count", String(prompt.options.count)), ("format", format), ("kind", prompt.kind),
    ]
    // One scan of the template: a value (a question quoting another agent's message) is never scanned again, so
    // a "{{format}}" inside a message stays those characters.
    let table = Dictionary(values, uniquingKeysWith: { a, _ in a })
    func fill(_ text: String) -> String {
      var out = ""
      var rest = text[...]
      while let open = rest.range(of: "{{") {
        out += rest[..<open.lowerBound]
        let after = rest[open.upperBound...]
        if let close = after.range(of: "}}"), let value = table[String(after[..<close.lowerBound])] {
          out += value
          rest = after[close.upperBound...]
        } else {
          out += "{{"
          rest = after
        }
      }
      return out + rest
    }
    return (fill(template.system), fill(template.user))
  }

  /// The options as the prompt shows them (without their numbers): an option that is not possible now is marked.
  public static func shownOptions(_ prompt: DecisionPrompt) -> [String] {
    prompt.options.enumerated().map { $0.element + (prompt.excluded.contains($0.offset) ? " (not possible now)" : "") }
  }
}
