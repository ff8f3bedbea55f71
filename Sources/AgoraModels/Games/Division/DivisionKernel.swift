import AgoraCore
import CGSL

/// The arithmetic of a ``DivisionRun``'s decisions on raw buffers: the run's small tables (offer grid, priors,
/// decoding parameters, segment bounds) copied into allocations of its own, the decision scratch, and tallies.
///
/// Each worker thread makes its own kernel, so a decision touches no shared reference count or cache line,
/// allocates nothing and makes no reference-counting call. Every decision of a division run, synchronous or
/// asynchronous, decoder or language model, computes its utilities here.
final class DivisionKernel<Game: DivisionGame> {
  let game: Game
  /// The number of offers on the grid.
  let options: Int
  let salient: Int
  let responderDecides: Bool
  /// Whether responders state a minimum acceptable offer (the strategy method).
  let strategyMethod: Bool
  /// The minimum acceptable offer (in grid steps) the last ``respond(agent:segment:motives:offer:rng:)`` stated, or -1.
  var lastMinimum = -1
  /// Each agent's last stated minimum acceptable offer, as a share of the stake (NaN: none); with the strategy method.
  let minimumColumn: SharedColumn<Double>?
  let minimums: UnsafeMutablePointer<Double>?
  let segments: Int
  let memory: Memory
  /// The agents' payoffs and interaction counts (the run's columns, kept alive here).
  let payoffColumn: SharedColumn<Double>
  let interactionColumn: SharedColumn<Int32>
  let payoffs: UnsafeMutablePointer<Double>
  let interactions: UnsafeMutablePointer<Int32>
  let stake: Double
  /// The offer grid as shares of the stake.
  let shares: UnsafeMutablePointer<Double>
  /// Each segment's prior acceptance of each offer, segment after segment.
  let priors: UnsafeMutablePointer<Double>
  let priorWeights: UnsafeMutablePointer<Double>
  /// Each segment's ``Memory/reciprocals(priorWeight:)`` table (``memory``'s capacity + 1 entries), segment after
  /// segment.
  let reciprocals: UnsafeMutablePointer<Double>
  let decoding: UnsafeMutablePointer<DecodingParameters>
  /// Each segment's log measure of each offer (``AmountGrid``), segment after segment.
  let logWeights: UnsafeMutablePointer<Double>
  /// The end of each segment's id range.
  let segmentEnds: UnsafeMutablePointer<Int>
  /// Scratch: the proposer's acceptance beliefs, the utilities of the options, the decoding distribution.
  let beliefs: UnsafeMutablePointer<Double>
  let utilities: UnsafeMutablePointer<Double>
  let probabilities: UnsafeMutablePointer<Double>
  let order: UnsafeMutablePointer<Int>
  /// The stated minimums (strategy method) of all interactions decided here, then by the proposer's (none) and by
  /// the responder's segment; the rest of the tallies comes from the histograms (``countedTallies()``).
  let tallies: UnsafeMutablePointer<DivisionTally>
  /// Proposals and acceptances of each offer by the proposer's segment, in ``OfferHistogram``'s layout.
  let offerCounts: UnsafeMutablePointer<Int>
  /// The answers by responder segment: `responseCounts[(s * options + k) * 2]` offers of k to segment s's
  /// responders, `+ 1` those accepted.
  let responseCounts: UnsafeMutablePointer<Int>
  let storage: UnsafeMutableRawPointer

