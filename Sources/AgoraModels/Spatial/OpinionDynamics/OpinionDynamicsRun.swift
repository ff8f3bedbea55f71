import AgoraCore

/// Bounded-confidence opinion dynamics on a network or in a well-mixed population. Every agent holds an opinion
/// `x_i` in [0, 1] (uniform, or its value of a latent preference). Each step:
/// - `dw` (Deffuant, Neau, Amblard and Weisbuch 2000): `interactions_per_step` meetings, each a uniformly random edge
///   of the network (under `random_pairs`, a uniformly random pair of distinct agents); when
///   `|x_i - x_j| < epsilon` both move, from the old values, `x_i += mu (x_j - x_i)` and `x_j += mu (x_i - x_j)`;
/// - `hk` (Hegselmann and Krause 2002): every agent at once moves to the mean of its own opinion and its neighbours'
///   (every agent's, under `random_pairs`) that lie within `epsilon` of it, bounds included;
/// - `decoder`: `dw` meetings where each of the two agents decides with its segment's decoder whether to move, from
///   `U(keep) = 0`, `U(move) = sharpness (epsilon - |x_i - x_j|)`, the `dw` answer being the salient option (so
///   temperature 0 gives `dw` exactly).
public struct OpinionDynamicsRun {
  public let scenario: ScenarioSpec
  public let population: Population
  let parameters: OpinionDynamicsParameters
  let seeds: SeedSequence
  let decoding: [DecodingParameters]
  var decoder = ChoiceDecoder(capacity: 2)
  var utilities: [Double] = [0, 0]
  /// The language-model agents of the run, when a segment has `policy: llm` (with the decoder rule).
  public var languageModel: (any ExternalDeciders)? = nil

  /// The network the agents are the nodes of; `nil` under `random_pairs` (the complete graph: well mixed).
  public let network: Network?
  public let initialOpinion: [Double]
  public private(set) var opinion: [Double]
  /// The opinions at the end of the step before (for the largest change of a step).
  var previous: [Double]
  /// Scratch: the opinions sorted (measures), the next opinions, the agents in opinion order and the prefix sums
  /// of their opinions (`hk`).
  var sortedOpinion: [Double]
  var next: [Double]
  var order: [Int32]
  var prefix: [Double]
  /// Each agent's meetings (`hk`: neighbours compared) and those in which it moved (`hk`: neighbours within epsilon).
  public private(set) var met: [Int]
  public private(set) var moved: [Int]
  /// The first opinions (step 0), then one record per sampled step.
  public private(set) var initial: OpinionStep
  public private(set) var steps: [OpinionStep] = []
  /// Meetings and agreements over the run.
  public private(set) var interactions = 0
  public private(set) var agreements = 0
  /// The last step whose largest change reached `tolerance` (0: none).
  public private(set) var lastUnsettled = 0

  public init(scenario: ScenarioSpec, population: Population, seeds: SeedSequence) {
    self.scenario = scenario
    self.population = population
    self.seeds = seeds
    let p = OpinionDynamicsRun.parameters(scenario)
    parameters = p
    decoding = population.segments.map(\.decoding)
    let n = population.count
    network =
      scenario.matching.type == .network
      ? scenario.matching.network.network(
        nodes: n, stream: seeds.stream(for: .matching, generator: scenario.generator))
      : nil
    let start: [Double]
    if let preference = p.initialPreference {
      start = (0..<n).map { min(1, max(0, population.value(preference, of: $0))) }
    } else {
      let nature = seeds.stream(for: .environment, generator: scenario.generator)
      start = (0..<n).map { _ in nature.uniform() }
    }
    initialOpinion = start
    opinion = start
    previous = start
    sortedOpinion = start
    next = start
    order = (0..<Int32(n)).map { $0 }
    prefix = [Double](repeating: 0, count: n + 1)
    met = [Int](repeating: 0, count: n)
    moved = [Int](repeating: 0, count: n)
    // `measure` reads the run, so every property is set before it measures the first opinions.
    var first = OpinionStep(step: 0)
    initial = first
    measure(&first)
    initial = first
  }

  public mutating func run(progress: ((Double) -> Void)? = nil) {
    let rounds = scenario.game.rounds
    let pairs = seeds.stream(for: .matching, index: 1, generator: scenario.generator)
    let decisions = seeds.stream(for: .decisions, generator: scenario.generator)
    let meetings = parameters.interactions(agents: population.count)
    for step in 1...rounds {
      languageModel?.locate(round: step, group: -1)
      var record = OpinionStep(step: step)
      switch parameters.rule {
      case .dw, .decoder: meet(meetings, pairs: pairs, decisions: decisions, record: &record)
      case .hk: network == nil ? averageAll(&record) : averageNeighbours(&record)
      }
      interactions += record.interactions
      agreements += record.agreements
      var change = 0.0
      for i in 0..<opinion.count {
        change = max(change, abs(opinion[i] - previous[i]))
        previous[i] = opinion[i]
      }
      record.maxChange = change
      if !(change < parameters.tolerance) { lastUnsettled = step }
      if step % parameters.sampleEvery == 0 || step == rounds {
        measure(&record)
        steps.append(record)
      }
      progress?(Double(step) / Double(rounds))
    }
  }

