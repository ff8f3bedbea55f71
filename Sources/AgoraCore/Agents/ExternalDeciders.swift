/// Agents whose decisions come from outside the engine: a language model over an API (the `policy: llm` segments).
/// The models ask through this protocol, so the engine's core knows nothing of networking, caches or prompts'
/// wording; `LanguageModelAgents` implements it. A run without such segments has none, and the decoder path never
/// touches it.
public protocol ExternalDeciders: AnyObject, Sendable {
  /// How agent `i` of segment `s` chooses among `prompt.options`; `stream` is the block's decision stream.
  func decide(agent i: Int, segment s: Int, prompt: DecisionPrompt, history: () -> [String], stream: RandomStream)
    -> ExternalDecision
  /// Plays a block of matches in passes until no decision waits for an answer: `play` plays the block (calling
  /// ``beginMatch()`` before each match) and `rollBack` restores the block's state to what it was before the first
  /// pass. After the last pass the block's state is the real one.
  func playInPasses(_ play: () throws -> Void, rollBack: () -> Void) rethrows
  /// Starts a match: its first unanswered decision will be queued.
  func beginMatch()
  /// The decisions that follow belong to `round` (1-based) and `group` (a game's match or pair in its round, the
  /// commons' village; -1 for none), as their transcript lines say.
  func locate(round: Int, group: Int)
  /// Adds the run's accounting (usage or estimate) to `result`, or throws the failure that stopped the run.
  func finish(_ result: inout RunResult) throws
  /// Tells the deciders the decoder's choice `k` after ``decide(agent:segment:prompt:history:stream:)`` answered
  /// `.decoder` (a fallback's choice belongs in the transcript).
  func decoderChose(_ k: Int)
  /// The free-text message agent `i` wrote with its latest decision that asked for one (`nil`: none, or the
  /// decoder decided).
  func message(from i: Int) -> String?
}

extension ExternalDeciders {
  public func decoderChose(_ k: Int) {}
  public func locate(round: Int, group: Int) {}
  public func message(from i: Int) -> String? { nil }
}

/// What an external decider made of a decision.
public enum ExternalDecision {
  /// Its choice.
  case chosen(Int)
  /// The decoder chooses with this stream: a fallback (with a stream of the decision's own, so that the block's
  /// stream is drawn the same whether or not the model answered), an estimate, or a run that has failed.
  case decoder(RandomStream)
  /// The answer is pending: any choice that draws nothing will do (the pass is played again).
  case provisional
}

/// Makes the external deciders of a run (`nil` when no segment needs them). The language-model module provides one
/// (`Experiment.run(_:languageModel:)` passes it); a run of `policy: llm` segments without one is refused.
public struct ExternalDecidersFactory: Sendable {
  let make: @Sendable (ScenarioSpec, Population, SeedSequence) throws -> (any ExternalDeciders)?

  public init(_ make: @escaping @Sendable (ScenarioSpec, Population, SeedSequence) throws -> (any ExternalDeciders)?) {
    self.make = make
  }
}

/// Why a run cannot start.
public struct MissingDecidersError: Error, CustomStringConvertible {
  public var description: String {
    "segments with policy: llm need the language-model client; run through Experiment.run(_:languageModel:) "
      + "(the Agora module) or pass an ExternalDecidersFactory"
  }
}

extension ChoiceDecoder {
  /// Agent `i`'s choice: its external decider's when `asks` and one is given, else (and when the answer is pending
  /// or failed) the decoder's over `utilities` with `parameters`. The one decision path of every model family.
  package static func choose(
    _ model: (any ExternalDeciders)?, asks: Bool, agent i: Int, segment s: Int, prompt: () -> DecisionPrompt,
    history: () -> [String], utilities: UnsafeBufferPointer<Double>, salient: Int, parameters: DecodingParameters,
    decoder: inout ChoiceDecoder, stream: RandomStream, logWeights: UnsafePointer<Double>? = nil
  ) -> Int {
    if asks, let model {
      switch model.decide(agent: i, segment: s, prompt: prompt(), history: history, stream: stream) {
      case .chosen(let k): return k
      case .provisional: return ChoiceDecoder.argmax(utilities)
      case .decoder(let own):
        let k = decoder.choose(
          utilities: utilities, salient: salient, parameters: parameters, stream: own, logWeights: logWeights)
        model.decoderChose(k)
        return k
      }
    }
    return decoder.choose(
      utilities: utilities, salient: salient, parameters: parameters, stream: stream, logWeights: logWeights)
  }
}
