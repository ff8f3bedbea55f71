import AgoraCore

/// What a ``MatchGame`` sees of the run while it plays a match: the agents' motives, decoding, policies and beliefs,
/// the decision stream, and where payoffs, counts and observations go.
public struct MatchContext {
  public let population: Population
  let motiveColumns: MotiveColumns
  let decoding: [DecodingParameters]
  let policies: [Policy]
  /// Each segment's fixed strategy, as an index into the game's ``Model/strategies`` (-1: it decides).
  let strategyOf: [Int]
  /// Each segment's memory settings.
  public let memory: [MemorySpec]
  let segmentOf: [UInt16]
  /// Each agent's total payoff.
  public internal(set) var payoffs: [Double]
  /// Each agent's number of matches.
  public internal(set) var matches: [Int32]
  /// All counts of the run.
  public internal(set) var total: GameCounters
  /// Counts by the segment of the agent credited.
  public internal(set) var bySegment: [GameCounters]
  /// Counts by (segment of the agent credited, segment of its opponent), `a * segments + b`, for pair games.
  public internal(set) var byPair: [GameCounters]
  var observations: Observations
  var decoder = ChoiceDecoder(capacity: 64)
  /// The current decision stream (the match's block).
  public internal(set) var stream: RandomStream
  /// The run's environment stream (nature's draws that belong to no match: a market's values and costs).
  public let environment: RandomStream
  /// Scratch utilities: a game writes `utilities[0..<k]` and calls ``choose(_:options:salient:prompt:)``.
  public var utilities: [Double] = [Double](repeating: 0, count: 64)
  /// The language-model agents of the run, when a segment has `policy: llm`.
  public internal(set) var languageModel: (any ExternalDeciders)? = nil
  /// Each segment's log measures of an amount grid of ``amountOptions`` options, segment after segment (made on the
  /// first choice of an amount, and again only when a game asks for another grid size).
  var amountWeights: [Double] = []
  var amountOptions = 0
  /// The interactions the block being played logged (`output.events`), in order; `nil` when the run logs none. A
  /// language-model pass rolls them back with the rest of the context, so only the real play's reach the file.
  public internal(set) var events: [Interaction]? = nil
  /// The `games` rows of the block being played (the game's ``MatchGame/gameColumns``, row after row); `nil` when the
  /// game declares none. Rolled back with the rest of the context on a language-model pass.
  public internal(set) var games: [Double]? = nil
  /// The index of the match being played in its round (the `games` table's `game`).
  var matchIndex = 0
  /// The scheduler's time of the round being played (the events' `time`).
  var time = 0.0

  init(
    population: Population, counters: Int, strategies: [String] = [], stream: RandomStream,
    environment: RandomStream, game: String = ""
  ) {
    self.environment = environment
    self.population = population
    motiveColumns = MotiveColumns(population)
    let segments = population.segments
    decoding = segments.map(\.decoding)
    policies = segments.map(\.policy)
    strategyOf = segments.map { segment in segment.strategy.flatMap { strategies.firstIndex(of: $0) } ?? -1 }
    // Each segment's prior cooperation for this game (`prior_cooperation_in`, else `prior_cooperation`).
    memory = segments.map { segment in
      var m = segment.memory
      m.priorCooperation = m.priorCooperation(in: game)
      return m
    }
    segmentOf = population.segment.map { UInt16($0) }
    payoffs = [Double](repeating: 0, count: population.count)
    matches = [Int32](repeating: 0, count: population.count)
    total = GameCounters(count: counters)
    bySegment = Array(repeating: total, count: segments.count)
    byPair = Array(repeating: total, count: segments.count * segments.count)
    observations = Observations(count: population.count) { segments[Int(population.segment[$0])].memory.contextWindow }
    self.stream = stream
  }

  /// Agent `i`'s motives.
  public func motives(_ i: Int) -> Motives { motiveColumns[i] }
  /// Agent `i`'s segment index.
  public func segment(_ i: Int) -> Int { Int(segmentOf[i]) }
  /// How agent `i` decides.
  public func policy(_ i: Int) -> Policy { policies[Int(segmentOf[i])] }
  /// Agent `i`'s fixed strategy, as an index into the game's ``Model/strategies``; `nil` when it decides.
  public func strategy(_ i: Int) -> Int? {
    let k = strategyOf[Int(segmentOf[i])]
    return k < 0 ? nil : k
  }

