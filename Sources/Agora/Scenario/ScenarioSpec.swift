/// A resolved scenario: what one run simulates. Decoded from YAML by ``ScenarioLoader``, with defaults filled in
/// and every value validated; encodes back to the same keys for the run manifest.
public struct ScenarioSpec: Sendable, Codable, Hashable {
  /// The scenario's name; the default output folder is `Results/<name>/seed-<seed>`.
  public var name: String
  /// Free text describing the scenario.
  public var description: String = ""
  /// The master seed.
  public var seed: UInt64 = 1
  /// The GSL generator algorithm of every stream.
  public var rng: String = RandomGenerator.taus2.name
  public var game: GameSpec
  public var matching: MatchingSpec = MatchingSpec()
  public var population: PopulationSpec
  public var output: OutputSpec = OutputSpec()

  enum CodingKeys: String, CodingKey, CaseIterable {
    case name, description, seed, rng, game, matching, population, output
  }

  /// The generator named by `rng` (validated when the scenario loads).
  public var generator: RandomGenerator { RandomGenerator(name: rng) ?? .taus2 }
}

/// The game played, with its parameters.
public struct GameSpec: Sendable, Codable, Hashable {
  /// The game's type name.
  public var type: GameType
  /// The amount divided in one interaction.
  public var stake: Double = 100
  /// The spacing of the offer grid 0, step, 2*step, ..., stake.
  public var offerStep: Double = 5
  /// Synchronous rounds, or the simulated duration in time units under asynchronous matching.
  public var rounds: Int = 1
  /// How proposer and responder roles are assigned.
  public var roles: RoleAssignment = .swap
  /// Trust: what the investor sends is multiplied by this.
  public var multiplier: Double = 3
  /// Public goods: the marginal per-capita return of a contribution.
  public var mpcr: Double = 0.4
  /// Public goods: whether a costly punishment stage follows each contribution stage.
  public var punishment: Bool = false
  /// Public goods: what one punishment point costs the punisher.
  public var punishmentCost: Double = 1
  /// Public goods: what one punishment point takes from the punished.
  public var punishmentImpact: Double = 3
  /// Public goods: the most points one agent can assign to one group member per round.
  public var punishmentMax: Int = 5
  /// Prisoner's dilemma: the stage payoffs.
  public var payoffs: PayoffMatrix = PayoffMatrix()
  /// Prisoner's dilemma: stages per match (1: one-shot).
  public var horizon: Int = 1
  /// Prisoner's dilemma: if > 0, after each stage the match goes on with this probability (instead of `horizon`).
  public var continuation: Double = 0
  /// Prisoner's dilemma: the probability that a chosen move is flipped (a trembling hand).
  public var noise: Double = 0
  /// Bargaining, negotiation: the horizon is "unbounded": play stops after 99 rounds, and agents are not told.
  public var horizonUnbounded: Bool = false
  /// Bargaining: Alice's and Bob's discount factors.
  public var deltaA: Double = 0.9
  public var deltaB: Double = 0.9
  /// Bargaining: the discount factors an agent thinks possible for the other under incomplete information.
  public var deltaPrior: [Double] = [0.8, 0.9, 0.95, 1]
  /// Negotiation: the seller's (Alice's) and buyer's (Bob's) values of the good, as factors of the stake M.
  public var valueA: Double = 1
  public var valueB: Double = 1.2
  /// Negotiation: the value factors an agent thinks possible for the other under incomplete information.
  public var valuePrior: [Double] = [0.8, 1, 1.2, 1.5]
  /// Bargaining, negotiation: whether each knows the other's discount factor or value.
  public var information: Information = .complete
  /// Bargaining, negotiation: whether the responder may state a demand (cheap talk) before each offer.
  public var messages: Bool = false
  /// Persuasion: the probability that the product is of high quality.
  public var qualityPrior: Double = 0.5
  /// Persuasion: the buyer's value of a high-quality product, as a factor of the price M.
  public var buyerValue: Double = 1.25
  /// Persuasion: the buyer values the seller thinks possible when it does not know the buyer's value.
  public var buyerValuePrior: [Double] = [1.2, 1.25, 2, 3, 4]
  /// Persuasion: whether the seller knows the buyer's value.
  public var sellerKnowsValue: Bool = true
  /// Persuasion: the seller's messages: a binary recommendation, or claims from a small vocabulary.
  public var claims: Claims = .binary
  /// Persuasion: one long-lived buyer who sees the whole history, or a new (myopic) buyer every round who sees
  /// only aggregate statistics.
  public var buyer: BuyerKind = .longLived
  /// Matrix: the payoff bimatrix.
  public var matrix: PayoffBimatrix = .preset(.prisonersDilemma)
  /// Double auction: the distribution of buyers' values (one unit each), drawn once per run.
  public var values: Distribution = .uniform(min: 0, max: 200)
  /// Double auction: the distribution of sellers' costs.
  public var costs: Distribution = .uniform(min: 0, max: 200)
  /// Double auction: the length of a trading period in time units.
  public var periodLength: Double = 1
  /// Double auction: orders each active trader submits per time unit (Poisson).
  public var orderRate: Double = 20
  /// Commons: the commons scenario's parameters.
  public var commons = CommonsSpec()
  /// Dark forest: the galaxy's parameters.
  public var darkForest = DarkForestSpec()
  /// Polity: the society's parameters.
  public var polity = PolitySpec()

