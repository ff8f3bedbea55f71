import Yams

extension ScenarioSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.value(.name, default: "scenario", allowed: "a non-empty name of letters, digits, '-', '_' or '.'") {
      !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) } && $0 != "." && $0 != ".."
    }
    description = try c.value(.description, default: "")
    seed = try c.value(.seed, default: 1, allowed: "an integer from 0 to 18446744073709551615")
    rng = try c.value(.rng, default: "taus2", allowed: "a GSL generator name (e.g. taus2, mt19937, ranlxd2)") {
      RandomGenerator(name: $0) != nil
    }
    game = try c.value(.game, allowed: "a mapping with at least 'type'")
    let game = game
    var matching = MatchingSpec()
    matching.type = game.type.matchings[0]
    self.matching = try c.value(.matching, default: matching)
    if !c.contains(.matching)
      || (try? c.nestedContainer(keyedBy: MatchingSpec.CodingKeys.self, forKey: .matching))?
        .contains(.type) == false
    {
      self.matching.type = game.type.matchings[0]
    }
    guard game.type.matchings.contains(self.matching.type) else {
      throw ScenarioIssue(
        [CodingKeys.matching, MatchingSpec.CodingKeys.type], value: self.matching.type.rawValue,
        "is not available for \(game.type.rawValue); allowed: \(game.type.matchings.map(\.rawValue).joined(separator: ", "))"
      )
    }
    population = try c.value(.population, allowed: "a mapping with 'size' and 'segments'")
    if self.matching.type == .groups && self.matching.size > population.size {
      throw ScenarioIssue(
        [CodingKeys.matching, MatchingSpec.CodingKeys.size], value: "\(self.matching.size)",
        "groups larger than the population (\(population.size) agents) cannot form; expected at most \(population.size)"
      )
    }
    if game.type == .commons && game.commons.villageSize > population.size {
      throw ScenarioIssue(
        [CodingKeys.game, GameSpec.CodingKeys.commons, AnyKey(stringValue: "village_size")],
        value: "\(game.commons.villageSize)",
        "a village larger than the population (\(population.size) agents); expected at most \(population.size)")
    }
    for (i, segment) in population.segments.enumerated() where !segment.policy.games.contains(game.type) {
      throw ScenarioIssue(
        [
          CodingKeys.population, PopulationSpec.CodingKeys.segments, AnyKey(intValue: i), SegmentSpec.CodingKeys.policy,
        ],
        value: segment.policy.rawValue,
        "plays \(segment.policy.games.map(\.rawValue).joined(separator: ", ")) only; use policy: decoder")
    }
    output = try c.value(.output, default: OutputSpec())
    if output.events && !GameType.withEvents.contains(game.type) {
      throw ScenarioIssue(
        [CodingKeys.output, OutputSpec.CodingKeys.events], value: "true",
        "\(game.type.rawValue) logs no interactions (events.csv is written by "
          + "\(GameType.withEvents.map(\.rawValue).joined(separator: " and ")) only); set it to false")
    }
    try checkBounds()
  }
}

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

extension PolitySpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    skill = try c.value(.skill, default: .lognormal(mu: 0, sigma: 0.6))
    taxPeriod = try c.value(.taxPeriod, default: 10, allowed: "an integer from 1 to 100000") {
      (1...100_000).contains($0)
    }
    brackets = try c.value(.brackets, default: [5, 15, 40], allowed: "increasing thresholds in (0, 1e12]") {
      $0.allSatisfy { $0 > 0 && $0 <= ScenarioBounds.amount } && zip($0, $0.dropFirst()).allSatisfy { $0 < $1 }
    }
    let width = brackets.count + 1
    schedules = try c.value(
      .schedules,
      default: PolitySpec().schedules.map {
        Array($0.prefix(width)) + [Double](repeating: 0.7, count: max(0, width - 4))
      },
      allowed: "a non-empty list of schedules, each \(width) rates in [0, 1]"
    ) { !$0.isEmpty && $0.allSatisfy { $0.count == width && $0.allSatisfy { $0 >= 0 && $0 <= 1 } } }
    let count = schedules.count
    initialSchedule = try c.value(
      .initialSchedule, default: min(1, count - 1), allowed: "an index from 0 to \(count - 1)"
    ) {
      (0..<count).contains($0)
    }
    eta = try c.value(.eta, default: 0.5, allowed: "a number in [0, 1) or in (1, 1e6]") {
      $0 >= 0 && $0 <= ScenarioBounds.factor && $0 != 1
    }
    labourCost = try c.value(.labourCost, default: 0.5, allowed: "a number in [0, 1e12]") {
      $0 >= 0 && $0 <= ScenarioBounds.amount
    }
    tradesPerPeriod = try c.value(.tradesPerPeriod, default: 1, allowed: "an integer from 0 to 100") {
      (0...100).contains($0)
    }
    neighbours = try c.value(.neighbours, default: 3, allowed: "an integer from 1 to 100") { (1...100).contains($0) }
    rewiring = try c.value(.rewiring, default: 0.1, allowed: "a probability in [0, 1]") { $0 >= 0 && $0 <= 1 }
    messageDelay = try c.value(.messageDelay, default: 0.5, allowed: "a number in [1e-9, 1e6]") {
      $0 >= ScenarioBounds.tiny && $0 <= ScenarioBounds.rate
    }
    confidence = try c.value(.confidence, default: 0.3, allowed: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
    convergence = try c.value(.convergence, default: 0.3, allowed: "a number in (0, 0.5]") { $0 > 0 && $0 <= 0.5 }
    opinionWeight = try c.value(.opinionWeight, default: 1, allowed: "a finite number >= 0") { $0 >= 0 && $0.isFinite }
  }
}