  init(
    game: Game, population: Population, memory: Memory, payoffs: SharedColumn<Double>,
    interactions: SharedColumn<Int32>, minimums: SharedColumn<Double>? = nil, knownAcceptance: [Double]? = nil
  ) {
    self.game = game
    self.memory = memory
    payoffColumn = payoffs
    interactionColumn = interactions
    self.payoffs = payoffs.buffer.baseAddress!
    self.interactions = interactions.buffer.baseAddress!
    stake = game.spec.stake
    let grid = game.offerShares
    let k = grid.count
    options = k
    salient = game.salientOffer
    responderDecides = game.responderDecides
    strategyMethod = game.responderDecides && game.spec.strategyMethod && minimums != nil
    minimumColumn = minimums
    self.minimums = minimums?.buffer.baseAddress
    let specs = population.segments
    segments = specs.count
    // One allocation, each table on cache lines of its own and none shared with another thread's kernel.
    let scratch = max(k, 2)
    let layout = DivisionKernel.layout(
      options: k, scratch: scratch, segments: segments, reciprocals: memory.capacity + 1)
    storage = .allocate(byteCount: layout.bytes, alignment: 64)
    shares = (storage + layout.shares).bindMemory(to: Double.self, capacity: k)
    priors = (storage + layout.priors).bindMemory(to: Double.self, capacity: segments * k)
    priorWeights = (storage + layout.priorWeights).bindMemory(to: Double.self, capacity: segments)
    reciprocals = (storage + layout.reciprocals).bindMemory(
      to: Double.self, capacity: segments * (memory.capacity + 1))
    decoding = (storage + layout.decoding).bindMemory(to: DecodingParameters.self, capacity: segments)
    logWeights = (storage + layout.logWeights).bindMemory(to: Double.self, capacity: segments * k)
    segmentEnds = (storage + layout.segmentEnds).bindMemory(to: Int.self, capacity: segments)
    beliefs = (storage + layout.beliefs).bindMemory(to: Double.self, capacity: scratch)
    utilities = (storage + layout.utilities).bindMemory(to: Double.self, capacity: scratch)
    probabilities = (storage + layout.probabilities).bindMemory(to: Double.self, capacity: scratch)
    order = (storage + layout.order).bindMemory(to: Int.self, capacity: scratch)
    tallies = (storage + layout.tallies).bindMemory(to: DivisionTally.self, capacity: 1 + 2 * segments)
    offerCounts = (storage + layout.offerCounts).bindMemory(to: Int.self, capacity: segments * k * 2)
    responseCounts = (storage + layout.responseCounts).bindMemory(to: Int.self, capacity: segments * k * 2)
    shares.initialize(from: grid, count: k)
    for (s, segment) in specs.enumerated() {
      // A segment that knows the responder population (`learning: population`) has those rates as its beliefs.
      let known = segment.memory.learning == .population ? knownAcceptance : nil
      for j in 0..<k {
        (priors + s * k + j).initialize(to: known?[j] ?? segment.memory.priorAcceptance(of: grid[j]))
      }
      (priorWeights + s).initialize(to: segment.memory.priorWeight)
      (reciprocals + s * (memory.capacity + 1)).initialize(
        from: memory.reciprocals(priorWeight: segment.memory.priorWeight), count: memory.capacity + 1)
      (decoding + s).initialize(to: segment.decoding)
      (logWeights + s * k).initialize(
        from: AmountGrid(count: max(k, 2)).logWeights(focalMass: segment.decoding.focalMass), count: k)
      (segmentEnds + s).initialize(to: population.ranges[s].upperBound)
    }
    beliefs.initialize(repeating: 1, count: scratch)
    utilities.initialize(repeating: 0, count: scratch)
    probabilities.initialize(repeating: 0, count: scratch)
    order.initialize(repeating: 0, count: scratch)
    tallies.initialize(repeating: DivisionTally(gridSteps: k - 1), count: 1 + 2 * segments)
    offerCounts.initialize(repeating: 0, count: segments * k * 2)
    responseCounts.initialize(repeating: 0, count: segments * k * 2)
  }

  deinit { storage.deallocate() }

  /// Byte offsets of the tables in the kernel's allocation, each rounded up to a cache line, and its size.
  static func layout(options k: Int, scratch: Int, segments: Int, reciprocals: Int) -> (
    shares: Int, priors: Int, priorWeights: Int, reciprocals: Int, decoding: Int, logWeights: Int, segmentEnds: Int,
    beliefs: Int, utilities: Int, probabilities: Int, order: Int, tallies: Int, offerCounts: Int,
    responseCounts: Int, bytes: Int
  ) {
    var bytes = 0
    func table<T>(_: T.Type, _ count: Int) -> Int {
      let offset = bytes
      bytes += (MemoryLayout<T>.stride * count + 63) / 64 * 64
      return offset
    }
    return (
      table(Double.self, k), table(Double.self, segments * k), table(Double.self, segments),
      table(Double.self, segments * reciprocals), table(DecodingParameters.self, segments),
      table(Double.self, segments * k), table(Int.self, segments),
      table(Double.self, scratch),
      table(Double.self, scratch), table(Double.self, scratch), table(Int.self, scratch),
      table(DivisionTally.self, 1 + 2 * segments), table(Int.self, segments * k * 2),
      table(Int.self, segments * k * 2), bytes
    )
  }

  /// Agent `i`'s segment (segments are contiguous id ranges).
  @inline(__always)
  func segment(of i: Int) -> Int {
    var s = 0
    while i >= segmentEnds[s] { s += 1 }
    return s
  }