  /// The first step from which every step's largest change stayed below `tolerance` (`nil`: the last one's did not).
  public var convergedStep: Int? { lastUnsettled < scenario.game.rounds ? lastUnsettled + 1 : nil }

  /// `count` meetings of `dw` or `decoder`: a random edge (or pair), and the moves its agents make.
  mutating func meet(
    _ count: Int, pairs: RandomStream, decisions: RandomStream, record: inout OpinionStep
  ) {
    let n = population.count
    let (epsilon, mu, decodes) = (parameters.epsilon, parameters.mu, parameters.rule == .decoder)
    let offsets = network?.offsets ?? []
    let targets = network?.targets ?? []
    // A network without edges holds no meetings.
    guard network == nil ? n >= 2 : !targets.isEmpty else { return }
    for _ in 0..<count {
      let i: Int
      let j: Int
      if network == nil {
        i = pairs.integer(below: n)
        let other = pairs.integer(below: n - 1)
        j = other >= i ? other + 1 : other
      } else {
        // A uniform edge end: its target, and its source (the node whose list holds it).
        let end = pairs.integer(below: targets.count)
        j = Int(targets[end])
        i = Self.source(of: end, offsets)
      }
      let d = opinion[j] - opinion[i]
      let close = abs(d) < epsilon
      let movesI = decodes ? decide(i, other: j, distance: abs(d), decisions: decisions) : close
      let movesJ = decodes ? decide(j, other: i, distance: abs(d), decisions: decisions) : close
      if movesI {
        opinion[i] += mu * d
        moved[i] += 1
      }
      if movesJ {
        opinion[j] -= mu * d
        moved[j] += 1
      }
      met[i] += 1
      met[j] += 1
      record.interactions += 1
      if movesI || movesJ { record.agreements += 1 }
    }
  }

  /// The node whose neighbour list holds position `end` of `targets`: the last `i` with `offsets[i] <= end`.
  static func source(of end: Int, _ offsets: [Int]) -> Int {
    var (lo, hi) = (0, offsets.count - 1)
    while hi - lo > 1 {
      let mid = (lo + hi) / 2
      if offsets[mid] <= end { lo = mid } else { hi = mid }
    }
    return lo
  }

  /// The decoder rule: whether agent `i`, meeting `other` at `distance`, moves towards it.
  mutating func decide(_ i: Int, other: Int, distance: Double, decisions: RandomStream) -> Bool {
    let epsilon = parameters.epsilon
    utilities[0] = 0
    utilities[1] = parameters.sharpness * (epsilon - distance)
    let (mine, theirs, mu) = (opinion[i], opinion[other], parameters.mu)
    let asks = languageModel != nil
    let choice = choose(i, options: 2, salient: distance < epsilon ? 1 : 0, stream: decisions) {
      DecisionPrompt(
        kind: "opinion_dynamics.update",
        rules: asks
          ? "You hold an opinion on a question, on a scale from 0 to 1. You discuss it with people you know, one at "
            + "a time. After each talk you either keep your opinion or move \(DecisionPrompt.amount(mu * 100))% of "
            + "the way towards theirs." : "",
        question: "Your opinion is \(DecisionPrompt.amount(mine)); theirs is \(DecisionPrompt.amount(theirs)). "
          + "Do you keep yours or move towards theirs?",
        options: ["keep my opinion", "move towards theirs"])
    }
    return choice == 1
  }

  /// `hk` on the network: every agent moves to the mean of itself and its neighbours within epsilon (old values).
  mutating func averageNeighbours(_ record: inout OpinionStep) {
    guard let network else { return }
    let epsilon = parameters.epsilon
    for i in 0..<opinion.count {
      let x = opinion[i]
      var (sum, within) = (x, 1)
      for k in network.offsets[i]..<network.offsets[i + 1] {
        let y = opinion[Int(network.targets[k])]
        if abs(y - x) <= epsilon {
          sum += y
          within += 1
        }
      }
      next[i] = sum / Double(within)
      record.interactions += network.offsets[i + 1] - network.offsets[i]
      record.agreements += within - 1
      met[i] += network.offsets[i + 1] - network.offsets[i]
      moved[i] += within - 1
    }
    swap(&opinion, &next)
  }

  /// `hk` in the well-mixed population (the complete graph): the agents in opinion order, each window of opinions
  /// within epsilon found by two pointers and averaged from prefix sums, O(n log n) a step.
  mutating func averageAll(_ record: inout OpinionStep) {
    let n = opinion.count
    let (x, epsilon) = (opinion, parameters.epsilon)
    order.sort { x[Int($0)] < x[Int($1)] || (x[Int($0)] == x[Int($1)] && $0 < $1) }
    for k in 0..<n { prefix[k + 1] = prefix[k] + x[Int(order[k])] }
    var (lo, hi) = (0, 0)
    for k in 0..<n {
      let v = x[Int(order[k])]
      while !(abs(x[Int(order[lo])] - v) <= epsilon) { lo += 1 }
      if hi < k { hi = k }
      while hi + 1 < n && abs(x[Int(order[hi + 1])] - v) <= epsilon { hi += 1 }
      let i = Int(order[k])
      next[i] = (prefix[hi + 1] - prefix[lo]) / Double(hi - lo + 1)
      met[i] += n - 1
      moved[i] += hi - lo
      record.agreements += hi - lo
    }
    record.interactions += n * (n - 1)
    swap(&opinion, &next)
  }
}
