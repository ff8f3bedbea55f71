import AgoraCore
import CGSL
import DequeModule
import Dispatch
import Synchronization

/// Synchronous rounds of random pairs, played in blocks on up to `threads` threads.
extension DivisionRun {
  /// A synchronous round is three events at one time: matching, play (every block of pairs, on up to ``threads``
  /// threads), and the close.
  enum RoundEvent {
    case match(round: Int)
    case play(round: Int)
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
    var before = total
    var simulation = Simulation<RoundEvent>()
    simulation.schedule(.match(round: 0), at: 1)
    while let event = simulation.next() {
      switch event {
      case .match(let r):
        pairing.take(round: r, proposers: &proposers, responders: &responders)
        if drawsAhead && r + 1 < rounds { pairing.prepare(round: r + 1) }
        before = total
        pairs = min(proposers.count, responders.count)
        let blocks = (pairs + Self.blockSize - 1) / Self.blockSize
        while decisionStreams.count < blocks { decisionStreams.append(stream(.decisions, decisionStreams.count)) }
        simulation.schedule(.play(round: r), at: simulation.now)
        simulation.schedule(.close(round: r), at: simulation.now, priority: 1)
      case .play:
        try playBlocks(
          0..<((pairs + Self.blockSize - 1) / Self.blockSize), pairs: pairs, proposers: proposers,
          responders: responders, time: simulation.now, events: events)
      case .close(let r):
        let tally = total.minus(before)
        recordStep(r + 1, time: simulation.now, tally)
        try setup?.recordAgents(
          step: r + 1, last: rounds, payoffs: { payoffs }, interactions: { interactions },
          values: { agentStepValues($0) })
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
    let keepsOutcomes = events != nil || languageModel != nil || lastOffers != nil
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
        decided.offers = OfferHistogram(options: offers.options, segments: offers.segments)
        for b in blocks {
          decided.playBlock(
            b, round: Int(time), pairs: pairs, proposers: proposers, responders: responders, outcomes: &outcomes,
            outcomeBase: first)
        }
      }) {
        for (n, b) in blocks.enumerated() { decisionStreams[b].restore(saved[n]) }
      }
      merge(total: decided.total, byProposer: decided.byProposerSegment, byResponder: decided.byResponderSegment)
      offers.merge(decided.offers)
      writeOutcomes(first..<last, proposers: proposers, responders: responders, outcomes: outcomes)
    } else {
      playWithDecoder(
        blocks, pairs: pairs, proposers: proposers, responders: responders, outcomes: &outcomes, keeps: keepsOutcomes)
    }
    keepLastOffers(first..<last, proposers: proposers, outcomes: outcomes)
    if let events {
      for p in first..<last {
        let outcome = Int(outcomes[p - first])
        try events(
          interaction(
            time: time, proposer: Int(proposers[p]), responder: Int(responders[p]), share: shares[outcome / 2],
            accepted: outcome & 1 == 1))
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
        game: game, population: population, memory: memory, payoffs: payoffStore, interactions: interactionStore,
        minimums: minimumStore, knownAcceptance: knownAcceptance)
    }
    let first = blocks.lowerBound * Self.blockSize
    // Read by every thread, written by none (the kernels are each one thread's).
    nonisolated(unsafe) let (shared, rngs) = (kernels, decisionStreams.map(\.rng))
    let next = BlockCounter()
    let norm = self.norm
    proposers.withUnsafeBufferPointer { proposersBuffer in
      responders.withUnsafeBufferPointer { respondersBuffer in
        motives.values.withUnsafeBufferPointer { valuesBuffer in
          outcomes.withUnsafeMutableBufferPointer { outcomesBuffer in
            nonisolated(unsafe) let (proposers, responders) = (
              proposersBuffer.baseAddress!, respondersBuffer.baseAddress!
            )
            nonisolated(unsafe) let values = valuesBuffer.baseAddress!
            nonisolated(unsafe) let outcomes = keeps ? outcomesBuffer.baseAddress : nil
            let work: @Sendable (Int) -> Void = { w in
              // Blocks are taken in turn, so a thread slowed down (by the next round's pairing) takes fewer.
              while true {
                let b = blocks.lowerBound + next.claim()
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
      let counted = kernel.countedTallies()
      merge(total: counted.total, byProposer: counted.byProposer, byResponder: counted.byResponder)
      offers.merge(kernel.offerCounts)
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

  /// Decides the pairs of block `b` of round `round` (1-based) one at a time (a language-model pass), counting them
  /// and writing each pair's outcome into `outcomes` (from the first pair of the round's blocks being played).
  mutating func playBlock(
    _ b: Int, round: Int, pairs: Int, proposers: [Int32], responders: [Int32], outcomes: inout [Int32], outcomeBase: Int
  ) {
    let stream = decisionStreams[b]
    for p in (b * Self.blockSize)..<min(pairs, (b + 1) * Self.blockSize) {
      let i = Int(proposers[p])
      let j = Int(responders[p])
      languageModel?.beginMatch()
      languageModel?.locate(round: round, group: p)
      let k = propose(proposer: i, stream: stream)
      let accepted = respond(responder: j, offer: k, stream: stream)
      count(proposer: i, responder: j, offer: k, accepted: accepted)
      outcomes[p - outcomeBase] = Int32(k) * 2 + (accepted ? 1 : 0)
    }
  }
}

/// The next block of a round to play, claimed by worker threads in turn.
final class BlockCounter: Sendable {
  private let next = Atomic<Int>(0)

  /// The next unclaimed block number (0, 1, 2, ...), each returned once across threads.
  func claim() -> Int { next.wrappingAdd(1, ordering: .relaxed).oldValue }
}
