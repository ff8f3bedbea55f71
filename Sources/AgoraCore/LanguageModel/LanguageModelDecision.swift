/// One decision of a language-model agent as `transcripts.jsonl` records it: where it happened, what the model was
/// shown, what it chose and why, and how the answer came (from the cache, or the decoder's after invalid replies).
public struct LanguageModelDecision: Sendable, Hashable {
  public var runIndex: Int
  public var seed: UInt64
  public var game: String
  /// The round the decision belongs to (1-based; the commons' month, the polity's period, a grid model's step, the
  /// dark forest's unit of time); 0 when the model gives none.
  public var round = 0
  /// Where in the round: a game's match (0-based, the `games` table's `game`) or pair, the commons' village;
  /// -1 when the model has no such groups.
  public var group = -1
  /// The decision's number in the run (1-based), in decision order.
  public var decision: Int
  /// The agent's own decision number (1-based): the stage as the agent knows it.
  public var agentDecision: Int
  public var agent: Int
  public var segment: String
  /// The ``DecisionPrompt`` kind (`ultimatum.respond`).
  public var kind: String
  /// The options as the prompt shows them, in prompt order (without their numbers).
  public var options: [String]
  /// The chosen option's number as shown (1-based).
  public var choice: Int
  /// The reason the model gave, when it gave one.
  public var reason: String?
  /// Whether every reply behind the answer came from the response cache (no request was sent for it).
  public var cached: Bool
  /// Whether the model's replies stayed invalid and the decoder chose.
  public var fallback: Bool
  /// The decision's utilities by motive (``DecisionPrompt/surrogate``), when the game gives them.
  public var features: SurrogateFeatures? = nil
  /// The free-text message the agent wrote with its choice (cut to its segment's `message_chars`), when asked.
  public var message: String? = nil
  /// Whether the message was longer than the cap and cut.
  public var messageCut = false

  public init(
    runIndex: Int, seed: UInt64, game: String, decision: Int, agentDecision: Int, agent: Int, segment: String,
    kind: String, options: [String], choice: Int, reason: String?, cached: Bool, fallback: Bool,
    features: SurrogateFeatures? = nil, message: String? = nil, messageCut: Bool = false
  ) {
    self.runIndex = runIndex
    self.seed = seed
    self.game = game
    self.decision = decision
    self.agentDecision = agentDecision
    self.agent = agent
    self.segment = segment
    self.kind = kind
    self.options = options
    self.choice = choice
    self.reason = reason
    self.cached = cached
    self.fallback = fallback
    self.features = features
    self.message = message
    self.messageCut = messageCut
  }

  /// The chosen option's text, or an empty string when the number is out of range.
  public var choiceText: String { options.indices.contains(choice - 1) ? options[choice - 1] : "" }
}