  enum CodingKeys: String, CodingKey, CaseIterable {
    case type, stake, offerStep = "offer_step", rounds, roles, multiplier, mpcr, punishment
    case punishmentCost = "punishment_cost", punishmentImpact = "punishment_impact", punishmentMax = "punishment_max"
    case payoffs, horizon, continuation, noise, deltaA = "delta_a", deltaB = "delta_b", deltaPrior = "delta_prior"
    case valueA = "value_a", valueB = "value_b", valuePrior = "value_prior", information, messages
    case qualityPrior = "quality_prior", buyerValue = "buyer_value", buyerValuePrior = "buyer_value_prior"
    case sellerKnowsValue = "seller_knows_value", claims, buyer, matrix, values, costs
    case periodLength = "period_length", orderRate = "order_rate", commons, darkForest = "dark_forest", polity
  }

  /// The rounds (periods, months or time units) a game or world of `type` has when the scenario does not say.
  static func defaultRounds(for type: GameType) -> Int {
    switch type {
    case .commons: return 12
    case .polity: return 50
    case .darkForest: return 200
    default: return 1
    }
  }

  /// The horizon a game of `type` has when the scenario does not say.
  static func defaultHorizon(for type: GameType) -> Int {
    switch type {
    case .bargaining: return 12
    case .negotiation: return 10
    case .persuasion: return 20
    default: return 1
    }
  }

  /// The horizon of play ("unbounded" plays at most 99 rounds).
  public var playedHorizon: Int { horizonUnbounded ? 99 : horizon }

  /// The keys a game of `type` takes (the others are errors, so a key meant for another game is caught).
  static func keys(for type: GameType) -> [CodingKeys] {
    switch type {
    case .ultimatum, .dictator: return [.type, .stake, .offerStep, .rounds, .roles]
    case .trust: return [.type, .stake, .offerStep, .rounds, .roles, .multiplier]
    case .publicGoods:
      return [
        .type, .stake, .offerStep, .rounds, .mpcr, .punishment, .punishmentCost, .punishmentImpact, .punishmentMax,
      ]
    case .prisonersDilemma: return [.type, .rounds, .payoffs, .horizon, .continuation, .noise]
    case .bargaining:
      return [.type, .stake, .offerStep, .rounds, .deltaA, .deltaB, .deltaPrior, .horizon, .information, .messages]
    case .negotiation:
      return [.type, .stake, .offerStep, .rounds, .valueA, .valueB, .valuePrior, .horizon, .information, .messages]
    case .persuasion:
      return [
        .type, .stake, .rounds, .horizon, .qualityPrior, .buyerValue, .buyerValuePrior, .sellerKnowsValue, .claims,
        .buyer,
      ]
    case .matrix: return [.type, .rounds, .roles, .horizon, .matrix]
    case .doubleAuction: return [.type, .stake, .offerStep, .rounds, .values, .costs, .periodLength, .orderRate]
    case .commons: return [.type, .rounds, .commons]
    case .darkForest: return [.type, .rounds, .darkForest]
    case .polity: return [.type, .rounds, .polity]
    }
  }

