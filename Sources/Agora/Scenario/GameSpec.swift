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

/// How roles are assigned in two-role games.
public enum RoleAssignment: String, Sendable, Codable, Hashable, CaseIterable {
  /// Each agent's role alternates every round (half of each segment starts as proposer).
  case swap
  /// Half of each segment proposes in every round, the other half always responds.
  case fixed
  /// The role is drawn anew for every pair.
  case random
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