  /// Proposer `i`'s utility of each offer (in ``utilities``): its acceptance beliefs from its context window, and
  /// the population norm (`nil` before one is observed).
  @inline(__always)
  func proposerUtilities(agent i: Int, segment s: Int, motives: Motives, norm: Double?) {
    let k = options
    if responderDecides {
      memory.acceptanceBeliefs(
        agent: i, prior: UnsafeBufferPointer(start: priors + s * k, count: k), priorWeight: priorWeights[s],
        reciprocals: reciprocals + s * (memory.capacity + 1), into: UnsafeMutableBufferPointer(start: beliefs, count: k)
      )
    }
    Game.proposerUtilities(
      motives: motives, shares: UnsafeBufferPointer(start: shares, count: k),
      accept: UnsafeBufferPointer(start: beliefs, count: k), norm: norm,
      into: UnsafeMutableBufferPointer(start: utilities, count: k))
  }

  /// The responder's utilities of accepting and rejecting offer `k` (in ``utilities``).
  @inline(__always)
  func responderUtilities(motives: Motives, offer k: Int) {
    let (accept, reject) = game.responderUtilities(motives: motives, offerShare: shares[k])
    utilities[0] = accept
    utilities[1] = reject
  }

  /// The surrogate features of a decision of `count` options whose utilities `compute(m)` writes into
  /// ``utilities`` for motives `m`; ``utilities`` is left as it was (the decoder's fallback reads it).
  func surrogate(count: Int, salient: Int, amount: Bool, _ compute: (Motives) -> Void) -> SurrogateFeatures {
    let saved = Array(UnsafeBufferPointer(start: utilities, count: count))
    defer { utilities.update(from: saved, count: count) }
    return SurrogateFeatures(count: count, salient: salient, amount: amount) {
      compute($0)
      return Array(UnsafeBufferPointer(start: utilities, count: count))
    }
  }

  /// The decoder's choice among the first `count` ``utilities`` for an agent of segment `s`; an offer is a choice of
  /// an amount (weighed by the segment's ``logWeights``), accepting or rejecting is not.
  @inline(__always)
  func decode(count: Int, salient: Int, segment s: Int, amount: Bool, rng: UnsafeMutablePointer<gsl_rng>) -> Int {
    ChoiceDecoder.choose(
      utilities: UnsafeBufferPointer(start: utilities, count: count), salient: salient, parameters: decoding[s],
      probabilities: probabilities, order: order, rng: rng, logWeights: amount ? logWeights + s * options : nil)
  }

  /// Proposer `i`'s offer, decoded.
  @inline(__always)
  func propose(agent i: Int, segment s: Int, motives: Motives, norm: Double?, rng: UnsafeMutablePointer<gsl_rng>)
    -> Int
  {
    proposerUtilities(agent: i, segment: s, motives: motives, norm: norm)
    return decode(count: options, salient: salient, segment: s, amount: true, rng: rng)
  }

  /// Whether responder `j` of segment `s` accepts offer `k`, decoded (always, when the responder has no say). Under
  /// the strategy method it states its minimum acceptable offer first (``minimumUtilities(motives:)``) and accepts
  /// exactly the offers at or above it.
  @inline(__always)
  func respond(agent j: Int, segment s: Int, motives: Motives, offer k: Int, rng: UnsafeMutablePointer<gsl_rng>)
    -> Bool
  {
    lastMinimum = -1
    guard responderDecides else { return true }
    if strategyMethod {
      minimumUtilities(motives: motives)
      let m = decode(count: options, salient: salient, segment: s, amount: true, rng: rng)
      state(minimum: m, agent: j)
      return k >= m
    }
    responderUtilities(motives: motives, offer: k)
    return decode(count: 2, salient: 0, segment: s, amount: false, rng: rng) == 0
  }

  /// Records responder `j`'s stated minimum `m` (grid steps) for the tallies and agents.csv.
  @inline(__always)
  func state(minimum m: Int, agent j: Int) {
    lastMinimum = m
    minimums?[j] = shares[m]
  }

  /// The responder's utility of stating each minimum acceptable offer m (in ``utilities``): the expected utility of
  /// the rule "accept at or above m" when every offer on the grid is equally likely, up to a constant,
  /// `sum over offers s >= m of h (U(accept s) - U(reject s))` with h the grid's spacing; its best m is the
  /// smallest offer the responder would accept when asked directly, and the decoder adds the segment's noise.
  @inline(__always)
  func minimumUtilities(motives: Motives) {
    let h = 1 / Double(max(1, options - 1))
    var tail = 0.0
    for m in stride(from: options - 1, through: 0, by: -1) {
      let (accept, reject) = game.responderUtilities(motives: motives, offerShare: shares[m])
      tail += h * (accept - reject)
      utilities[m] = tail
    }
  }