  /// The number of offers on the grid.
  public var offerCount: Int { Int((stake / offerStep).rounded()) + 1 }

  /// The offer grid as shares of the stake: `0, 1/(k-1), ..., 1` for `offerCount` k.
  public var shareGrid: [Double] {
    let k = offerCount
    return (0..<k).map { Double($0) / Double(k - 1) }
  }
}

/// The games Agora plays.
public enum GameType: String, Sendable, Codable, Hashable, CaseIterable {
  case ultimatum, dictator, trust
  case publicGoods = "public_goods"
  case prisonersDilemma = "prisoners_dilemma"
  case bargaining, negotiation, persuasion, matrix
  case doubleAuction = "double_auction"
  /// A civilization scenario: many villages sharing renewable stocks (GovSim's common-pool dilemma, federated).
  case commons
  /// A civilization scenario: civilizations in a galaxy that broadcast, hide, cooperate or strike, with signals at
  /// light speed and slower fleets (CosmoAgent, in continuous time).
  case darkForest = "dark_forest"
  /// A civilization scenario: households that work, trade two goods, pay bracketed taxes, vote and exchange opinions.
  case polity

  /// The games whose interactions `output.events` logs to `events.csv` (one row per proposal and answer).
  public static let withEvents: [GameType] = [.ultimatum, .dictator]

  /// The matching protocols the game can be played under; the first is the default.
  public var matchings: [MatchingType] {
    switch self {
    case .ultimatum, .dictator: return [.randomPairs, .asynchronous]
    case .trust: return [.randomPairs, .fixedPairs]
    case .publicGoods: return [.groups]
    case .prisonersDilemma: return [.randomPairs, .fixedPairs, .roundRobin]
    case .bargaining, .negotiation, .persuasion: return [.randomPairs, .fixedPairs]
    case .matrix: return [.randomPairs, .fixedPairs, .roundRobin]
    case .doubleAuction: return [.market]
    case .commons: return [.villages]
    case .darkForest: return [.galaxy]
    case .polity: return [.society]
    }
  }
}

/// What each player of a bargaining or negotiation game knows about the other's discount factor or value.
public enum Information: String, Sendable, Codable, Hashable, CaseIterable {
  case complete, incomplete
}

/// The messages of a persuasion game's seller.
public enum Claims: String, Sendable, Codable, Hashable, CaseIterable {
  /// "high quality" or "low quality".
  case binary
  /// A claim from "excellent", "good", "fair", "poor".
  case text
}

/// The buyers of a persuasion game.
public enum BuyerKind: String, Sendable, Codable, Hashable, CaseIterable {
  case longLived = "long_lived"
  case myopic
}

/// A two-player normal-form game: the row and column players' actions and payoffs (`row[a][b]` is the row
/// player's payoff when it plays `a` and the column player `b`).
public struct PayoffBimatrix: Sendable, Codable, Hashable {
  public var rowActions: [String]
  public var columnActions: [String]
  public var row: [[Double]]
  public var column: [[Double]]
  /// The preset it came from, if any.
  public var name: String?

  enum CodingKeys: String, CodingKey, CaseIterable {
    case preset, rowActions = "row_actions", columnActions = "column_actions", row, column
  }

  /// The named classic games.
  public enum Preset: String, Sendable, CaseIterable {
    case prisonersDilemma = "prisoners_dilemma"
    case stagHunt = "stag_hunt"
    case chicken
    case battleOfTheSexes = "battle_of_the_sexes"
    case matchingPennies = "matching_pennies"
  }

  public init(rowActions: [String], columnActions: [String], row: [[Double]], column: [[Double]], name: String? = nil) {
    self.rowActions = rowActions
    self.columnActions = columnActions
    self.row = row
    self.column = column
    self.name = name
  }

