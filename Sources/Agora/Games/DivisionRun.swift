import DequeModule
import Dispatch

/// Receives every interaction: (time, proposer, responder, offer share, accepted).
public typealias InteractionSink = (Double, Int, Int, Double, Bool) throws -> Void

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

  var memory: Memory
  var decoder = ChoiceDecoder(capacity: 64)
  var shares: [Double]
  let salientOffer: Int
  var priors: [[Double]]
  var priorWeights: [Double]
  var utilities: [Double]
  var beliefs: [Double]
  var responderOptions: [Double] = [0, 0]
  var decoding: [DecodingParameters]
  let motives: MotiveColumns
  var norm: Double? = nil
  var decisionStreams: [RandomStream] = []
  var gathered: [(Motives, Motives)] = []
  let seeds: SeedSequence
  let generator: RandomGenerator
  /// Whether each segment asks a language model.
  var asksModel: [Bool]
  /// The end of each segment's id range: an agent's segment is found without reading a per-agent column.
  var segmentEnds: [Int]
  /// The language-model agents of the run, when a segment has `policy: llm`.
  public var languageModel: LanguageModelAgents? = nil

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
    total = DivisionTally(gridSteps: game.spec.offerCount - 1)
    byProposerSegment = Array(repeating: total, count: segments.count)
    byResponderSegment = byProposerSegment
    let learns = game.responderDecides
    memory = Memory(count: n) { learns ? segments[Int(population.segment[$0])].memory.contextWindow : 0 }
    shares = game.offerShares
    salientOffer = game.salientOffer
    let k = shares.count
    let grid = shares
    priors = segments.map { seg in grid.map { seg.memory.priorAcceptance(of: $0) } }
    priorWeights = segments.map(\.memory.priorWeight)
    decoding = segments.map(\.decoding)
    asksModel = segments.map { $0.policy == .llm }
    segmentEnds = population.ranges.map(\.upperBound)
    motives = MotiveColumns(population)
    utilities = [Double](repeating: 0, count: k)
    beliefs = [Double](repeating: 1, count: k)
  }

  /// Plays the whole run.
  public mutating func run(events: InteractionSink? = nil, progress: Progress? = nil) throws {
    switch scenario.matching.type {
    case .randomPairs: try runRounds(events: events, progress: progress)
    case .asynchronous: try runAsynchronous(events: events, progress: progress)
    case .fixedPairs, .groups, .roundRobin, .market, .villages, .galaxy, .society:
      preconditionFailure("validated when the scenario loads")
    }
  }

  // MARK: Decisions

  /// One interaction, decided and resolved; returns the offer share and whether it was accepted.
  mutating func interact(
    proposer i: Int, responder j: Int, stream: RandomStream, motives: (proposer: Motives, responder: Motives)? = nil
  ) -> (Double, Bool) {
    let k = propose(proposer: i, stream: stream, motives: motives?.proposer)
    let accepted = respond(responder: j, offer: k, stream: stream, motives: motives?.responder)
    resolve(proposer: i, responder: j, offer: k, accepted: accepted)
    return (shares[k], accepted)
  }

  /// Agent `i`'s segment (segments are contiguous id ranges).
  @inline(__always)
  func segment(of i: Int) -> Int {
    var s = 0
    while i >= segmentEnds[s] { s += 1 }
    return s
  }

  mutating func propose(proposer i: Int, stream: RandomStream, motives known: Motives? = nil) -> Int {
    let seg = segment(of: i)
    let motives = known ?? self.motives[i]
    if game.responderDecides {
      var local: [Double] = []
      swap(&local, &beliefs)
      let weight = priorWeights[seg]
      priors[seg].withUnsafeBufferPointer { prior in
        local.withUnsafeMutableBufferPointer { out in
          memory.acceptanceBeliefs(agent: i, prior: prior, priorWeight: weight, into: out)
        }
      }
      swap(&local, &beliefs)
    }
    let norm = self.norm
    shares.withUnsafeBufferPointer { s in
      beliefs.withUnsafeBufferPointer { b in
        utilities.withUnsafeMutableBufferPointer { u in
          Game.proposerUtilities(motives: motives, shares: s, accept: b, norm: norm, into: u)
        }
      }
    }
    let parameters = decoding[seg]
    let salient = salientOffer
    if asksModel[seg], let model = languageModel {
      let (window, game) = (memory, self.game)
      return utilities.withUnsafeBufferPointer { u in
        LanguageModelAgents.choose(
          model, asks: true, agent: i, segment: seg, prompt: { DivisionPrompts(game: game).propose() },
          history: { DivisionPrompts(game: game).history(window.window(of: i)) }, utilities: u, salient: salient,
          parameters: parameters, decoder: &decoder, stream: stream)
      }
    }
    return utilities.withUnsafeBufferPointer { u in
      decoder.choose(utilities: u, salient: salient, parameters: parameters, stream: stream)
    }
  }

  mutating func respond(responder j: Int, offer k: Int, stream: RandomStream, motives known: Motives? = nil) -> Bool {
    guard game.responderDecides else { return true }
    let seg = segment(of: j)
    let (accept, reject) = game.responderUtilities(motives: known ?? motives[j], offerShare: shares[k])
    responderOptions[0] = accept
    responderOptions[1] = reject
    if asksModel[seg], let model = languageModel {
      let game = self.game
      let choice = responderOptions.withUnsafeBufferPointer { u in
        LanguageModelAgents.choose(
          model, asks: true, agent: j, segment: seg, prompt: { DivisionPrompts(game: game).respond(offer: k) },
          history: { [] }, utilities: u, salient: 0, parameters: decoding[seg], decoder: &decoder, stream: stream)
      }
      return choice == 0
    }
    let choice = responderOptions.withUnsafeBufferPointer { u in
      decoder.choose(utilities: u, salient: 0, parameters: decoding[seg], stream: stream)
    }
    return choice == 0
  }

  mutating func resolve(proposer i: Int, responder j: Int, offer k: Int, accepted: Bool) {
    apply(proposer: i, responder: j, offer: k, accepted: accepted)
    count(proposer: i, responder: j, offer: k, accepted: accepted)
  }

  /// Writes an interaction's outcome into the agents' state: payoffs, interaction counts, the proposer's window.
  func apply(proposer i: Int, responder j: Int, offer k: Int, accepted: Bool) {
    let stake = game.spec.stake
    if accepted {
      let steps = Double(total.gridSteps)
      payoffStore[i] += stake * (steps - Double(k)) / steps
      payoffStore[j] += stake * Double(k) / steps
    }
    interactionStore[i] += 1
    interactionStore[j] += 1
    if game.responderDecides { memory.record(agent: i, option: k, accepted: accepted) }
  }

  /// Counts an interaction in the run's tallies.
  mutating func count(proposer i: Int, responder j: Int, offer k: Int, accepted: Bool) {
    total.add(offer: k, accepted: accepted)
    byProposerSegment[segment(of: i)].add(offer: k, accepted: accepted)
    byResponderSegment[segment(of: j)].add(offer: k, accepted: accepted)
  }

  mutating func recordStep(_ step: Int, time: Double, _ tally: DivisionTally) {
    let payoffs = self.payoffs
    let mean = payoffs.reduce(0, +) / Double(payoffs.count)
    steps.append((step, time, tally, mean, (try? Inequality.gini(payoffs, threads: threads)) ?? .nan))
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
    let n = population.count
    let rounds = game.spec.rounds
    let matching = stream(.matching)
    let base = (0..<n).map { i in population.isEvenInSegment(i) ? UInt8(0) : 1 }
    var proposers: [Int32] = []
    var responders: [Int32] = []
    var everyone: [Int32] = []
    proposers.reserveCapacity(n)
    responders.reserveCapacity(n)
    var pairs = 0
    var played = 0
    var before = total
    var simulation = Simulation<RoundEvent>()
    simulation.schedule(.match(round: 0), at: 1)
    while let event = simulation.next() {
      switch event {
      case .match(let r):
        proposers.removeAll(keepingCapacity: true)
        responders.removeAll(keepingCapacity: true)
        switch game.spec.roles {
        case .random:
          if everyone.isEmpty { everyone = (0..<Int32(n)).map { $0 } }
          matching.shuffle(&everyone)
          for p in 0..<(n / 2) {
            proposers.append(everyone[2 * p])
            responders.append(everyone[2 * p + 1])
          }
        case .swap, .fixed:
          let flip: UInt8 = game.spec.roles == .swap ? UInt8(r & 1) : 0
          for i in 0..<n {
            if base[i] ^ flip == 0 { proposers.append(Int32(i)) } else { responders.append(Int32(i)) }
          }
          matching.shuffle(&proposers)
          matching.shuffle(&responders)
        }
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

  /// Plays the pair blocks `blocks` of a round, on up to ``threads`` threads. Each thread plays on its own copy of
  /// the run (its own decoder, scratch and tallies), writing the agents of its blocks in the shared stores; block b
  /// draws from stream b whichever thread plays it, and the tallies (integer counts) are summed after, so the
  /// result is the same for any number of threads. Events are emitted in block order.
  mutating func playBlocks(
    _ blocks: Range<Int>, pairs: Int, proposers: [Int32], responders: [Int32], time: Double, events: InteractionSink?
  ) throws {
    var decided: ([DivisionRun], [[(Int, Int, Double, Bool)]], [Int32])
    if let model = languageModel {
      // Pass after pass on one thread: queue what the model must answer, send it, roll the streams back, replay.
      let saved = blocks.map { decisionStreams[$0].copy() }
      decided = ([], [], [])
      model.playInPasses({
        decided = decideBlocks(
          blocks, pairs: pairs, proposers: proposers, responders: responders, workers: 1, record: events != nil)
      }) {
        for (n, b) in blocks.enumerated() { decisionStreams[b].restore(saved[n]) }
      }
    } else {
      decided = decideBlocks(
        blocks, pairs: pairs, proposers: proposers, responders: responders, workers: max(1, min(threads, blocks.count)),
        record: events != nil)
    }
    try finishBlocks(
      blocks, pairs: pairs, proposers: proposers, responders: responders, time: time, events: events,
      copies: decided.0, logs: decided.1, outcomes: decided.2)
  }

  /// Decides the pairs of `blocks` on `workers` threads, each on its own copy of the run; returns the copies (with
  /// their tallies), the interactions of each block when `record`, and each pair's outcome (`offer * 2 + accepted`).
  func decideBlocks(
    _ blocks: Range<Int>, pairs: Int, proposers: [Int32], responders: [Int32], workers: Int, record: Bool
  ) -> ([DivisionRun], [[(Int, Int, Double, Bool)]], [Int32]) {
    var copies = [DivisionRun](repeating: self, count: workers)
    for w in copies.indices where workers > 1 {
      // Each thread reads its own copy of the small tables: reference counting on one shared buffer from two
      // cores makes its cache line bounce between them on every decision.
      copies[w].shares = shares.map { $0 }
      copies[w].priors = priors.map { $0.map { $0 } }
      copies[w].priorWeights = priorWeights.map { $0 }
      copies[w].decoding = decoding.map { $0 }
      copies[w].asksModel = asksModel.map { $0 }
      copies[w].segmentEnds = segmentEnds.map { $0 }
    }
    for w in copies.indices {
      copies[w].total = DivisionTally(gridSteps: total.gridSteps)
      copies[w].byProposerSegment = byProposerSegment.map { DivisionTally(gridSteps: $0.gridSteps) }
      copies[w].byResponderSegment = copies[w].byProposerSegment
    }
    var logs = [[(Int, Int, Double, Bool)]](repeating: [], count: blocks.count)
    let first = blocks.lowerBound * Self.blockSize
    let last = min(pairs, blocks.upperBound * Self.blockSize)
    var outcomes = [Int32](repeating: 0, count: last - first)
    copies.withUnsafeMutableBufferPointer { copiesBuffer in
      logs.withUnsafeMutableBufferPointer { logsBuffer in
        outcomes.withUnsafeMutableBufferPointer { outcomesBuffer in
          nonisolated(unsafe) let copies = copiesBuffer
          nonisolated(unsafe) let logs = logsBuffer
          nonisolated(unsafe) let outcomes = outcomesBuffer
          let work: @Sendable (Int) -> Void = { w in
            // Each thread plays on a copy on its own stack, so no two threads write one cache line of run state.
            var local = copies[w]
            let shares = local.shares
            for b in stride(from: blocks.lowerBound + w, to: blocks.upperBound, by: workers) {
              local.playBlock(b, pairs: pairs, proposers: proposers, responders: responders) { p, k, accepted in
                outcomes[p - first] = Int32(k) * 2 + (accepted ? 1 : 0)
                if record {
                  logs[b - blocks.lowerBound].append(
                    (Int(proposers[p]), Int(responders[p]), shares[k], accepted))
                }
              }
            }
            copies[w] = local
          }
          if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
        }
      }
    }
    return (copies, logs, outcomes)
  }

  /// Writes the decided pairs of `blocks` into the agents' state, sums the copies' tallies and emits the events.
  mutating func finishBlocks(
    _ blocks: Range<Int>, pairs: Int, proposers: [Int32], responders: [Int32], time: Double, events: InteractionSink?,
    copies: [DivisionRun], logs: [[(Int, Int, Double, Bool)]], outcomes: [Int32]
  ) throws {
    let first = blocks.lowerBound * Self.blockSize
    let last = min(pairs, blocks.upperBound * Self.blockSize)
    // The agents' state is written after the decisions: each agent plays once per round, so no decision of a
    // round depends on another's outcome and no element is written twice; halves of the pairs go to the threads.
    let workers = max(1, min(threads, (last - first) / 65_536))
    nonisolated(unsafe) let run = self
    let write: @Sendable (Int) -> Void = { w in
      let lower = first + (last - first) * w / workers
      let upper = first + (last - first) * (w + 1) / workers
      let ahead = 16
      for p in lower..<upper {
        if p + ahead < upper {
          // Random agents: start loading the state of a later pair while this one is written.
          let (i, j) = (Int(proposers[p + ahead]), Int(responders[p + ahead]))
          run.payoffStore.prefetch(i)
          run.payoffStore.prefetch(j)
          run.interactionStore.prefetch(i)
          run.interactionStore.prefetch(j)
          run.memory.prefetch(agent: i)
        }
        let outcome = Int(outcomes[p - first])
        run.apply(
          proposer: Int(proposers[p]), responder: Int(responders[p]), offer: outcome / 2, accepted: outcome & 1 == 1)
      }
    }
    if workers == 1 { write(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: write) }
    for copy in copies {
      total.merge(copy.total)
      for s in byProposerSegment.indices {
        byProposerSegment[s].merge(copy.byProposerSegment[s])
        byResponderSegment[s].merge(copy.byResponderSegment[s])
      }
    }
    if let events {
      for log in logs { for (i, j, share, accepted) in log { try events(time, i, j, share, accepted) } }
    }
  }

  /// Decides the pairs of block `b` with its own decision stream and counts them; `decided` receives each pair's
  /// index, offer and response (the agents' state is written later, by ``apply``).
  mutating func playBlock(
    _ b: Int, pairs: Int, proposers: [Int32], responders: [Int32], decided: (Int, Int, Bool) -> Void
  ) {
    let stream = decisionStreams[b]
    let block = (b * Self.blockSize)..<min(pairs, (b + 1) * Self.blockSize)
    // Gather the block's motives first: independent loads from random agents overlap their cache misses.
    gathered.removeAll(keepingCapacity: true)
    for p in block {
      let i = Int(proposers[p])
      memory.prefetch(agent: i)
      gathered.append((motives[i], motives[Int(responders[p])]))
    }
    for p in block {
      let i = Int(proposers[p])
      let j = Int(responders[p])
      languageModel?.beginMatch()
      let motives = gathered[p - block.lowerBound]
      let k = propose(proposer: i, stream: stream, motives: motives.0)
      let accepted = respond(responder: j, offer: k, stream: stream, motives: motives.1)
      count(proposer: i, responder: j, offer: k, accepted: accepted)
      decided(p, k, accepted)
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
    let horizon = Double(game.spec.rounds)
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