extension DarkForestSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let length = "a number in [1e-9, 1e9]"
    let isLength = { (x: Double) in x >= ScenarioBounds.tiny && x <= ScenarioBounds.length }
    let rate = "a number in [0, 1e6] (per time unit)"
    let isRate = { (x: Double) in x >= 0 && x <= ScenarioBounds.rate }
    let amount = "a number in [0, 1e12]"
    let isAmount = { (x: Double) in x >= 0 && x <= ScenarioBounds.amount }
    dimensions = try c.value(.dimensions, default: 2, allowed: "2 or 3") { $0 == 2 || $0 == 3 }
    region = try c.value(.region, default: 1000, allowed: length, isLength)
    lightSpeed = try c.value(.lightSpeed, default: 100, allowed: length, isLength)
    let light = lightSpeed
    fleetSpeed = try c.value(.fleetSpeed, default: 10, allowed: "a number in (0, light_speed]") {
      $0 > 0 && $0 <= light
    }
    initialShare = try c.value(.initialShare, default: 0.5, allowed: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
    detectionScale = try c.value(.detectionScale, default: 50, allowed: length, isLength)
    leakRate = try c.value(.leakRate, default: 0.2, allowed: rate, isRate)
    decisionRate = try c.value(.decisionRate, default: 1, allowed: "a number in [1e-9, 1e6] (per time unit)") {
      $0 >= ScenarioBounds.tiny && $0 <= ScenarioBounds.rate
    }
    breakthroughRate = try c.value(.breakthroughRate, default: 0.02, allowed: rate, isRate)
    growthBudget = try c.value(.growthBudget, default: 0.5, allowed: "a number in (0, 1e12]") {
      $0 > 0 && $0 <= ScenarioBounds.amount
    }
    cooperationBonus = try c.value(.cooperationBonus, default: 0.1, allowed: amount, isAmount)
    revealRadius = try c.value(.revealRadius, default: 100, allowed: "a number in [0, 1e9]") {
      $0 >= 0 && $0 <= ScenarioBounds.length
    }
    sampleInterval = try c.value(.sampleInterval, default: 10, allowed: length, isLength)
  }
}

extension CommonsSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let probability = "a probability in [0, 1]"
    villageSize = try c.value(.villageSize, default: 5, allowed: "an integer from 2 to 10000") {
      (2...10_000).contains($0)
    }
    capacity = try c.value(.capacity, default: 100, allowed: "a number in (0, 1e12]") {
      $0 > 0 && $0 <= ScenarioBounds.amount
    }
    let capacity = self.capacity
    stock = try c.value(.stock, default: capacity, allowed: "a number in [0, capacity (\(capacity))]") {
      $0 >= 0 && $0 <= capacity
    }
    threshold = try c.value(.threshold, default: 5, allowed: "a number in [0, capacity]") { $0 >= 0 && $0 <= capacity }
    regrowth = try c.choice(.regrowth, default: .doubling)
    growthRate = try c.value(.growthRate, default: 1, allowed: "a number in (0, 1e6]") {
      $0 > 0 && $0 <= ScenarioBounds.factor
    }
    maxHarvest = try c.value(.maxHarvest, default: 20, allowed: "an integer from 1 to 1000") { (1...1000).contains($0) }
    jitter = try c.value(.jitter, default: 1, allowed: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
    auditRate = try c.value(.auditRate, default: 0, allowed: probability) { $0 >= 0 && $0 <= 1 }
    fine = try c.value(.fine, default: 0, allowed: "a number in [0, 1e12]") { $0 >= 0 && $0 <= ScenarioBounds.amount }
    turnoverRate = try c.value(.turnoverRate, default: 0, allowed: probability) { $0 >= 0 && $0 <= 1 }
    migrationRate = try c.value(.migrationRate, default: 0, allowed: probability) { $0 >= 0 && $0 <= 1 }
    travelTime = try c.value(.travelTime, default: 1, allowed: "a finite number >= 0 (months)") {
      $0 >= 0 && $0.isFinite
    }
    droughtRate = try c.value(.droughtRate, default: 0, allowed: probability) { $0 >= 0 && $0 <= 1 }
    droughtSeverity = try c.value(.droughtSeverity, default: 0.5, allowed: probability) { $0 >= 0 && $0 <= 1 }
  }
}