  /// A classic game with its textbook payoffs.
  public static func preset(_ p: Preset) -> PayoffBimatrix {
    switch p {
    case .prisonersDilemma:
      return PayoffBimatrix(
        rowActions: ["cooperate", "defect"], columnActions: ["cooperate", "defect"], row: [[3, 0], [5, 1]],
        column: [[3, 5], [0, 1]], name: p.rawValue)
    case .stagHunt:
      return PayoffBimatrix(
        rowActions: ["stag", "hare"], columnActions: ["stag", "hare"], row: [[4, 0], [3, 3]],
        column: [[4, 3], [0, 3]],
        name: p.rawValue)
    case .chicken:
      return PayoffBimatrix(
        rowActions: ["swerve", "straight"], columnActions: ["swerve", "straight"], row: [[0, -1], [1, -10]],
        column: [[0, 1], [-1, -10]], name: p.rawValue)
    case .battleOfTheSexes:
      return PayoffBimatrix(
        rowActions: ["opera", "football"], columnActions: ["opera", "football"], row: [[3, 0], [0, 2]],
        column: [[2, 0], [0, 3]], name: p.rawValue)
    case .matchingPennies:
      return PayoffBimatrix(
        rowActions: ["heads", "tails"], columnActions: ["heads", "tails"], row: [[1, -1], [-1, 1]],
        column: [[-1, 1], [1, -1]], name: p.rawValue)
    }
  }
}

/// The commons scenario: villages sharing renewable stocks, harvest requests at jittered times, monthly councils
/// voting a quota, audits with fines, turnover, migration with travel delay, and droughts.
public struct CommonsSpec: Sendable, Codable, Hashable {
  /// Agents per village (at the start).
  public var villageSize = 5
  /// Each village's stock at the start, and its carrying capacity.
  public var stock = 100.0
  public var capacity = 100.0
  /// A stock below this at the end of a month has collapsed.
  public var threshold = 5.0
  /// `doubling` (GovSim: the stock doubles each month up to capacity) or `logistic` (rate `growth_rate`).
  public var regrowth: Regrowth = .doubling
  public var growthRate = 1.0
  /// The largest harvest one agent can request in a month.
  public var maxHarvest = 20
  /// Harvest requests fall at uniformly jittered times within this fraction of the month.
  public var jitter = 1.0
  /// The probability that a harvest is audited; an audited harvest above the quota pays `fine` per unit over.
  public var auditRate = 0.0
  public var fine = 0.0
  /// Per agent and month: the probability of being replaced by a newcomer (a death and a birth; the newcomer's
  /// context window is empty).
  public var turnoverRate = 0.0
  /// Per agent and month: the probability of leaving for another village, arriving `travel_time` months later with
  /// its norm (the quota it last voted for).
  public var migrationRate = 0.0
  public var travelTime = 1.0
  /// Per village and month: the probability of a drought, which destroys `drought_severity` of the stock.
  public var droughtRate = 0.0
  public var droughtSeverity = 0.5

  /// How a stock regrows at the end of a month.
  public enum Regrowth: String, Sendable, Codable, Hashable, CaseIterable { case doubling, logistic }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case villageSize = "village_size", stock, capacity, threshold, regrowth, growthRate = "growth_rate"
    case maxHarvest = "max_harvest", jitter, auditRate = "audit_rate", fine, turnoverRate = "turnover_rate"
    case migrationRate = "migration_rate", travelTime = "travel_time", droughtRate = "drought_rate"
    case droughtSeverity = "drought_severity"
  }

  public init() {}
}

/// The dark-forest galaxy: where civilizations are, how fast signals and fleets travel, how they grow and decide.
public struct DarkForestSpec: Sendable, Codable, Hashable {
  /// 2 or 3 spatial dimensions; the region is a cube of side `region` (light-years).
  public var dimensions = 2
  public var region = 1000.0
  /// Signal speed (light-years per time unit) and fleet speed (slower than light).
  public var lightSpeed = 100.0
  public var fleetSpeed = 10.0
  /// The share of civilizations alive at time 0; the others are born at Poisson times over the horizon.
  public var initialShare = 0.5
  /// A signal is detected with probability `exp(-distance / detection_scale)` (not beyond 7 scales).
  public var detectionScale = 50.0
  /// Leaked emissions per time unit at full technology and visibility.
  public var leakRate = 0.2
  /// Decision epochs per time unit on an agent's own clock (new information adds epochs).
  public var decisionRate = 1.0
  /// Technology breakthroughs per time unit (each multiplies the technology capacity by 1.5).
  public var breakthroughRate = 0.02
  /// The growth-rate budget (sum of the per-resource rates) and what each cooperation partner adds to it.
  public var growthBudget = 0.5
  public var cooperationBonus = 0.1
  /// Observers within this radius of a strike learn who struck (by signal).
  public var revealRadius = 100.0
  /// Time between rows of `steps.csv`.
  public var sampleInterval = 10.0

