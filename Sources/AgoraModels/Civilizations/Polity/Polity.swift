import AgoraCore
import Foundation

/// The polity: households with skills (lognormal or Pareto) choose how much to work, gather two goods according to
/// their specialisation, trade them in random pairs (Sugarscape's bilateral trade at the geometric mean of the two
/// marginal rates of substitution, one unit at a time, never crossing them), earn coin, pay a bracketed income tax
/// each tax year with an equal lump-sum rebate (the AI Economist's set-up), vote on the tax schedule (the median
/// vote carries), and exchange opinions — their taste for redistribution — over a Watts-Strogatz small world, with
/// message delays and a bounded-confidence update.
public struct PolityRun {
  public let scenario: ScenarioSpec
  public let population: Population
  let spec: PolitySpec
  let seeds: SeedSequence
  let decoding: [DecodingParameters]
  var decoder = ChoiceDecoder(capacity: 16)
  /// The language-model agents of the run, when a segment has `policy: llm`.
  public var languageModel: (any ExternalDeciders)? = nil
  var utilities = [Double](repeating: 0, count: 16)
  static let labour: [Double] = [0, 0.25, 0.5, 0.75, 1]

  public private(set) var skill: [Double]
  var specialisation: [Double]
  public private(set) var goodA: [Double]
  public private(set) var goodB: [Double]
  /// Pre-tax coin of the current tax year; post-tax coin over the run.
  var yearIncome: [Double]
  public private(set) var wealth: [Double]
  public private(set) var opinion: [Double]
  var neighbours: [[Int32]]
  public private(set) var schedule: Int
  var rebate = 0.0
  var price = 1.0

  public private(set) var productivity = 0.0
  public private(set) var revenue = 0.0
  public private(set) var prices: [Double] = []
  public private(set) var tradeVolume = 0.0
  /// Trades after which the buyer's MRS fell below the seller's (must stay 0).
  public private(set) var crossings = 0
  var labourSum = 0.0
  var labourCount = 0
  public private(set) var steps:
    [(
      period: Int, income: Double, gini: Double, volume: Double, price: Double, dispersion: Double,
      variance: Double, bimodality: Double, schedule: Int
    )] = []

  /// The rules of the polity, as told to a language-model agent.
  var rules: String {
    "You are a household in a society. Each period you choose how much to work; your skill and your work make "
      + "goods you sell, working is tiring, and income is taxed by brackets (\(spec.brackets.map(DecisionPrompt.amount).joined(separator: ", "))) "
      + "with the schedule the society voted for."
  }

  public init(scenario: ScenarioSpec, population: Population, seeds: SeedSequence) {
    self.scenario = scenario
    self.population = population
    self.seeds = seeds
    spec = PolityRun.parameters(scenario).polity
    decoding = population.segments.map(\.decoding)
    let n = population.count
    let nature = seeds.stream(for: .environment, generator: scenario.generator)
    let polity = PolityRun.parameters(scenario).polity
    skill = (0..<n).map { _ in max(0, polity.skill.sample(nature)) }
    specialisation = (0..<n).map { _ in nature.uniform() }
    goodA = [Double](repeating: 1, count: n)
    goodB = [Double](repeating: 1, count: n)
    yearIncome = [Double](repeating: 0, count: n)
    wealth = [Double](repeating: 0, count: n)
    opinion = (0..<n).map { i in
      let taste = min(1, population.value(.guilt, of: i) + population.value(.altruism, of: i))
      return min(1, max(0, 0.6 * nature.uniform() + 0.4 * taste))
    }
    schedule = polity.initialSchedule
    // Watts-Strogatz: a ring with `neighbours` on each side, each edge rewired with probability `rewiring`.
    var links = [[Int32]](repeating: [], count: n)
    let k = min(polity.neighbours, max(0, (n - 1) / 2))
    for i in 0..<n {
      for step in 1...max(1, k) where k > 0 {
        var j = (i + step) % n
        if nature.uniform() < polity.rewiring {
          var candidate = nature.integer(below: n)
          while candidate == i { candidate = nature.integer(below: n) }
          j = candidate
        }
        links[i].append(Int32(j))
        links[j].append(Int32(i))
      }
    }
    neighbours = links
  }

  /// Income tax of `income` under marginal `rates` over `brackets` (rates[0] below brackets[0], ...).
  public static func tax(_ income: Double, brackets: [Double], rates: [Double]) -> Double {
    var due = 0.0
    var lower = 0.0
    for (k, rate) in rates.enumerated() {
      let upper = k < brackets.count ? brackets[k] : .infinity
      if income > lower { due += rate * (min(income, upper) - lower) }
      lower = upper
    }
    return due
  }

  /// The bounded-confidence update: a receiver with opinion `o` hearing `m` moves towards it if they are close.
  public static func listen(_ o: Double, to m: Double, confidence: Double, convergence: Double) -> Double {
    abs(m - o) < confidence ? o + convergence * (m - o) : o
  }

