import AgoraCore

/// One run of a ``MatchGame`` over a population, in synchronous rounds on the event scheduler: at round r a `match`
/// event forms the groups (random pairs, fixed pairs, groups of `size` regrouped or kept, or every pair of agents
/// in a round-robin), one `play` event per block of matches plays them, and a `close` event records the round.
///
/// Matches of block b draw from decision stream b, so results do not depend on how blocks are spread over threads.
public struct MatchRun<Game: MatchGame> {
  /// Matches per decision stream.
  public static var blockSize: Int { 2048 }

  public private(set) var game: Game
  public let scenario: ScenarioSpec
  public var population: Population { context.population }
  public private(set) var context: MatchContext
  /// One row per round: the round's counts, and the mean and Gini of payoffs so far.
  public private(set) var steps:
    [(step: Int, time: Double, matches: Int, counters: GameCounters, meanPayoff: Double, gini: Double)] = []
  let seeds: SeedSequence
  var decisionStreams: [RandomStream] = []
  /// The network of `matching: network`, drawn from the matching stream before the first round (empty otherwise).
  var network = Network(nodes: 0, edges: [])
  /// The `games` table's rows (round, game, then the game's ``MatchGame/gameColumns``), row after row.
  public private(set) var gameValues: [Double] = []

  public init(
    game: Game, scenario: ScenarioSpec, population: Population, seeds: SeedSequence,
    languageModel: (any ExternalDeciders)? = nil
  ) {
    self.game = game
    self.scenario = scenario
    self.seeds = seeds
    context = MatchContext(
      population: population, counters: game.counterNames.count, strategies: Game.strategies,
      stream: seeds.stream(for: .decisions, index: 0, generator: scenario.generator),
      environment: seeds.stream(for: .environment, generator: scenario.generator), game: Game.type.rawValue)
    context.utilities = [Double](repeating: 0, count: max(64, game.optionCount))
    context.languageModel = languageModel
  }

  /// The agents' payoffs.
  public var payoffs: [Double] { context.payoffs }

  enum RoundEvent {
    case match(round: Int)
    case play(block: Int)
    case close(round: Int)
  }

  /// Plays every round; `setup`, when given, records the agents' steps that `output.agent_steps` asks for.
  public mutating func run(progress: ((Double) -> Void)? = nil, setup: RunSetup? = nil) throws {
    let n = population.count
    let rounds = scenario.game.rounds
    let matching = seeds.stream(for: .matching, generator: scenario.generator)
    let size = groupSize
    var members: [Int32] = []
    var formed = false
    var matchCount = 0
    var played = 0
    var before = context.total
    var simulation = Simulation<RoundEvent>()
    simulation.schedule(.match(round: 0), at: 1)
    let sink = setup?.events
    if sink != nil { context.events = [] }
    if !Game.gameColumns.isEmpty { context.games = [] }
    if let names = setup?.agentValueNames, !names.isEmpty { game.keepAgentStepValues(names, agents: n) }
    while let event = simulation.next() {
      switch event {
      case .match(let r):
        let keep =
          scenario.matching.type == .fixedPairs || (scenario.matching.type == .groups && scenario.matching.partner)
        if !formed && scenario.matching.type == .network {
          network = scenario.matching.network.network(nodes: n, stream: matching)
        }
        if !formed || !keep || scenario.matching.type == .network {
          members = form(round: r, stream: matching)
          formed = true
        }
        matchCount = members.count / size
        played += matchCount
        before = context.total
        let blocks = (matchCount + Self.blockSize - 1) / Self.blockSize
        while decisionStreams.count < blocks {
          decisionStreams.append(
            seeds.stream(for: .decisions, index: UInt64(decisionStreams.count), generator: scenario.generator))
        }
        for b in 0..<blocks { simulation.schedule(.play(block: b), at: simulation.now) }
        simulation.schedule(.close(round: r), at: simulation.now, priority: 1)
      case .play(let b):
        context.stream = decisionStreams[b]
        context.time = simulation.now
        let round = Int(simulation.now) - 1
        let play = { (game: inout Game, context: inout MatchContext) in
          members.withUnsafeBufferPointer { all in
            for g in (b * Self.blockSize)..<min(matchCount, (b + 1) * Self.blockSize) {
              let group = UnsafeBufferPointer(rebasing: all[(g * size)..<((g + 1) * size)])
              for i in group { context.matches[Int(i)] += 1 }
              context.languageModel?.beginMatch()
              context.languageModel?.locate(round: round + 1, group: g)
              context.matchIndex = g
              game.play(MatchGroup(group, index: g), round: round, context: &context)
            }
          }
        }
        if let model = context.languageModel {
          // Pass after pass: queue what the model must answer, send it, roll the block back, play it again.
          // The game and the context are values (their windows too): a saved copy is the block's snapshot.
          let savedGame = game
          let savedContext = context
          let savedStreams = (context.stream.copy(), context.environment.copy())
          model.playInPasses({ play(&game, &context) }) {
            game = savedGame
            context = savedContext
            context.stream.restore(savedStreams.0)
            context.environment.restore(savedStreams.1)
          }
        } else {
          play(&game, &context)
        }
        if let sink, let events = context.events {
          for event in events { try sink(event) }
          context.events = []
        }
        if let games = context.games, !games.isEmpty {
          gameValues += games
          context.games = []
        }
      case .close(let r):
        // Debug builds check that every member of every match played was counted once.
        assert(
          context.matches.reduce(0) { $0 + Int($1) } == size * played,
          "round \(r): match counts disagree with \(played) matches of \(size)")
        let payoffs = context.payoffs
        let mean = payoffs.reduce(0, +) / Double(n)
        let gini = (try? Inequality.gini(payoffs)) ?? .nan
        steps.append((r + 1, simulation.now, matchCount, context.total.minus(before), mean, gini))
        let (context, game) = (self.context, self.game)
        try setup?.recordAgents(
          step: r + 1, last: rounds, payoffs: { context.payoffs }, interactions: { context.matches },
          values: { game.agentStepValues($0, context: context) })
        progress?(Double(r + 1) / Double(rounds))
        if r + 1 < rounds { simulation.schedule(.match(round: r + 1), at: Double(r + 2)) }
      }
    }
  }

