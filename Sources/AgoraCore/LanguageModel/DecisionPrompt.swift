/// What a game tells a language-model agent about one decision: its kind, the rules, the question and the options
/// in prompt order. Games build it only for agents whose policy is `llm` (the decoder never needs words).
public struct DecisionPrompt: Sendable, Hashable {
  /// The decision's kind, `<game>.<role>` (e.g. `ultimatum.respond`): a prompt template can be set per kind.
  public var kind: String
  /// The rules of the game as the agent should know them.
  public var rules: String
  /// What the agent decides now.
  public var question: String
  /// The options, in prompt order (the order of the utilities the decoder would see).
  public var options: [String]
  /// Options that are not possible now (0-based): listed as such, and refused in a reply.
  public var excluded: [Int]
  /// Whether the agent also writes a free-text message to the other player with its choice (a language-model
  /// agent; its segment's `message_chars` caps it).
  public var asksMessage = false
  /// The decision's utilities by motive, for a surrogate fitted to the model's choices (written to the transcript;
  /// `nil` where the model's utilities are not linear in the motives).
  public var surrogate: SurrogateFeatures? = nil

  public init(kind: String, rules: String, question: String, options: [String], excluded: [Int] = []) {
    self.kind = kind
    self.rules = rules
    self.question = question
    self.options = options
    self.excluded = excluded
  }

  /// Prompts are equal when a model would read them alike: the surrogate's features are not words.
  public static func == (a: Self, b: Self) -> Bool {
    a.kind == b.kind && a.rules == b.rules && a.question == b.question && a.options == b.options
      && a.excluded == b.excluded && a.asksMessage == b.asksMessage
  }

  public func hash(into hasher: inout Hasher) {
    hasher.combine(kind)
    hasher.combine(rules)
    hasher.combine(question)
    hasher.combine(options)
    hasher.combine(excluded)
    hasher.combine(asksMessage)
  }

  /// The 1-based numbers a reply may choose.
  package var allowed: [Int] { (1...max(1, options.count)).filter { !excluded.contains($0 - 1) } }
}

extension DecisionPrompt {
  /// What another agent wrote, as a line of the prompt: one line in double quotes, its control characters and line
  /// breaks made spaces and its double quotes single, so that it reads as quoted words and nothing in it can end
  /// the quotation or look like the prompt's own structure.
  public static func heard(_ text: String, from speaker: String = "The other player") -> String {
    let flat = String(
      String.UnicodeScalarView(
        text.unicodeScalars.map {
          $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0
        })
    ).replacingOccurrences(of: "\"", with: "'").trimmingCharacters(in: .whitespaces)
    return "\(speaker) wrote: \"\(flat)\""
  }

  /// Formats an amount without a trailing `.0` (`40`, `2.5`).
  public static func amount(_ x: Double) -> String {
    if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
    return String(format: "%.4g", x)
  }
}
