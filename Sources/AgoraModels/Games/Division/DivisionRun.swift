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
  /// Threads that play the blocks of a synchronous round (the output does not depend on it).
  public var threads = 1
  /// All interactions of the run.
  public private(set) var total: DivisionTally
  /// Interactions by the proposer's segment.
  public private(set) var byProposerSegment: [DivisionTally]
  /// Interactions by the responder's segment.
  public private(set) var byResponderSegment: [DivisionTally]
  /// One row per round or sample: the interval's tally, and the mean and Gini of payoffs accumulated so far.
  public private(set) var steps: [(step: Int, time: Double, tally: DivisionTally, meanPayoff: Double, gini: Double)] =
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
  var sortBuffers = Inequality.SortBuffers()

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
    let segments = population.segments
    total = DivisionTally(gridSteps: game.spec.grid.count - 1)
    byProposerSegment = Array(repeating: total, count: segments.count)
    byResponderSegment = byProposerSegment
    let learns = game.responderDecides
    memory = Memory(count: n) { learns ? segments[Int(population.segment[$0])].memory.contextWindow : 0 }
    shares = game.offerShares
    asksModel = segments.map { $0.policy == .llm }
    motives = MotiveColumns(population)
    kernel = DivisionKernel(
      game: game, population: population, memory: memory, payoffs: payoffStore, interactions: interactionStore)
  }

  /// Plays the whole run.
  public mutating func run(events: InteractionSink? = nil, progress: Progress? = nil) throws {
    switch scenario.matching.type {
    case .randomPairs:
      try runRounds(events: events, progress: progress)
      // The round-to-round buffers are not needed once the run is over (the result's metrics need memory).
      (outcomeBuffer, sortBuffers) = ([], Inequality.SortBuffers())
    case .asynchronous: try runAsynchronous(events: events, progress: progress)
    case .fixedPairs, .groups, .roundRobin, .market, .villages, .galaxy, .society:
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
      && agents == 2 * total.interactions
  }

  // MARK: Decisions

  /// Proposer `i`'s offer: asked of the language model or decoded.
  mutating func propose(proposer i: Int, stream: RandomStream) -> Int {
    let seg = kernel.segment(of: i)
    kernel.proposerUtilities(agent: i, segment: seg, motives: motives[i], norm: norm)
    if asksModel[seg], let model = languageModel {
      let (window, game) = (memory, self.game)
      return ChoiceDecoder.choose(
        model, asks: true, agent: i, segment: seg, prompt: { DivisionPrompts(game: game).propose() },
        history: { DivisionPrompts(game: game).history(window.window(of: i)) },
        utilities: UnsafeBufferPointer(start: kernel.utilities, count: kernel.options), salient: kernel.salient,
        parameters: kernel.decoding[seg], decoder: &decoder, stream: stream)
    }
    return kernel.decode(count: kernel.options, salient: kernel.salient, segment: seg, rng: stream.rng)
  }

  /// Whether responder `j` accepts offer `k`: asked of the language model or decoded.
  mutating func respond(responder j: Int, offer k: Int, stream: RandomStream) -> Bool {
    guard game.responderDecides else { return true }
    let seg = kernel.segment(of: j)
    if asksModel[seg], let model = languageModel {
      kernel.responderUtilities(motives: motives[j], offer: k)
      let game = self.game
      return ChoiceDecoder.choose(
        model, asks: true, agent: j, segment: seg, prompt: { DivisionPrompts(game: game).respond(offer: k) },
        history: { [] }, utilities: UnsafeBufferPointer(start: kernel.utilities, count: 2), salient: 0,
        parameters: kernel.decoding[seg], decoder: &decoder, stream: stream) == 0
    }
    return kernel.respond(segment: seg, motives: motives[j], offer: k, rng: stream.rng)
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
  mutating func count(proposer i: Int, responder j: Int, offer k: Int, accepted: Bool) {
    total.add(offer: k, accepted: accepted)
    byProposerSegment[kernel.segment(of: i)].add(offer: k, accepted: accepted)
    byResponderSegment[kernel.segment(of: j)].add(offer: k, accepted: accepted)
  }

  mutating func recordStep(_ step: Int, time: Double, _ tally: DivisionTally) {
    let payoffs = UnsafeBufferPointer(payoffStore.buffer)
    let mean = payoffs.reduce(0, +) / Double(payoffs.count)
    let gini = try? Inequality.gini(payoffs, threads: threads, buffers: &sortBuffers)
    steps.append((step, time, tally, mean, gini ?? .nan))
  }

  func stream(_ purpose: StreamPurpose, _ index: Int = 0) -> RandomStream {
    seeds.stream(for: purpose, index: UInt64(index), generator: generator)
  }

  // MARK: Synchronous rounds

  /// A synchronous round is a set of events at one time: matching, one event per block of pairs, and the close.
  enum RoundEvent {
    case match(round: Int)
    case play(block: Int)
    case close(round: Int)
  }

  mutating func runRounds(events: InteractionSink?, progress: Progress?) throws {
    let rounds = scenario.game.rounds
    let pairing = RoundPairing(population: population, roles: game.spec.roles, matching: stream(.matching))
    // Next round's pairs are drawn while this round is played when the round has threads to spare for it.
    let drawsAhead = threads > 1 && languageModel == nil
    var proposers: [Int32] = []
    var responders: [Int32] = []
    var pairs = 0
    var played = 0
    var before = total
    var simulation = Simulation<RoundEvent>()
    simulation.schedule(.match(round: 0), at: 1)
    while let event = simulation.next() {
      switch event {
      case .match(let r):
        pairing.take(round: r, proposers: &proposers, responders: &responders)
        if drawsAhead && r + 1 < rounds { pairing.prepare(round: r + 1) }
        before = total
        played = 0
        pairs = min(proposers.count, responders.count)
        let blocks = (pairs + Self.blockSize - 1) / Self.blockSize
        while decisionStreams.count < blocks { decisionStreams.append(stream(.decisions, decisionStreams.count)) }
        for b in 0..<blocks { simulation.schedule(.play(block: b), at: simulation.now) }
        simulation.schedule(.close(round: r), at: simulation.now, priority: 1)
      case .play(let b):
        guard b >= played else { continue }
        try playBlocks(
          b..<((pairs + Self.blockSize - 1) / Self.blockSize), pairs: pairs, proposers: proposers,
          responders: responders, time: simulation.now, events: events)
        played = (pairs + Self.blockSize - 1) / Self.blockSize
      case .close(let r):
        let tally = total.minus(before)
        recordStep(r + 1, time: simulation.now, tally)
        if tally.interactions > 0 { norm = tally.meanOffer }
        progress?(Double(r + 1) / Double(rounds))
        if r + 1 < rounds { simulation.schedule(.match(round: r + 1), at: Double(r + 2)) }
      }
    }
  }

  /// Plays the pair blocks `blocks` of a round, on up to ``threads`` threads (language-model passes on one, their
  /// outcomes written into the agents' state after the last pass), then emits the events in pair order. Block b
  /// draws from stream b whichever thread plays it, and the tallies (integer counts) are summed after, so the
  /// result is the same for any number of threads.
  mutating func playBlocks(
    _ blocks: Range<Int>, pairs: Int, proposers: [Int32], responders: [Int32], time: Double, events: InteractionSink?
  ) throws {
    let first = blocks.lowerBound * Self.blockSize
    let last = min(pairs, blocks.upperBound * Self.blockSize)
    var outcomes: [Int32] = []
    swap(&outcomes, &outcomeBuffer)
    defer { swap(&outcomes, &outcomeBuffer) }
    // Outcomes are kept only for the events and for language-model passes (the decoder writes agents' state as
    // it decides).
    let keepsOutcomes = events != nil || languageModel != nil
    if keepsOutcomes && outcomes.count < last - first { outcomes = [Int32](repeating: 0, count: last - first) }
    if let model = languageModel {
      // Pass after pass on one thread: queue what the model must answer, send it, roll the streams back, replay.
      let saved = blocks.map { decisionStreams[$0].copy() }
      var decided = self
      model.playInPasses({
        decided = self
        decided.total = DivisionTally(gridSteps: total.gridSteps)
        decided.byProposerSegment = byProposerSegment.map { DivisionTally(gridSteps: $0.gridSteps) }
        decided.byResponderSegment = decided.byProposerSegment
        for b in blocks {
          decided.playBlock(
            b, pairs: pairs, proposers: proposers, responders: responders, outcomes: &outcomes, outcomeBase: first)
        }
      }) {
        for (n, b) in blocks.enumerated() { decisionStreams[b].restore(saved[n]) }
      }
      merge(total: decided.total, byProposer: decided.byProposerSegment, byResponder: decided.byResponderSegment)
      writeOutcomes(first..<last, proposers: proposers, responders: responders, outcomes: outcomes)
    } else {
      playWithDecoder(
        blocks, pairs: pairs, proposers: proposers, responders: responders, outcomes: &outcomes, keeps: keepsOutcomes)
    }
    if let events {
      for p in first..<last {
        let outcome = Int(outcomes[p - first])
        try events(time, Int(proposers[p]), Int(responders[p]), shares[outcome / 2], outcome & 1 == 1)
      }
    }
  }

  /// Plays the pairs of `blocks` with the decoder on up to ``threads`` threads, each with its own
  /// ``DivisionKernel``, writing each pair's `offer * 2 + accepted` into `outcomes` (from the blocks' first pair).
  /// Whichever thread plays a block, it draws from the block's stream and writes its own agents, and the kernels'
  /// tallies are integer counts summed after, so the result does not depend on which thread took which block.
  mutating func playWithDecoder(
    _ blocks: Range<Int>, pairs: Int, proposers: [Int32], responders: [Int32], outcomes: inout [Int32], keeps: Bool
  ) {
    let workers = max(1, min(threads, blocks.count))
    let kernels = (0..<workers).map { _ in
      DivisionKernel(
        game: game, population: population, memory: memory, payoffs: payoffStore, interactions: interactionStore)
    }
    let first = blocks.lowerBound * Self.blockSize
    // Read by every thread, written by none (the kernels are each one thread's).
    nonisolated(unsafe) let (shared, rngs) = (kernels, decisionStreams.map(\.rng))
    nonisolated(unsafe) let next = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    next.initialize(to: 0)
    defer { next.deallocate() }
    let norm = self.norm
    proposers.withUnsafeBufferPointer { proposersBuffer in
      responders.withUnsafeBufferPointer { respondersBuffer in
        population.values.withUnsafeBufferPointer { valuesBuffer in
          outcomes.withUnsafeMutableBufferPointer { outcomesBuffer in
            nonisolated(unsafe) let (proposers, responders) = (
              proposersBuffer.baseAddress!, respondersBuffer.baseAddress!
            )
            nonisolated(unsafe) let values = valuesBuffer.baseAddress!
            nonisolated(unsafe) let outcomes = keeps ? outcomesBuffer.baseAddress : nil
            let work: @Sendable (Int) -> Void = { w in
              // Blocks are taken in turn, so a thread slowed down (by the next round's pairing) takes fewer.
              while true {
                let b = blocks.lowerBound + agora_claim(next)
                guard b < blocks.upperBound else { break }
                shared[w].play(
                  pairs: (b * Self.blockSize)..<min(pairs, (b + 1) * Self.blockSize), proposers: proposers,
                  responders: responders, values: values, norm: norm, rng: rngs[b], outcomes: outcomes,
                  outcomeBase: first)
              }
            }
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
          }
        }
      }
    }
    for kernel in kernels {
      let s = kernel.segments
      merge(
        total: kernel.tallies[0], byProposer: (0..<s).map { kernel.tallies[1 + $0] },
        byResponder: (0..<s).map { kernel.tallies[1 + s + $0] })
    }
  }

  /// Adds tallies counted elsewhere (by a thread's kernel or a language-model pass) to the run's.
  mutating func merge(total other: DivisionTally, byProposer: [DivisionTally], byResponder: [DivisionTally]) {
    total.merge(other)
    for s in byProposerSegment.indices {
      byProposerSegment[s].merge(byProposer[s])
      byResponderSegment[s].merge(byResponder[s])
    }
  }

  /// Writes the pairs `range` decided by language-model passes into the agents' state, after the last pass.
  func writeOutcomes(_ range: Range<Int>, proposers: [Int32], responders: [Int32], outcomes: [Int32]) {
    for p in range {
      let outcome = Int(outcomes[p - range.lowerBound])
      apply(proposer: Int(proposers[p]), responder: Int(responders[p]), offer: outcome / 2, accepted: outcome & 1 == 1)
    }
  }

  /// Decides the pairs of block `b` one at a time (a language-model pass), counting them and writing each pair's
  /// outcome into `outcomes` (from the first pair of the round's blocks being played).
  mutating func playBlock(
    _ b: Int, pairs: Int, proposers: [Int32], responders: [Int32], outcomes: inout [Int32], outcomeBase: Int
  ) {
    let stream = decisionStreams[b]
    for p in (b * Self.blockSize)..<min(pairs, (b + 1) * Self.blockSize) {
      let i = Int(proposers[p])
      let j = Int(responders[p])
      languageModel?.beginMatch()
      let k = propose(proposer: i, stream: stream)
      let accepted = respond(responder: j, offer: k, stream: stream)
      count(proposer: i, responder: j, offer: k, accepted: accepted)
      outcomes[p - outcomeBase] = Int32(k) * 2 + (accepted ? 1 : 0)
    }
  }

  // MARK: Asynchronous play

  enum AsyncEvent {
    case wake(Int32)
    case propose(Int32, Int32)
    case respond(Int32, Int32, Int32)
    case sample(Int)
  }

  mutating func runAsynchronous(events: InteractionSink?, progress: Progress?) throws {
    let n = population.count
    let horizon = Double(scenario.game.rounds)
    let spec = scenario.matching
    let wakeMean = 1 / spec.rate
    let matching = stream(.matching)
    let latency = stream(.latency)
    let latencyDistribution = spec.latency
    func delay() -> Double { max(0, latencyDistribution.sample(latency)) }
    let blocks = (n + Self.blockSize - 1) / Self.blockSize
    decisionStreams = (0..<blocks).map { stream(.decisions, $0) }
    let fixedRoles = game.spec.roles == .fixed
    let proposesWhenFixed = (0..<n).map(population.isEvenInSegment)
    var busy = [Bool](repeating: false, count: n)
    var waitingProposers = Deque<Int32>()
    var waitingResponders = Deque<Int32>()
    var waiting: Int32 = -1
    var simulation = Simulation<AsyncEvent>()
    for i in 0..<n { simulation.schedule(.wake(Int32(i)), at: matching.exponential(mean: wakeMean)) }
    simulation.schedule(.sample(1), at: min(spec.sampleInterval, horizon), priority: 1)
    var last = total
    while let event = simulation.next(until: horizon) {
      switch event {
      case .wake(let a):
        let i = Int(a)
        simulation.schedule(.wake(a), after: matching.exponential(mean: wakeMean))
        guard !busy[i] else { continue }
        busy[i] = true
        if fixedRoles {
          if proposesWhenFixed[i] {
            if let r = waitingResponders.popFirst() {
              simulation.schedule(.propose(a, r), after: delay())
            } else {
              waitingProposers.append(a)
            }
          } else if let p = waitingProposers.popFirst() {
            simulation.schedule(.propose(p, a), after: delay())
          } else {
            waitingResponders.append(a)
          }
        } else if waiting < 0 {
          waiting = a
        } else {
          let other = waiting
          waiting = -1
          let firstProposes = matching.integer(below: 2) == 0
          simulation.schedule(firstProposes ? .propose(other, a) : .propose(a, other), after: delay())
        }
      case .propose(let p, let r):
        let i = Int(p)
        let k = propose(proposer: i, stream: decisionStreams[i / Self.blockSize])
        simulation.schedule(.respond(p, r, Int32(k)), after: game.responderDecides ? delay() : 0)
      case .respond(let p, let r, let k):
        let i = Int(p)
        let j = Int(r)
        let accepted = respond(responder: j, offer: Int(k), stream: decisionStreams[j / Self.blockSize])
        resolve(proposer: i, responder: j, offer: Int(k), accepted: accepted)
        busy[i] = false
        busy[j] = false
        try events?(simulation.now, i, j, shares[Int(k)], accepted)
      case .sample(let s):
        let tally = total.minus(last)
        last = total
        recordStep(s, time: simulation.now, tally)
        if tally.interactions > 0 { norm = tally.meanOffer }
        progress?(simulation.now / horizon)
        if simulation.now < horizon {
          simulation.schedule(.sample(s + 1), at: min(Double(s + 1) * spec.sampleInterval, horizon), priority: 1)
        }
      }
    }
  }
}

extension DivisionTally {
  /// Adds the counts of `other`.
  public mutating func merge(_ other: DivisionTally) {
    interactions += other.interactions
    accepted += other.accepted
    zeroOffers += other.zeroOffers
    offerStepSum += other.offerStepSum
  }

  /// The interactions counted here but not in `earlier`.
  public func minus(_ earlier: DivisionTally) -> DivisionTally {
    var d = DivisionTally(gridSteps: gridSteps)
    d.interactions = interactions - earlier.interactions
    d.accepted = accepted - earlier.accepted
    d.zeroOffers = zeroOffers - earlier.zeroOffers
    d.offerStepSum = offerStepSum - earlier.offerStepSum
    return d
  }
}
