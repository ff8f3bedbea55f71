import AgoraCore
import CGSL
import DequeModule
import Dispatch

/// One run of a ``DivisionGame`` over a population, on the event scheduler: synchronous rounds
/// (`random_pairs`) or Poisson wake-ups with decision latencies (`asynchronous`).
///
/// Agent state is struct-of-arrays; a decision allocates nothing. Decisions of synchronous pair block b draw from
/// stream `(decisions, b)`, so results do not depend on how blocks are later spread over threads.
public struct DivisionRun<Game: DivisionGame> {
  /// Pairs (synchronous) or agents (asynchronous) per decision stream.
  public static var blockSize: Int { 4096 }

  public let game: Game
  public let scenario: ScenarioSpec
  public let population: Population
  /// Each agent's total payoff.
  public var payoffs: [Double] { payoffStore.array }
  /// Each agent's number of interactions.
  public var interactions: [Int32] { interactionStore.array }
  let payoffStore: SharedColumn<Double>
  let interactionStore: SharedColumn<Int32>
  /// Each agent's last stated minimum acceptable offer (a share; NaN: none), under the strategy method.
  let minimumStore: SharedColumn<Double>?
  /// Each agent's last stated minimum acceptable offer, under the strategy method.
  public var minimums: [Double]? { minimumStore?.array }
  /// Threads that play the blocks of a synchronous round (the output does not depend on it).
  public var threads = 1
  /// All interactions of the run.
  public internal(set) var total: DivisionTally
  /// Interactions by the proposer's segment.
  public internal(set) var byProposerSegment: [DivisionTally]
  /// Interactions by the responder's segment.
  public internal(set) var byResponderSegment: [DivisionTally]
  /// Proposals and acceptances of each offer, by the proposer's segment.
  public internal(set) var offers: OfferHistogram
  /// One row per round or sample: the interval's tally, and the mean and Gini of payoffs accumulated so far.
  public internal(set) var steps: [(step: Int, time: Double, tally: DivisionTally, meanPayoff: Double, gini: Double)] =
    []

  let memory: Memory
  /// The decisions' arithmetic for the single-threaded paths (asynchronous play, language-model passes); the
  /// threads of a synchronous round make their own.
  let kernel: DivisionKernel<Game>
  /// Used only by language-model agents' fallbacks and by decoder agents in a run with a language model.
  var decoder = ChoiceDecoder(capacity: 64)
  let shares: [Double]
  let motives: MotiveColumns
  var norm: Double? = nil
  var decisionStreams: [RandomStream] = []
  let seeds: SeedSequence
  let generator: RandomGenerator
  /// Whether each segment asks a language model.
  let asksModel: [Bool]
  /// The language-model agents of the run, when a segment has `policy: llm`.
  public var languageModel: (any ExternalDeciders)? = nil
  /// Buffers kept from round to round: the pairs' outcomes, and the sort of the payoffs' Gini.
  var outcomeBuffer: [Int32] = []
  var sorter = AmountSorter()
  /// Each offer's acceptance rate in the responder population, when a segment learns with `population` (its
  /// proposers believe these); `nil` otherwise.
  let knownAcceptance: [Double]?
  /// The run's setup, when it came from one (it records the agents' steps that `output.agent_steps` asks for).
  var setup: RunSetup? = nil {
    didSet {
      lastOffers = setup?.asksAgentValue("offer") == true ? [Double](repeating: .nan, count: population.count) : nil
    }
  }
  /// Each agent's last offer as proposer, a share of the stake (NaN: none yet); kept only when `output.agent_steps`
  /// asks for `offer`.
  var lastOffers: [Double]? = nil

  /// Receives the fraction of the run done.
  public typealias Progress = (Double) -> Void

  public init(game: Game, scenario: ScenarioSpec, population: Population, seeds: SeedSequence) {
    self.game = game
    self.scenario = scenario
    self.population = population
    self.seeds = seeds
    generator = scenario.generator
    let n = population.count
    payoffStore = SharedColumn(repeating: 0, count: n)
    interactionStore = SharedColumn(repeating: 0, count: n)
    minimumStore =
      game.responderDecides && game.spec.strategyMethod ? SharedColumn(repeating: .nan, count: n) : nil
    let segments = population.segments
    total = DivisionTally(gridSteps: game.spec.grid.count - 1)
    byProposerSegment = Array(repeating: total, count: segments.count)
    byResponderSegment = byProposerSegment
    offers = OfferHistogram(options: game.spec.grid.count, segments: population.segments.count)
    let learns = game.responderDecides
    memory = Memory(count: n) { learns ? segments[Int(population.segment[$0])].memory.contextWindow : 0 }
    shares = game.offerShares
    asksModel = segments.map { $0.policy == .llm }
    motives = MotiveColumns(population, stake: game.spec.stake)
    let known =
      segments.contains { $0.memory.learning == .population } && game.responderDecides
      ? Self.knownAcceptance(game: game, population: population) : nil
    knownAcceptance = known
    kernel = DivisionKernel(
      game: game, population: population, memory: memory, payoffs: payoffStore, interactions: interactionStore,
      minimums: minimumStore, knownAcceptance: known)
  }