  func iso(_ c: Double) -> Double {
    let x = max(c, 1e-9)
    return (Foundation.pow(x, 1 - spec.eta) - 1) / (1 - spec.eta)
  }

  enum Event {
    case period(Int)
    case close(Int)
    case message(to: Int32, opinion: Double)
  }

  public mutating func run(progress: ((Double) -> Void)? = nil) {
    let periods = scenario.game.rounds
    let decisions = seeds.stream(for: .decisions, generator: scenario.generator)
    let matching = seeds.stream(for: .matching, generator: scenario.generator)
    let delays = seeds.stream(for: .latency, generator: scenario.generator)
    var simulation = Simulation<Event>()
    simulation.schedule(.period(0), at: 0, priority: 1)
    var before = (income: 0.0, volume: 0.0, prices: 0)
    var order = (0..<Int32(population.count)).map { $0 }
    while let event = simulation.next() {
      switch event {
      case .period(let p):
        before = (productivity, tradeVolume, prices.count)
        languageModel?.locate(round: p + 1, group: -1)
        work(decisions: decisions)
        for _ in 0..<spec.tradesPerPeriod {
          matching.shuffle(&order)
          for k in stride(from: 0, to: order.count - 1, by: 2) { trade(Int(order[k]), Int(order[k + 1])) }
        }
        for i in 0..<population.count where !neighbours[i].isEmpty {
          let j = neighbours[i][matching.integer(below: neighbours[i].count)]
          simulation.schedule(
            .message(to: j, opinion: opinion[i]), after: delays.exponential(mean: spec.messageDelay), priority: 2)
        }
        simulation.schedule(.close(p), at: Double(p + 1), priority: 0)
      case .message(let to, let heard):
        let j = Int(to)
        opinion[j] = PolityRun.listen(opinion[j], to: heard, confidence: spec.confidence, convergence: spec.convergence)
      case .close(let p):
        if (p + 1) % spec.taxPeriod == 0 {
          languageModel?.locate(round: p + 1, group: -1)
          taxYear(decisions: decisions)
        }
        let recent = Array(prices[before.prices...])
        let mean = recent.isEmpty ? Double.nan : recent.reduce(0, +) / Double(recent.count)
        if !recent.isEmpty { price = mean }
        let totals = zip(wealth, yearIncome).map { $0 + $1 }
        steps.append(
          (
            p + 1, productivity - before.income, (try? Inequality.gini(totals.map { max(0, $0) })) ?? .nan,
            tradeVolume - before.volume, mean, PolityRun.dispersion(recent), PolityRun.moments(opinion).variance,
            PolityRun.moments(opinion).bimodality, schedule
          ))
        progress?(Double(p + 1) / Double(periods))
        if p + 1 < periods { simulation.schedule(.period(p + 1), at: Double(p + 1), priority: 1) }
      }
    }
  }

  /// Every household chooses its labour, produces and earns.
  mutating func work(decisions: RandomStream) {
    let rates = spec.schedules[schedule]
    let year = Double(spec.taxPeriod)
    for i in 0..<population.count {
      let value = specialisation[i] * price + (1 - specialisation[i])
      for (k, l) in PolityRun.labour.enumerated() {
        let annual = skill[i] * l * value * year
        let disposable = (annual - PolityRun.tax(annual, brackets: spec.brackets, rates: rates) + rebate) / year
        utilities[k] = iso(disposable) - spec.labourCost * l * l
      }
      let told = languageModel == nil ? "" : rules
      let choice = choose(i, options: 5, salient: -1, stream: decisions) {
        DecisionPrompt(
          kind: "polity.work", rules: told,
          question: "How much do you work in this period?",
          options: PolityRun.labour.map { "work \(Int($0 * 100))% of full time" })
      }
      let l = PolityRun.labour[choice]
      labourSum += l
      labourCount += 1
      let output = skill[i] * l
      goodA[i] += output * specialisation[i]
      goodB[i] += output * (1 - specialisation[i])
      yearIncome[i] += output * value
      productivity += output * value
    }
  }

  /// Sugarscape bilateral trade: the household whose marginal rate of substitution (B per A) is higher buys A at the
  /// geometric mean of the two rates, one unit at a time, while both gain and the rates do not cross.
  mutating func trade(_ i: Int, _ j: Int) {
    for _ in 0..<10 {
      let mi = goodB[i] / goodA[i]
      let mj = goodB[j] / goodA[j]
      guard abs(mi - mj) > 1e-9 else { return }
      let (buyer, seller) = mi > mj ? (i, j) : (j, i)
      let p = (mi * mj).squareRoot()
      let unit = min(1, goodA[seller] / 2)
      guard unit > 1e-9, goodB[buyer] > p * unit else { return }
      let welfare = { (a: Double, b: Double) in Foundation.log(a) + Foundation.log(b) }
      let buyerAfter = welfare(goodA[buyer] + unit, goodB[buyer] - p * unit)
      let sellerAfter = welfare(goodA[seller] - unit, goodB[seller] + p * unit)
      guard buyerAfter > welfare(goodA[buyer], goodB[buyer]), sellerAfter > welfare(goodA[seller], goodB[seller]),
        (goodB[buyer] - p * unit) / (goodA[buyer] + unit) >= (goodB[seller] + p * unit) / (goodA[seller] - unit)
      else { return }
      goodA[buyer] += unit
      goodB[buyer] -= p * unit
      goodA[seller] -= unit
      goodB[seller] += p * unit
      if goodB[buyer] / goodA[buyer] < goodB[seller] / goodA[seller] - 1e-12 { crossings += 1 }
      tradeVolume += unit
      prices.append(p)
    }
  }