extension PayoffBimatrix {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    if c.contains(.preset) {
      let preset: Preset = try c.choice(.preset)
      for key in [CodingKeys.rowActions, .columnActions, .row, .column] where c.contains(key) {
        throw ScenarioIssue(c.codingPath + [key], "give either a preset or the payoffs, not both")
      }
      self = .preset(preset)
      return
    }
    let row: [[Double]] = try c.value(.row, allowed: "a list of rows of payoffs (or preset: NAME)") { !$0.isEmpty }
    let column: [[Double]] = try c.value(.column, allowed: "a list of rows like row") { !$0.isEmpty }
    let k = row.count
    let l = row[0].count
    guard (2...10).contains(k), (2...10).contains(l), row.allSatisfy({ $0.count == l }),
      column.count == k, column.allSatisfy({ $0.count == l }),
      (row + column).allSatisfy({ $0.allSatisfy(\.isFinite) })
    else {
      throw ScenarioIssue(
        c.codingPath + [CodingKeys.row], value: "\(row) / \(column)",
        "row and column must both be k x l tables of finite numbers, 2 <= k, l <= 10")
    }
    let rowActions: [String] = try c.value(.rowActions, default: (1...k).map { "a\($0)" }, allowed: "\(k) names") {
      $0.count == k && Set($0).count == k
    }
    let columnActions: [String] = try c.value(.columnActions, default: (1...l).map { "b\($0)" }, allowed: "\(l) names")
    {
      $0.count == l && Set($0).count == l
    }
    self.init(rowActions: rowActions, columnActions: columnActions, row: row, column: column)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(name, forKey: .preset)
    try c.encode(rowActions, forKey: .rowActions)
    try c.encode(columnActions, forKey: .columnActions)
    try c.encode(row, forKey: .row)
    try c.encode(column, forKey: .column)
  }
}

extension PayoffMatrix {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let finite = "a finite number"
    t = try c.value(.t, default: 5, allowed: finite) { $0.isFinite }
    r = try c.value(.r, default: 3, allowed: finite) { $0.isFinite }
    p = try c.value(.p, default: 1, allowed: finite) { $0.isFinite }
    s = try c.value(.s, default: 0, allowed: finite) { $0.isFinite }
    guard t > r, r > p, p > s else {
      throw ScenarioIssue(
        decoder.codingPath, value: "T=\(t), R=\(r), P=\(p), S=\(s)", "a prisoner's dilemma needs T > R > P > S")
    }
  }
}

extension MatchingSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    type = try c.choice(.type, default: .randomPairs)
    rate = try c.value(.rate, default: 1, allowed: "a number in [1e-9, 1e6] (wake-ups per agent per time unit)") {
      $0 >= ScenarioBounds.tiny && $0 <= ScenarioBounds.rate
    }
    latency = try c.value(.latency, default: .constant(0))
    sampleInterval = try c.value(.sampleInterval, default: 1, allowed: "a number in [1e-9, 1e9] (time units)") {
      $0 >= ScenarioBounds.tiny && $0 <= ScenarioBounds.length
    }
    size = try c.value(.size, default: 4, allowed: "an integer from 2 to 1000000") { (2...1_000_000).contains($0) }
    partner = try c.value(.partner, default: false)
  }
}