  /// Each offer's mean probability of acceptance over the population's agents as responders: each agent's
  /// decoding probability of `accept` (its segment's decoding, `accept` salient), given its motives. What a
  /// proposer with rational expectations (`learning: population`) believes; computed once, O(agents x offers).
  static func knownAcceptance(game: Game, population: Population) -> [Double] {
    let shares = game.offerShares
    let motives = MotiveColumns(population, stake: game.spec.stake)
    var decoder = ChoiceDecoder(capacity: 2)
    var sums = [Double](repeating: 0, count: shares.count)
    var utilities = [0.0, 0.0]
    for i in 0..<population.count {
      let m = motives[i]
      let decoding = population.segments[Int(population.segment[i])].decoding
      for (k, share) in shares.enumerated() {
        let (accept, reject) = game.responderUtilities(motives: m, offerShare: share)
        utilities[0] = accept
        utilities[1] = reject
        let p = utilities.withUnsafeBufferPointer {
          decoder.distribution(utilities: $0, salient: 0, parameters: decoding)
        }
        sums[k] += p[0]
      }
    }
    return sums.map { $0 / Double(max(1, population.count)) }
  }

  /// Plays the whole run.
  public mutating func run(events: InteractionSink? = nil, progress: Progress? = nil) throws {
    switch scenario.matching.type {
    case .randomPairs:
      try runRounds(events: events, progress: progress)
      // The round-to-round buffers are not needed once the run is over (the result's metrics need memory).
      (outcomeBuffer, sorter) = ([], AmountSorter())
    case .asynchronous: try runAsynchronous(events: events, progress: progress)
    case .fixedPairs, .groups, .roundRobin, .market, .network, .none:
      preconditionFailure("validated when the scenario loads")
    }
    assert(invariantsHold, "the division run's tallies and interaction counts disagree")
  }

  /// Debug builds check, at the end of a run: the per-segment tallies sum to the total (by proposer and by
  /// responder), and every interaction was counted for both of its agents.
  var invariantsHold: Bool {
    let byProposer = byProposerSegment.reduce(0) { $0 + $1.interactions }
    let byResponder = byResponderSegment.reduce(0) { $0 + $1.interactions }
    let accepted = byProposerSegment.reduce(0) { $0 + $1.accepted }
    let agents = (0..<interactionStore.count).reduce(0) { $0 + Int(interactionStore[$1]) }
    return byProposer == total.interactions && byResponder == total.interactions && accepted == total.accepted
      && agents == 2 * total.interactions && offers.total == total.interactions
  }

  // MARK: Decisions

  /// Proposer `i`'s offer: asked of the language model or decoded.
  mutating func propose(proposer i: Int, stream: RandomStream) -> Int {
    let seg = kernel.segment(of: i)
    kernel.proposerUtilities(agent: i, segment: seg, motives: motives[i], norm: norm)
    if asksModel[seg], let model = languageModel {
      let (window, game) = (memory, self.game)
      let (kernel, norm) = (self.kernel, self.norm)
      return ChoiceDecoder.choose(
        model, asks: true, agent: i, segment: seg,
        prompt: {
          var prompt = DivisionPrompts(game: game).propose()
          prompt.surrogate = kernel.surrogate(count: kernel.options, salient: kernel.salient, amount: true) {
            kernel.proposerUtilities(agent: i, segment: seg, motives: $0, norm: norm)
          }
          return prompt
        },
        history: { DivisionPrompts(game: game).history(window.window(of: i)) },
        utilities: UnsafeBufferPointer(start: kernel.utilities, count: kernel.options), salient: kernel.salient,
        parameters: kernel.decoding[seg], decoder: &decoder, stream: stream,
        logWeights: kernel.logWeights + seg * kernel.options)
    }
    return kernel.decode(count: kernel.options, salient: kernel.salient, segment: seg, amount: true, rng: stream.rng)
  }