  enum CodingKeys: String, CodingKey, CaseIterable {
    case dimensions, region, lightSpeed = "light_speed", fleetSpeed = "fleet_speed", initialShare = "initial_share"
    case detectionScale = "detection_scale", leakRate = "leak_rate", decisionRate = "decision_rate"
    case breakthroughRate = "breakthrough_rate", growthBudget = "growth_budget", cooperationBonus = "cooperation_bonus"
    case revealRadius = "reveal_radius", sampleInterval = "sample_interval"
  }

  public init() {}
}

/// The polity: households with skills who work, gather two goods, trade them, pay bracketed income taxes with an
/// equal rebate, vote on the tax schedule and exchange opinions over a small-world network.
public struct PolitySpec: Sendable, Codable, Hashable {
  /// The distribution of skills (coin per unit of labour).
  public var skill: Distribution = .lognormal(mu: 0, sigma: 0.6)
  /// Periods per tax year (taxes are paid and the schedule voted at its end).
  public var taxPeriod = 10
  /// Income bracket thresholds (per tax year) and the selectable schedules of marginal rates (one rate per
  /// bracket, the first for incomes below the first threshold); the vote picks one schedule (the median).
  public var brackets: [Double] = [5, 15, 40]
  public var schedules: [[Double]] = [
    [0, 0, 0, 0], [0.05, 0.1, 0.15, 0.2], [0.1, 0.2, 0.3, 0.4], [0.1, 0.25, 0.4, 0.55], [0.1, 0.3, 0.5, 0.7],
  ]
  /// The starting schedule (an index into `schedules`).
  public var initialSchedule = 1
  /// Isoelastic utility of coin `(c^(1-eta) - 1)/(1 - eta)` and the labour cost `cost * l^2`.
  public var eta = 0.5
  public var labourCost = 0.5
  /// Random trading pairs per household and period; units of a good exchanged at most per trade.
  public var tradesPerPeriod = 1
  /// Small-world network: neighbours on each side of the ring, rewiring probability.
  public var neighbours = 3
  public var rewiring = 0.1
  /// Mean delay of an opinion message (periods); bounded-confidence threshold and step.
  public var messageDelay = 0.5
  public var confidence = 0.3
  public var convergence = 0.3
  /// How much a household's opinion (its taste for redistribution, in [0, 1]) weighs in its vote.
  public var opinionWeight = 1.0

  enum CodingKeys: String, CodingKey, CaseIterable {
    case skill, taxPeriod = "tax_period", brackets, schedules, initialSchedule = "initial_schedule", eta
    case labourCost = "labour_cost", tradesPerPeriod = "trades_per_period", neighbours, rewiring
    case messageDelay = "message_delay", confidence, convergence, opinionWeight = "opinion_weight"
  }

  public init() {}
}

/// The stage payoffs of a prisoner's dilemma, with T > R > P > S.
public struct PayoffMatrix: Sendable, Codable, Hashable {
  /// Temptation: defecting against a cooperator.
  public var t: Double = 5
  /// Reward: mutual cooperation.
  public var r: Double = 3
  /// Punishment: mutual defection.
  public var p: Double = 1
  /// Sucker's payoff: cooperating against a defector.
  public var s: Double = 0

  enum CodingKeys: String, CodingKey, CaseIterable { case t = "T", r = "R", p = "P", s = "S" }

  public init(t: Double = 5, r: Double = 3, p: Double = 1, s: Double = 0) {
    self.t = t
    self.r = r
    self.p = p
    self.s = s
  }

  /// The row player's payoff when it plays `mine` and the other plays `theirs` (true = cooperate).
  public func payoff(_ mine: Bool, _ theirs: Bool) -> Double {
    switch (mine, theirs) {
    case (true, true): return r
    case (true, false): return s
    case (false, true): return t
    case (false, false): return p
    }
  }
}