  /// The tax year's end: taxes, the equal rebate, and the vote on next year's schedule.
  mutating func taxYear(decisions: RandomStream) {
    let n = Double(population.count)
    let rates = spec.schedules[schedule]
    var collected = 0.0
    for i in 0..<population.count {
      let due = PolityRun.tax(yearIncome[i], brackets: spec.brackets, rates: rates)
      collected += due
      wealth[i] += yearIncome[i] - due
    }
    rebate = collected / n
    for i in 0..<population.count { wealth[i] += rebate }
    revenue += collected
    // Each schedule's rebate if everyone earned what they earned this year.
    let rebates = spec.schedules.map { s in
      yearIncome.reduce(0) { $0 + PolityRun.tax($1, brackets: spec.brackets, rates: s) } / n
    }
    let progressivity = spec.schedules.map { $0.reduce(0, +) / Double($0.count) }
    var votes: [Int] = []
    votes.reserveCapacity(population.count)
    for i in 0..<population.count {
      for (k, s) in spec.schedules.enumerated() {
        let own = yearIncome[i] - PolityRun.tax(yearIncome[i], brackets: spec.brackets, rates: s) + rebates[k]
        utilities[k] = iso(own / Double(spec.taxPeriod)) + spec.opinionWeight * (opinion[i] - 0.5) * progressivity[k]
      }
      let schedules = spec.schedules
      let told = languageModel == nil ? "" : rules
      votes.append(
        choose(i, options: schedules.count, salient: -1, stream: decisions) {
          DecisionPrompt(
            kind: "polity.vote", rules: told,
            question: "The society votes on the income-tax schedule (the median vote by progressivity carries); "
              + "taxes are paid back to every household in equal shares. Which schedule do you vote for?",
            options: schedules.map {
              "marginal rates " + $0.map { "\(Int(($0 * 100).rounded()))%" }.joined(separator: ", ")
            })
        })
      yearIncome[i] = 0
    }
    let byProgressivity = spec.schedules.indices.sorted { (progressivity[$0], $0) < (progressivity[$1], $1) }
    let ranks = votes.map { byProgressivity.firstIndex(of: $0)! }.sorted()
    schedule = byProgressivity[ranks[(ranks.count - 1) / 2]]
  }

  /// The coefficient of variation of `x` (NaN with fewer than two values).
  static func dispersion(_ x: [Double]) -> Double {
    guard x.count > 1 else { return .nan }
    let mean = x.reduce(0, +) / Double(x.count)
    let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(x.count - 1)
    return variance.squareRoot() / mean
  }

  /// The variance and Sarle's bimodality coefficient `(skewness^2 + 1) / kurtosis` of `x` (above 5/9 suggests two
  /// modes).
  static func moments(_ x: [Double]) -> (variance: Double, bimodality: Double) {
    let n = Double(x.count)
    guard n > 3 else { return (.nan, .nan) }
    let mean = x.reduce(0, +) / n
    var m2 = 0.0
    var m3 = 0.0
    var m4 = 0.0
    for v in x {
      let d = v - mean
      m2 += d * d
      m3 += d * d * d
      m4 += d * d * d * d
    }
    m2 /= n
    m3 /= n
    m4 /= n
    guard m2 > 1e-18 else { return (0, .nan) }
    let skew = m3 / Foundation.pow(m2, 1.5)
    let kurtosis = m4 / (m2 * m2)
    return (m2, (skew * skew + 1) / kurtosis)
  }

  /// The mean labour chosen.
  public var meanLabour: Double { labourCount > 0 ? labourSum / Double(labourCount) : .nan }
}

extension PolityRun {
  /// The run's memory beyond the process, in bytes: per household, its columns, preference record and pending
  /// opinion message (measured 290 bytes with 3 neighbours on each side, 8 a neighbour), and the price of every unit
  /// traded, which the run keeps to the end (measured 2.9 bytes a household and period at one trade per period).
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double {
    let p = PolityRun.parameters(spec).polity
    let perHousehold =
      312 + 8 * Double(max(0, p.neighbours)) + 4 * Double(spec.game.rounds) * Double(max(1, p.tradesPerPeriod))
    return Double(spec.population.size) * perHousehold
  }
}