  /// Writes an interaction's outcome into the agents' state: payoffs, interaction counts, the proposer's window.
  @inline(__always)
  func apply(proposer i: Int, responder j: Int, offer k: Int, accepted: Bool) {
    if accepted {
      let steps = Double(options - 1)
      payoffs[i] += stake * (steps - Double(k)) / steps
      payoffs[j] += stake * Double(k) / steps
    }
    interactions[i] += 1
    interactions[j] += 1
    if responderDecides { memory.record(agent: i, option: k, accepted: accepted) }
  }

  /// Counts an interaction between agents of segments `si` (proposer) and `sj` (responder); a stated minimum
  /// (``lastMinimum``) counts for the whole run and the responder's segment only.
  @inline(__always)
  func count(proposerSegment si: Int, responderSegment sj: Int, offer k: Int, accepted: Bool) {
    let a = accepted ? 1 : 0
    offerCounts[(si * options + k) * 2] += 1
    offerCounts[(si * options + k) * 2 + 1] += a
    responseCounts[(sj * options + k) * 2] += 1
    responseCounts[(sj * options + k) * 2 + 1] += a
    if lastMinimum >= 0 {
      // The stated minimums count for the run and the responder's segment (the strategy method).
      tallies[0].minimums += 1
      tallies[0].minimumStepSum += lastMinimum
      tallies[1 + segments + sj].minimums += 1
      tallies[1 + segments + sj].minimumStepSum += lastMinimum
    }
  }

  /// The tallies of everything ``count(proposerSegment:responderSegment:offer:accepted:)`` counted, made from its
  /// histograms (a pair adds to two histograms, not to three tallies): the run's, by proposer segment and by
  /// responder segment.
  func countedTallies() -> (total: DivisionTally, byProposer: [DivisionTally], byResponder: [DivisionTally]) {
    func tally(_ counts: UnsafeMutablePointer<Int>, segment s: Int, base: DivisionTally) -> DivisionTally {
      var t = base
      for k in 0..<options {
        let bin = (s * options + k) * 2
        if counts[bin] > 0 { t.add(offer: k, count: counts[bin], accepted: counts[bin + 1]) }
      }
      return t
    }
    let byProposer = (0..<segments).map { tally(offerCounts, segment: $0, base: tallies[1 + $0]) }
    let byResponder = (0..<segments).map { tally(responseCounts, segment: $0, base: tallies[1 + segments + $0]) }
    var total = tallies[0]
    for t in byProposer {
      total.merge(t)
    }
    return (total, byProposer, byResponder)
  }

  /// Plays the pairs `pairs` of a round with the decoder, drawing from `rng`: agents `proposers[p]` and
  /// `responders[p]`, whose preference records are in `values`. Writes each outcome into the agents' state (each
  /// agent plays once a round, so no decision of the round reads what another wrote, and threads playing other
  /// pairs write other agents), writes `offer * 2 + accepted` of pair p into `outcomes[p - outcomeBase]` (when
  /// given), and counts it.
  func play(
    pairs: Range<Int>, proposers: UnsafePointer<Int32>, responders: UnsafePointer<Int32>,
    values: UnsafePointer<Double>, norm: Double?, rng: UnsafeMutablePointer<gsl_rng>,
    outcomes: UnsafeMutablePointer<Int32>?, outcomeBase: Int
  ) {
    let width = Population.dimensions
    let ahead = 4
    for p in pairs {
      if p + ahead < pairs.upperBound {
        // Random agents: start loading the state of a later pair while this one is decided.
        let (i, j) = (Int(proposers[p + ahead]), Int(responders[p + ahead]))
        agora_prefetch(values + i * width)
        agora_prefetch(values + i * width + width - 1)
        agora_prefetch(values + j * width)
        agora_prefetch(values + j * width + width - 1)
        agora_prefetch(payoffs + i)
        agora_prefetch(payoffs + j)
        agora_prefetch(interactions + i)
        agora_prefetch(interactions + j)
        memory.prefetch(agent: i)
      }
      let i = Int(proposers[p])
      let j = Int(responders[p])
      let si = segment(of: i)
      let sj = segment(of: j)
      let k = propose(agent: i, segment: si, motives: Motives(record: values + i * width), norm: norm, rng: rng)
      let accepted = respond(agent: j, segment: sj, motives: Motives(record: values + j * width), offer: k, rng: rng)
      apply(proposer: i, responder: j, offer: k, accepted: accepted)
      count(proposerSegment: si, responderSegment: sj, offer: k, accepted: accepted)
      outcomes?[p - outcomeBase] = Int32(k) * 2 + (accepted ? 1 : 0)
    }
  }
}