  /// Agent `i`'s belief about the other side's cooperation: its recent observations smoothed towards its segment's
  /// `prior_cooperation`.
  public func belief(_ i: Int) -> Double {
    let m = memory[Int(segmentOf[i])]
    return observations.belief(
      of: i, prior: m.priorCooperation, priorWeight: m.priorWeight, defectionWeight: m.defectionWeight)
  }

  /// Agent `i` observes the other side's cooperation (a value in [0, 1]).
  public mutating func observe(_ i: Int, _ value: Double) { observations.record(agent: i, value) }

  /// Agent `i` chooses one of `options` whose utilities are in `utilities[0..<options]` (prompt order), with the
  /// LLM-style decoder and its segment's decoding; `salient` is the focal option (-1 for none). An agent of a
  /// `policy: llm` segment asks its language model with `prompt` (built only for such agents) instead, and uses
  /// the decoder when the model's answer is pending or failed.
  public mutating func choose(
    _ i: Int, options: Int, salient: Int, prompt: @autoclosure () -> DecisionPrompt
  ) -> Int {
    choose(i, options: options, salient: salient, amount: false, prompt: prompt())
  }

  /// ``choose(_:options:salient:prompt:)`` for a choice of an amount: the options are the evenly spaced points
  /// `0, ..., 1` of what could be given (an ``AmountGrid``), weighed by their measure and the segment's
  /// `focal_mass`, so that the choice does not depend on the grid beyond rounding.
  public mutating func chooseAmount(
    _ i: Int, options: Int, salient: Int, prompt: @autoclosure () -> DecisionPrompt
  ) -> Int {
    choose(i, options: options, salient: salient, amount: options >= 2, prompt: prompt())
  }

  /// ``choose(_:options:salient:prompt:)`` whose utilities `fill(m, &u)` writes into `u[0..<options]` for any
  /// motives `m`: agent `i`'s are written here, and a language-model agent's prompt carries the utilities under each
  /// motive alone (``SurrogateFeatures``, for a surrogate fitted to the model's choices). For utilities linear in the
  /// motives (``Motives/utility(own:other:kindness:)`` of amounts that do not depend on them).
  public mutating func choose(
    _ i: Int, options: Int, salient: Int, prompt: @autoclosure () -> DecisionPrompt,
    utilities fill: (Motives, inout [Double]) -> Void
  ) -> Int {
    choose(i, options: options, salient: salient, amount: false, prompt: prompt(), filling: fill)
  }

  /// ``chooseAmount(_:options:salient:prompt:)`` with its utilities written by `fill`, as
  /// ``choose(_:options:salient:prompt:utilities:)``.
  public mutating func chooseAmount(
    _ i: Int, options: Int, salient: Int, prompt: @autoclosure () -> DecisionPrompt,
    utilities fill: (Motives, inout [Double]) -> Void
  ) -> Int {
    choose(i, options: options, salient: salient, amount: options >= 2, prompt: prompt(), filling: fill)
  }

  /// Writes agent `i`'s utilities with `fill` and chooses, the prompt carrying the basis `fill` gives.
  mutating func choose(
    _ i: Int, options: Int, salient: Int, amount: Bool, prompt: @autoclosure () -> DecisionPrompt,
    filling fill: (Motives, inout [Double]) -> Void
  ) -> Int {
    fill(motives(i), &utilities)
    return withoutActuallyEscaping(fill) {
      choose(i, options: options, salient: salient, amount: amount, prompt: prompt(), basis: $0)
    }
  }

