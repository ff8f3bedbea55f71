extension GameSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    type = try c.choice(.type)
    let allowed = GameSpec.keys(for: type)
    for key in CodingKeys.allCases where !allowed.contains(key) && c.contains(key) {
      let owners = GameType.allCases.filter { GameSpec.keys(for: $0).contains(key) }.map(\.rawValue)
      throw ScenarioIssue(
        c.codingPath + [key],
        "does not apply to \(type.rawValue) (it is a key of \(owners.joined(separator: ", "))); "
          + "\(type.rawValue) takes \(allowed.map(\.rawValue).joined(separator: ", "))")
    }
    stake = try c.value(.stake, default: 100, allowed: "a number in (0, 1e12]") {
      $0 > 0 && $0 <= ScenarioBounds.amount
    }
    let stake = self.stake
    offerStep = try c.value(
      .offerStep, default: stake / 20,
      allowed: "a number > 0 that divides the stake (\(stake)) into at most 10000 steps"
    ) {
      guard $0 > 0, $0 <= stake, $0.isFinite else { return false }
      let steps = stake / $0
      return steps <= 10_000 && abs(steps - steps.rounded()) <= 1e-9 * steps
    }
    rounds = try c.value(.rounds, default: GameSpec.defaultRounds(for: type), allowed: "an integer from 1 to 100000000")
    {
      (1...100_000_000).contains($0)
    }
    roles = try c.choice(.roles, default: .swap)
    multiplier = try c.value(.multiplier, default: 3, allowed: "a number in (0, 1e6]") {
      $0 > 0 && $0 <= ScenarioBounds.factor
    }
    mpcr = try c.value(.mpcr, default: 0.4, allowed: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
    punishment = try c.value(.punishment, default: false)
    punishmentCost = try c.value(.punishmentCost, default: 1, allowed: "a number in [0, 1e12]") {
      $0 >= 0 && $0 <= ScenarioBounds.amount
    }
    punishmentImpact = try c.value(.punishmentImpact, default: 3, allowed: "a number in [0, 1e12]") {
      $0 >= 0 && $0 <= ScenarioBounds.amount
    }
    punishmentMax = try c.value(.punishmentMax, default: 5, allowed: "an integer from 1 to 100") {
      (1...100).contains($0)
    }
    payoffs = try c.value(.payoffs, default: PayoffMatrix())
    let horizonDefault = GameSpec.defaultHorizon(for: type)
    if [.bargaining, .negotiation].contains(type),
      (try? c.decodeIfPresent(String.self, forKey: .horizon)) == "unbounded"
    {
      horizon = 99
      horizonUnbounded = true
    } else {
      let allowed =
        [.bargaining, .negotiation].contains(type)
        ? "an integer from 1 to 99, or unbounded (99 rounds, not told to the agents)" : "an integer from 1 to 100000"
      horizon = try c.value(.horizon, default: horizonDefault, allowed: allowed) {
        (1...([.bargaining, .negotiation].contains(type) ? 99 : 100_000)).contains($0)
      }
    }
    continuation = try c.value(.continuation, default: 0, allowed: "a probability in [0, 1)") { $0 >= 0 && $0 < 1 }
    noise = try c.value(.noise, default: 0, allowed: "a probability in [0, 0.5]") { $0 >= 0 && $0 <= 0.5 }
    let discount = "a discount factor in (0, 1]"
    deltaA = try c.value(.deltaA, default: 0.9, allowed: discount) { $0 > 0 && $0 <= 1 }
    deltaB = try c.value(.deltaB, default: 0.9, allowed: discount) { $0 > 0 && $0 <= 1 }
    deltaPrior = try c.value(
      .deltaPrior, default: [0.8, 0.9, 0.95, 1], allowed: "a non-empty list of discount factors in (0, 1]"
    ) {
      !$0.isEmpty && $0.allSatisfy { $0 > 0 && $0 <= 1 }
    }
    let factor = "a number in (0, 1e6] (a factor of the stake)"
    let isFactor = { (x: Double) in x > 0 && x <= ScenarioBounds.factor }
    valueA = try c.value(.valueA, default: 1, allowed: factor, isFactor)
    valueB = try c.value(.valueB, default: 1.2, allowed: factor, isFactor)
    valuePrior = try c.value(
      .valuePrior, default: [0.8, 1, 1.2, 1.5], allowed: "a non-empty list of factors in (0, 1e6]"
    ) {
      !$0.isEmpty && $0.allSatisfy(isFactor)
    }
    information = try c.choice(.information, default: .complete)
    messages = try c.value(.messages, default: false)
    qualityPrior = try c.value(.qualityPrior, default: 0.5, allowed: "a probability in [0, 1]") { $0 >= 0 && $0 <= 1 }
    buyerValue = try c.value(.buyerValue, default: 1.25, allowed: factor, isFactor)
    buyerValuePrior = try c.value(
      .buyerValuePrior, default: [1.2, 1.25, 2, 3, 4], allowed: "a non-empty list of factors in (0, 1e6]"
    ) {
      !$0.isEmpty && $0.allSatisfy(isFactor)
    }
    sellerKnowsValue = try c.value(.sellerKnowsValue, default: true)
    claims = try c.choice(.claims, default: .binary)
    buyer = try c.choice(.buyer, default: .longLived)
    matrix = try c.value(.matrix, default: .preset(.prisonersDilemma))
    let stakeNow = self.stake
    values = try c.value(.values, default: .uniform(min: 0, max: 2 * stakeNow))
    costs = try c.value(.costs, default: .uniform(min: 0, max: 2 * stakeNow))
    periodLength = try c.value(.periodLength, default: 1, allowed: "a number in [1e-9, 1e6] (time units)") {
      $0 >= ScenarioBounds.tiny && $0 <= ScenarioBounds.rate
    }
    orderRate = try c.value(
      .orderRate, default: 20, allowed: "a number in [1e-9, 1e6] (orders per trader per time unit)"
    ) {
      $0 >= ScenarioBounds.tiny && $0 <= ScenarioBounds.rate
    }
    commons = try c.value(.commons, default: CommonsSpec())
    darkForest = try c.value(.darkForest, default: DarkForestSpec())
    polity = try c.value(.polity, default: PolitySpec())
  }
}