extension PopulationSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    size = try c.value(.size, allowed: "an integer from 2 to 1000000000 (a game needs two players)") {
      (2...1_000_000_000).contains($0)
    }
    preset = try c.decodeIfPresent(String.self, forKey: .preset)
    if let preset {
      guard !c.contains(.segments) else {
        throw ScenarioIssue(c.codingPath + [CodingKeys.segments], "give either preset or segments, not both")
      }
      let yaml = try PopulationPreset.load(preset).segmentsYAML()
      do {
        segments = try YAMLDecoder().decode([SegmentSpec].self, from: yaml)
      } catch {
        throw ScenarioIssue(
          c.codingPath + [CodingKeys.preset], value: preset, "the preset's segments are invalid: \(error)")
      }
    } else {
      segments = try c.value(.segments, allowed: "a non-empty list of segments (or a preset)") { !$0.isEmpty }
    }
    let path = c.codingPath + [CodingKeys.segments]
    var names = Set<String>()
    for (i, segment) in segments.enumerated() where !names.insert(segment.name.snakeCased).inserted {
      throw ScenarioIssue(
        path + [AnyKey(intValue: i), SegmentSpec.CodingKeys.name], value: segment.name,
        "segment names must be unique, also as CSV column names ('\(segment.name.snakeCased)' is taken)")
    }
    if segments.count == 1, segments[0].share.isNaN { segments[0].share = 1 }
    for (i, segment) in segments.enumerated() where segment.share.isNaN {
      throw ScenarioIssue(
        path + [AnyKey(intValue: i), SegmentSpec.CodingKeys.share],
        "required when there are several segments; expected a number in (0, 1]")
    }
    let total = segments.reduce(0) { $0 + $1.share }
    guard abs(total - 1) <= 1e-6 else {
      throw ScenarioIssue(
        path, value: segments.map { "\($0.share)" }.joined(separator: " + "),
        "segment shares must sum to 1, they sum to \(total)")
    }
  }
}

extension SegmentSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.value(.name, allowed: "a non-empty name") { !$0.isEmpty }
    share = try c.value(.share, default: .nan, allowed: "a number in (0, 1]") { $0.isNaN || ($0 > 0 && $0 <= 1) }
    preferences = try c.value(.preferences, default: PreferenceDistributions())
    decoding = try c.value(.decoding, default: DecodingParameters())
    memory = try c.value(.memory, default: MemorySpec())
    policy = try c.choice(.policy, default: .decoder)
    llm = try c.decodeIfPresent(LanguageModelSpec.self, forKey: .llm)
    if policy == .llm && llm == nil {
      throw ScenarioIssue(
        c.codingPath + [CodingKeys.llm], "required with policy: llm; expected {base_url, model, ...}")
    }
    if policy != .llm && llm != nil {
      throw ScenarioIssue(c.codingPath + [CodingKeys.llm], "only a segment with policy: llm has llm settings")
    }
  }
}

extension DecodingParameters {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    temperature = try c.value(.temperature, default: 1, allowed: "a finite number >= 0 (0 decodes greedily)") {
      $0 >= 0 && $0.isFinite
    }
    topK = try c.value(.topK, default: 0, allowed: "an integer >= 0 (0 keeps every option)") { $0 >= 0 }
    topP = try c.value(.topP, default: 1, allowed: "a number in (0, 1]") { $0 > 0 && $0 <= 1 }
    positionBias = try c.value(.positionBias, default: 0, allowed: "a finite number (logit bonus)") { $0.isFinite }
    salienceBias = try c.value(.salienceBias, default: 0, allowed: "a finite number (logit bonus)") { $0.isFinite }
    modeCollapse = try c.value(.modeCollapse, default: 0, allowed: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
  }
}

extension MemorySpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    window = try c.value(.window, default: 10, allowed: "an integer from 0 to 1000") { (0...1000).contains($0) }
    learning = try c.choice(.learning, default: .inContext)
    priorAccept = try c.value(.priorAccept, default: 1, allowed: "a probability in [0, 1]") { $0 >= 0 && $0 <= 1 }
    priorAcceptSlope = try c.value(.priorAcceptSlope, default: 0, allowed: "a number in [0, 1]") { $0 >= 0 && $0 <= 1 }
    priorWeight = try c.value(.priorWeight, default: 2, allowed: "a finite number > 0") { $0 > 0 && $0.isFinite }
    priorCooperation = try c.value(.priorCooperation, default: 0.5, allowed: "a number in [0, 1]") {
      $0 >= 0 && $0 <= 1
    }
  }
}

extension OutputSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    steps = try c.value(.steps, default: true)
    agents = try c.value(.agents, default: true)
    events = try c.value(.events, default: false)
  }
}