  mutating func choose(
    _ i: Int, options: Int, salient: Int, amount: Bool, prompt: @autoclosure () -> DecisionPrompt,
    basis: ((Motives, inout [Double]) -> Void)? = nil
  ) -> Int {
    let s = Int(segmentOf[i])
    let (parameters, stream) = (decoding[s], self.stream)
    if amount && amountOptions != options {
      amountWeights = decoding.flatMap { AmountGrid(count: options).logWeights(focalMass: $0.focalMass) }
      amountOptions = options
    }
    return amountWeights.withUnsafeBufferPointer { w in
      let weights = amount ? w.baseAddress! + s * options : nil
      if policies[s] == .llm, let model = languageModel {
        let observations = self.observations
        return utilities.withUnsafeBufferPointer { u in
          ChoiceDecoder.choose(
            model, asks: true, agent: i, segment: s,
            prompt: {
              var words = prompt()
              if let basis {
                words.surrogate = SurrogateFeatures(count: options, salient: salient, amount: amount) { m in
                  var u = [Double](repeating: 0, count: options)
                  basis(m, &u)
                  return u
                }
              }
              return words
            },
            history: { MatchContext.history(observations.window(of: i)) },
            utilities: UnsafeBufferPointer(rebasing: u[0..<options]), salient: salient, parameters: parameters,
            decoder: &decoder, stream: stream, logWeights: weights)
        }
      }
      return utilities.withUnsafeBufferPointer { u in
        decoder.choose(
          utilities: UnsafeBufferPointer(rebasing: u[0..<options]), salient: salient, parameters: parameters,
          stream: stream, logWeights: weights)
      }
    }
  }

  /// Whether agent `i` asks a language model (a `policy: llm` segment's agent, in a run that has one).
  public func asksModel(_ i: Int) -> Bool { policies[Int(segmentOf[i])] == .llm && languageModel != nil }

  /// The free-text message agent `i` wrote with its latest decision that asked for one: a language-model agent's,
  /// `nil` for a decoder agent or when the model wrote none.
  public func message(from i: Int) -> String? {
    policies[Int(segmentOf[i])] == .llm ? languageModel?.message(from: i) : nil
  }

  /// Logs one interaction (`output.events`; nothing when the run logs none): `proposer` offered `offer` (an amount)
  /// to `responder`, who accepted or not, and what each earned from it.
  public mutating func log(
    proposer: Int, responder: Int, offer: Double, accepted: Bool, proposerPayoff: Double, responderPayoff: Double
  ) {
    events?.append(
      Interaction(
        time: time, proposer: proposer, responder: responder, offer: offer, accepted: accepted,
        proposerPayoff: proposerPayoff, responderPayoff: responderPayoff))
  }

  /// Logs one row of the game's own event columns (``Model/eventColumns``, `output.events`): `values`, made only
  /// when the run logs events, so that a run without them pays nothing.
  public mutating func log(_ values: @autoclosure () -> [Cell]) {
    guard events != nil else { return }
    events?.append(Interaction(time: time, values: values()))
  }

  /// Records one row of the game's `games` table: `values`, one per ``MatchGame/gameColumns`` in order (NaN for an
  /// empty cell), made only when the game declares the table.
  public mutating func record(game values: @autoclosure () -> [Double]) {
    guard games != nil else { return }
    games?.append(Double(Int(time)))
    games?.append(Double(matchIndex))
    games?.append(contentsOf: values())
  }

  /// Adds `amount` to agent `i`'s payoff.
  public mutating func pay(_ i: Int, _ amount: Double) { payoffs[i] += amount }

  /// Adds `value` to counter `k`, credited to agent `i` (and, for pair games, to its pair with `opponent`).
  public mutating func count(_ k: Int, _ value: Double = 1, for i: Int, against opponent: Int = -1) {
    total[k] += value
    let a = Int(segmentOf[i])
    bySegment[a][k] += value
    if opponent >= 0 { byPair[a * bySegment.count + Int(segmentOf[opponent])][k] += value }
  }

  /// Adds `value` to counter `k` of the run total only (counts that belong to no one agent).
  public mutating func countTotal(_ k: Int, _ value: Double = 1) { total[k] += value }

  /// A uniform draw in [0, 1) from the match's stream (for nature's moves: noise, continuation, fixed random play).
  public func uniform() -> Double { stream.uniform() }
}

extension MatchContext {
  /// An agent's window of observed cooperation, as lines of a prompt.
  static func history(_ window: [Double]) -> [String] {
    window.map { "the other side's cooperation was \(Int(($0 * 100).rounded()))% (100% = fully cooperative)" }
  }

}