  /// Whether responder `j` accepts offer `k`: asked of the language model or decoded.
  mutating func respond(responder j: Int, offer k: Int, stream: RandomStream) -> Bool {
    kernel.lastMinimum = -1
    guard game.responderDecides else { return true }
    let seg = kernel.segment(of: j)
    if asksModel[seg], let model = languageModel, kernel.strategyMethod {
      kernel.minimumUtilities(motives: motives[j])
      let game = self.game
      let kernel = self.kernel
      let m = ChoiceDecoder.choose(
        model, asks: true, agent: j, segment: seg,
        prompt: {
          var prompt = DivisionPrompts(game: game).minimum()
          prompt.surrogate = kernel.surrogate(count: kernel.options, salient: kernel.salient, amount: true) {
            kernel.minimumUtilities(motives: $0)
          }
          return prompt
        },
        history: { [] }, utilities: UnsafeBufferPointer(start: kernel.utilities, count: kernel.options),
        salient: kernel.salient, parameters: kernel.decoding[seg], decoder: &decoder, stream: stream,
        logWeights: kernel.logWeights + seg * kernel.options)
      kernel.state(minimum: m, agent: j)
      return k >= m
    }
    if asksModel[seg], let model = languageModel {
      kernel.responderUtilities(motives: motives[j], offer: k)
      let game = self.game
      let kernel = self.kernel
      return ChoiceDecoder.choose(
        model, asks: true, agent: j, segment: seg,
        prompt: {
          var prompt = DivisionPrompts(game: game).respond(offer: k)
          prompt.surrogate = kernel.surrogate(count: 2, salient: 0, amount: false) {
            kernel.responderUtilities(motives: $0, offer: k)
          }
          return prompt
        },
        history: { [] }, utilities: UnsafeBufferPointer(start: kernel.utilities, count: 2), salient: 0,
        parameters: kernel.decoding[seg], decoder: &decoder, stream: stream) == 0
    }
    return kernel.respond(agent: j, segment: seg, motives: motives[j], offer: k, rng: stream.rng)
  }

  mutating func resolve(proposer i: Int, responder j: Int, offer k: Int, accepted: Bool) {
    apply(proposer: i, responder: j, offer: k, accepted: accepted)
    count(proposer: i, responder: j, offer: k, accepted: accepted)
  }

  /// Writes an interaction's outcome into the agents' state (see ``DivisionKernel``).
  func apply(proposer i: Int, responder j: Int, offer k: Int, accepted: Bool) {
    kernel.apply(proposer: i, responder: j, offer: k, accepted: accepted)
  }

  /// Counts an interaction in the run's tallies.
  /// The minimum the responder stated (``DivisionKernel/lastMinimum``) counts for the run and its segment.
  mutating func count(proposer i: Int, responder j: Int, offer k: Int, accepted: Bool) {
    let minimum = kernel.lastMinimum
    total.add(offer: k, accepted: accepted, minimum: minimum)
    byProposerSegment[kernel.segment(of: i)].add(offer: k, accepted: accepted)
    offers.add(segment: kernel.segment(of: i), offer: k, accepted: accepted)
    byResponderSegment[kernel.segment(of: j)].add(offer: k, accepted: accepted, minimum: minimum)
  }

  mutating func recordStep(_ step: Int, time: Double, _ tally: DivisionTally) {
    let payoffs = UnsafeBufferPointer(payoffStore.buffer)
    let mean = payoffs.reduce(0, +) / Double(payoffs.count)
    let gini = try? Inequality.gini(payoffs, threads: threads, sorter: &sorter)
    steps.append((step, time, tally, mean, gini ?? .nan))
  }

  func stream(_ purpose: StreamPurpose, _ index: Int = 0) -> RandomStream {
    seeds.stream(for: purpose, index: UInt64(index), generator: generator)
  }
}

extension DivisionTally {
  /// The counts, in one order (for merging and differencing).
  var counts: [Int] {
    [
      interactions, accepted, zeroOffers, halfOffers, wholeOffers, lowOffers, fairishOffers, offerStepSum, minimums,
      minimumStepSum,
    ]
  }

  init(gridSteps: Int, counts c: [Int]) {
    self.init(gridSteps: gridSteps)
    (interactions, accepted, zeroOffers, halfOffers, wholeOffers) = (c[0], c[1], c[2], c[3], c[4])
    (lowOffers, fairishOffers, offerStepSum, minimums, minimumStepSum) = (c[5], c[6], c[7], c[8], c[9])
  }

  /// Adds the counts of `other`.
  public mutating func merge(_ other: DivisionTally) {
    self = DivisionTally(gridSteps: gridSteps, counts: zip(counts, other.counts).map { $0 + $1 })
  }

  /// The interactions counted here but not in `earlier`.
  public func minus(_ earlier: DivisionTally) -> DivisionTally {
    DivisionTally(gridSteps: gridSteps, counts: zip(counts, earlier.counts).map { $0 - $1 })
  }
}

extension DivisionRun {
  /// The logged form of one division: the offer share `share` of the stake, accepted or not, in amounts.
  func interaction(time: Double, proposer: Int, responder: Int, share: Double, accepted: Bool) -> Interaction {
    let stake = game.spec.stake
    return Interaction(
      time: time, proposer: proposer, responder: responder, offer: share * stake, accepted: accepted,
      proposerPayoff: accepted ? stake * (1 - share) : 0, responderPayoff: accepted ? stake * share : 0)
  }
}