  /// Agents per match.
  var groupSize: Int {
    if let fixed = game.playersPerMatch { return fixed }
    switch scenario.matching.type {
    case .groups: return scenario.matching.size
    case .market: return population.count
    default: return 2
    }
  }

  /// The agents of every match of a round, flattened: match g is `members[g*size ..< (g+1)*size]`.
  func form(round r: Int, stream: RandomStream) -> [Int32] {
    let n = population.count
    switch scenario.matching.type {
    case .network:
      // Every linked pair once, the first mover alternating by round (the network is drawn in round 0).
      var members: [Int32] = []
      members.reserveCapacity(2 * network.edgeCount)
      for (i, j) in network.edges {
        let swap = (i + j + r) & 1 == 1
        members.append(Int32(swap ? j : i))
        members.append(Int32(swap ? i : j))
      }
      return members
    case .roundRobin:
      var members: [Int32] = []
      members.reserveCapacity(n * (n - 1))
      for i in 0..<n {
        for j in (i + 1)..<max(i + 1, n) {
          let swap = (i + j + r) & 1 == 1
          members.append(Int32(swap ? j : i))
          members.append(Int32(swap ? i : j))
        }
      }
      return members
    case _ where groupSize != 2:
      var everyone = (0..<Int32(n)).map { $0 }
      stream.shuffle(&everyone)
      return Array(everyone.prefix(n / groupSize * groupSize))
    default:
      var first: [Int32] = []
      var second: [Int32] = []
      switch game.roles {
      case .random:
        var everyone = (0..<Int32(n)).map { $0 }
        stream.shuffle(&everyone)
        return Array(everyone.prefix(n / 2 * 2))
      case .swap, .fixed:
        let flip = game.roles == .swap && r & 1 == 1
        for i in 0..<n {
          if population.isEvenInSegment(i) != flip { first.append(Int32(i)) } else { second.append(Int32(i)) }
        }
        stream.shuffle(&first)
        stream.shuffle(&second)
      }
      var members: [Int32] = []
      members.reserveCapacity(2 * min(first.count, second.count))
      for k in 0..<min(first.count, second.count) {
        members.append(first[k])
        members.append(second[k])
      }
      return members
    }
  }
}