/// How roles are assigned in two-role games.
public enum RoleAssignment: String, Sendable, Codable, Hashable, CaseIterable {
  /// Each agent's role alternates every round (half of each segment starts as proposer).
  case swap
  /// Half of each segment proposes in every round, the other half always responds.
  case fixed
  /// The role is drawn anew for every pair.
  case random
}

/// How agents meet.
public struct MatchingSpec: Sendable, Codable, Hashable {
  public var type: MatchingType = .randomPairs
  /// Asynchronous: each agent's Poisson wake-up rate per time unit.
  public var rate: Double = 1
  /// Asynchronous: the delay of each decision (draws below 0 count as 0).
  public var latency: Distribution = .constant(0)
  /// Asynchronous: the time between two rows of `steps.csv`.
  public var sampleInterval: Double = 1
  /// Groups: players per group.
  public var size: Int = 4
  /// Groups: keep the same groups every round (partner) instead of regrouping (stranger).
  public var partner: Bool = false

  enum CodingKeys: String, CodingKey, CaseIterable {
    case type, rate, latency, sampleInterval = "sample_interval", size, partner
  }

  public init() {}
}

/// The matching protocols.
public enum MatchingType: String, Sendable, Codable, Hashable, CaseIterable {
  /// Every round, agents are shuffled and paired.
  case randomPairs = "random_pairs"
  /// Agents wake up at Poisson times and are paired first come, first served.
  case asynchronous
  /// Pairs formed in the first round and kept (partner matching).
  case fixedPairs = "fixed_pairs"
  /// Groups of `size`, regrouped every round (stranger) or kept (`partner: true`).
  case groups
  /// Every agent meets every other agent once per round (a round-robin tournament).
  case roundRobin = "round_robin"
  /// Everyone trades in one market (double auction).
  case market
  /// Agents live in villages of `commons.village_size` (commons); migrants move between them.
  case villages
  /// Civilizations meet through signals and fleets in space (dark forest).
  case galaxy
  /// Households trade in random pairs and talk over a small-world network (polity).
  case society
}

/// The population: its size and its segments.
public struct PopulationSpec: Sendable, Codable, Hashable {
  public var size: Int
  public var segments: [SegmentSpec]
  /// The preset the segments came from, if any (a built-in name or a fitted preset file).
  public var preset: String? = nil

  enum CodingKeys: String, CodingKey, CaseIterable { case size, segments, preset }
}

/// A population segment: a share of the agents with one preference distribution, decoding style and memory.
public struct SegmentSpec: Sendable, Codable, Hashable {
  public var name: String
  public var share: Double
  public var preferences: PreferenceDistributions = PreferenceDistributions()
  public var decoding: DecodingParameters = DecodingParameters()
  public var memory: MemorySpec = MemorySpec()
  /// How the segment's agents decide: the LLM-style decoder, a fixed strategy, or a language model.
  public var policy: Policy = .decoder
  /// The language model of a `policy: llm` segment.
  public var llm: LanguageModelSpec? = nil

  enum CodingKeys: String, CodingKey, CaseIterable { case name, share, preferences, decoding, memory, policy, llm }

  public init(
    name: String, share: Double, preferences: PreferenceDistributions = PreferenceDistributions(),
    decoding: DecodingParameters = DecodingParameters(), memory: MemorySpec = MemorySpec(), policy: Policy = .decoder
  ) {
    self.name = name
    self.share = share
    self.preferences = preferences
    self.decoding = decoding
    self.memory = memory
    self.policy = policy
  }
}

/// The distribution of each latent preference in a segment: one marginal per named dimension, plus joint
/// distributions (Dirichlet, multivariate normal) over groups of dimensions.
public struct PreferenceDistributions: Sendable, Hashable {
  /// Marginal distributions, in dimension order.
  public var marginals: [(Preference, ClampedDistribution)] = []
  /// Joint distributions over disjoint groups of dimensions.
  public var joint: [JointPreference] = []