extension GameSpec {
  /// Encodes only the keys the game takes (the manifest and report show what applies to this game).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    for key in GameSpec.keys(for: type) {
      switch key {
      case .type: try c.encode(type, forKey: key)
      case .stake: try c.encode(stake, forKey: key)
      case .offerStep: try c.encode(offerStep, forKey: key)
      case .rounds: try c.encode(rounds, forKey: key)
      case .roles: try c.encode(roles, forKey: key)
      case .multiplier: try c.encode(multiplier, forKey: key)
      case .mpcr: try c.encode(mpcr, forKey: key)
      case .punishment: try c.encode(punishment, forKey: key)
      case .punishmentCost: try c.encode(punishmentCost, forKey: key)
      case .punishmentImpact: try c.encode(punishmentImpact, forKey: key)
      case .punishmentMax: try c.encode(punishmentMax, forKey: key)
      case .payoffs: try c.encode(payoffs, forKey: key)
      case .horizon:
        if horizonUnbounded { try c.encode("unbounded", forKey: key) } else { try c.encode(horizon, forKey: key) }
      case .continuation: try c.encode(continuation, forKey: key)
      case .noise: try c.encode(noise, forKey: key)
      case .deltaA: try c.encode(deltaA, forKey: key)
      case .deltaB: try c.encode(deltaB, forKey: key)
      case .deltaPrior: try c.encode(deltaPrior, forKey: key)
      case .valueA: try c.encode(valueA, forKey: key)
      case .valueB: try c.encode(valueB, forKey: key)
      case .valuePrior: try c.encode(valuePrior, forKey: key)
      case .information: try c.encode(information, forKey: key)
      case .messages: try c.encode(messages, forKey: key)
      case .qualityPrior: try c.encode(qualityPrior, forKey: key)
      case .buyerValue: try c.encode(buyerValue, forKey: key)
      case .buyerValuePrior: try c.encode(buyerValuePrior, forKey: key)
      case .sellerKnowsValue: try c.encode(sellerKnowsValue, forKey: key)
      case .claims: try c.encode(claims, forKey: key)
      case .buyer: try c.encode(buyer, forKey: key)
      case .matrix: try c.encode(matrix, forKey: key)
      case .values: try c.encode(values, forKey: key)
      case .costs: try c.encode(costs, forKey: key)
      case .periodLength: try c.encode(periodLength, forKey: key)
      case .orderRate: try c.encode(orderRate, forKey: key)
      case .commons: try c.encode(commons, forKey: key)
      case .darkForest: try c.encode(darkForest, forKey: key)
      case .polity: try c.encode(polity, forKey: key)
      }
    }
  }
}