  public init(marginals: [(Preference, ClampedDistribution)] = [], joint: [JointPreference] = []) {
    self.marginals = marginals
    self.joint = joint
  }

  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.joint == rhs.joint && lhs.marginals.map(\.0) == rhs.marginals.map(\.0)
      && lhs.marginals.map(\.1) == rhs.marginals.map(\.1)
  }

  public func hash(into hasher: inout Hasher) {
    for (d, dist) in marginals {
      hasher.combine(d)
      hasher.combine(dist)
    }
    hasher.combine(joint)
  }
}

/// A joint distribution over named dimensions.
public struct JointPreference: Sendable, Hashable {
  public var dimensions: [Preference]
  public var distribution: JointDistribution
  /// The covariance as written in the scenario (multivariate normal only), for the manifest.
  public var covariance: [[Double]]? = nil
}

/// A segment's context window and belief model.
public struct MemorySpec: Sendable, Codable, Hashable {
  /// How many past observations an agent keeps.
  public var window: Int = 10
  /// How beliefs are formed.
  public var learning: Learning = .inContext
  /// Prior belief that an offer of at least half the stake is accepted (a zero offer is believed rejected).
  public var priorAccept: Double = 1
  /// How the prior belief of acceptance falls below the equal split: an offer `s < 1/2` is believed accepted with
  /// probability `prior_accept * (1 - slope * (1 - 2s))`; 0 (the default) believes every positive offer alike.
  public var priorAcceptSlope: Double = 0
  /// Weight of the prior, in pseudo-observations.
  public var priorWeight: Double = 2

  /// The observations an agent keeps in context: its window when it learns in context, else none.
  public var contextWindow: Int { learning == .inContext ? window : 0 }

  /// The prior belief that an offer of share `s` of the stake is accepted.
  public func priorAcceptance(of s: Double) -> Double {
    s <= 0 ? 0 : priorAccept * (1 - priorAcceptSlope * max(0, 1 - 2 * s))
  }
  /// Prior expectation of the other side's cooperation in [0, 1]: the partner's probability of cooperating
  /// (prisoner's dilemma), the group's mean contribution share (public goods), or the trustee's return as a share
  /// of an equal split (trust).
  public var priorCooperation: Double = 0.5

  enum CodingKeys: String, CodingKey, CaseIterable {
    case window, learning, priorAccept = "prior_accept", priorAcceptSlope = "prior_accept_slope"
    case priorWeight = "prior_weight", priorCooperation = "prior_cooperation"
  }

  public init() {}
}

/// How a segment's agents decide.
public enum Policy: String, Sendable, Codable, Hashable, CaseIterable {
  /// The LLM-style decoder over utilities (DESIGN.md §5).
  case decoder
  /// Prisoner's dilemma fixed strategies.
  case alwaysCooperate = "always_cooperate"
  case alwaysDefect = "always_defect"
  case titForTat = "tit_for_tat"
  case grim
  case winStayLoseShift = "win_stay_lose_shift"
  case random
  /// Cooperates, except that it defects in the first stage.
  case defectOnce = "defect_once"
  /// Cooperates in odd stages and defects in even ones.
  case alternate
  /// Double auction: Gode & Sunder's budget-constrained zero-intelligence trader (bids uniform below its value,
  /// asks uniform above its cost).
  case zeroIntelligence = "zero_intelligence"
  /// A language model over an OpenAI-compatible API (the segment's `llm` settings); the decoder is its fallback.
  case llm

  /// Whether this is a fixed strategy (neither the decoder nor a language model).
  public var isFixed: Bool { self != .decoder && self != .llm }

  /// The games a policy can play.
  public var games: [GameType] {
    switch self {
    case .decoder, .llm: return GameType.allCases
    case .zeroIntelligence: return [.doubleAuction]
    default: return [.prisonersDilemma]
    }
  }
}

/// Belief models.
public enum Learning: String, Sendable, Codable, Hashable, CaseIterable {
  /// Beliefs stay at the prior.
  case none
  /// Beliefs come from the context window (see ``Memory``).
  case inContext = "in_context"
}

/// Which optional files a run writes.
public struct OutputSpec: Sendable, Codable, Hashable {
  public var steps: Bool = true
  public var agents: Bool = true
  public var events: Bool = false

  enum CodingKeys: String, CodingKey, CaseIterable { case steps, agents, events }

  public init() {}
}
