import AgoraCore
import Foundation

/// A continuous double auction (Smith 1962; Gode & Sunder 1993): half of each segment are buyers with a private
/// value for one unit, half sellers with a private cost, drawn once per run from `values` and `costs`; or, when the
/// `buyers` and `sellers` schedules are given, each trader holds a schedule of several units and trades them in
/// order (agents take the schedules in turn, see ``DoubleAuction/assignSchedules(count:buyers:sellers:)``). Each
/// trading period (a round) lasts `period_length`; every trader with a unit left to trade submits orders at Poisson
/// times (`order_rate`), as events on the scheduler, each order for its next unit. A bid that beats the standing
/// bid becomes the bid, an ask that beats the standing ask the ask; a bid at or above the standing ask (an ask at or
/// below the standing bid) trades at the standing quote, and the book is cleared.
///
/// Zero-intelligence traders (`strategy: zero_intelligence`, Gode & Sunder's ZI-C) bid uniformly in [0, value] and
/// ask uniformly in [cost, ceiling], the ceiling being the larger of the stake and the largest value or cost.
/// LLM-style traders choose a margin of 0%, 5%, ..., 50% (of their value, or of the room above their cost) by
/// expected surplus: an order that crosses the standing quote trades for sure; otherwise they believe it trades
/// with a chance that falls with its distance from the prices they have seen, learned in their window (prior:
/// `prior_cooperation` times the ceiling).
public struct DoubleAuction: MatchGame {
  public let spec: DoubleAuctionParameters
  public typealias Parameters = DoubleAuctionParameters
  public static var type: GameType { .doubleAuction }
  /// The units' values and costs: the drawn ones (one unit per agent) or the given schedules.
  var table = UnitSchedules()
  /// Each agent's schedule in ``table``.
  var scheduleOf: [Int32] = []
  var isBuyer: [Bool] = []
  var equilibrium: (quantity: Int, surplus: Double, price: Double) = (0, 0, 0)
  var ceiling = 0.0
  static let margins: [Double] = (0...10).map { Double($0) * 0.05 }

  public init(spec: DoubleAuctionParameters) { self.spec = spec }

  public init(spec: DoubleAuctionParameters, scenario: ScenarioSpec) { self.init(spec: spec) }
  public static var matchings: [MatchingType] { [.market] }
  /// Gode & Sunder's budget-constrained zero-intelligence trader (bids uniform below its value, asks uniform above
  /// its cost).
  public static var strategies: [String] { ["zero_intelligence"] }
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double { Experiment.matchBytes(spec, perAgent: 208) }
  /// Orders per trader per period.
  public static func eventsPerAgentRound(_ spec: ScenarioSpec) -> Double {
    let p = parameters(spec)
    return p.orderRate * p.periodLength
  }
  public var optionCount: Int { DoubleAuction.margins.count }

  enum Counter: Int {
    case periods, surplus, ceSurplus, trades, ceQuantity, price, squaredDeviation, buyerSurplus, sellerSurplus
  }

  public var counterNames: [String] {
    [
      "periods", "surplus", "ce_surplus", "trades", "ce_quantity", "price", "squared_deviation", "buyer_surplus",
      "seller_surplus",
    ]
  }

  public var headline: [String] { ["mean_price", "price_rmsd", "trades_per_period"] }

  public var parameterColumns: [(String, Cell)] {
    [
      ("period_length", .double(spec.periodLength)), ("order_rate", .double(spec.orderRate)),
      ("ce_price", .double(equilibrium.price)), ("ce_quantity", .int(equilibrium.quantity)),
    ]
  }

  public static let metricColumns = [
    Column(
      "ce_price", unit: Column.Unit.payoff,
      "competitive-equilibrium price: the middle of the market-clearing price range of the traders' values and costs "
        + "(drawn, or every unit of the schedules the agents hold)"),
    Column(
      "ce_quantity", .integer, unit: Column.Unit.count,
      "units traded per period in the competitive equilibrium of the traders' values and costs"),
    Column(
      "efficiency", unit: Column.Unit.share,
      "realised surplus (buyers' values minus sellers' costs of the units traded) over the competitive-equilibrium "
        + "surplus, summed over periods"),
    Column("trades_per_period", unit: Column.Unit.count, "mean trades per trading period"),
    Column("quantity_ratio", "trades over the competitive-equilibrium quantity, summed over periods"),
    Column("mean_price", unit: Column.Unit.payoff, "mean price of the trades"),
    Column("price_rmsd", unit: Column.Unit.payoff, "root mean squared deviation of the trade prices from `ce_price`"),
    Column("buyer_surplus_share", unit: Column.Unit.share, "buyers' share of the realised surplus"),
  ]

  /// One row per trade in `events.csv` (`output.events`), in the order trades happened.
  public static let eventColumns = [
    Column("round", .integer, unit: Column.Unit.rounds, "the trading period, from 1"),
    Column(
      "period_time", unit: Column.Unit.time, "when in the period the trade happened, from 0 to `period_length`"),
    Column("buyer", .integer, "the buyer's agent id"),
    Column("seller", .integer, "the seller's agent id"),
    Column("price", unit: Column.Unit.payoff, "the price of the trade: the standing bid or ask it crossed"),
    Column("buyer_value", unit: Column.Unit.payoff, "the buyer's value of the unit it bought"),
    Column("seller_cost", unit: Column.Unit.payoff, "the seller's cost of the unit it sold"),
    Column("buyer_surplus", unit: Column.Unit.payoff, "the buyer's gain: its value less the price"),
    Column("seller_surplus", unit: Column.Unit.payoff, "the seller's gain: the price less its cost"),
  ]

  public func metrics(_ c: GameCounters) -> [(String, Double)] {
    [
      ("efficiency", c.ratio(Counter.surplus.rawValue, Counter.ceSurplus.rawValue)),
      ("trades_per_period", c.ratio(Counter.trades.rawValue, Counter.periods.rawValue)),
      ("quantity_ratio", c.ratio(Counter.trades.rawValue, Counter.ceQuantity.rawValue)),
      ("mean_price", c.ratio(Counter.price.rawValue, Counter.trades.rawValue)),
      ("price_rmsd", sqrt(c.ratio(Counter.squaredDeviation.rawValue, Counter.trades.rawValue))),
      ("buyer_surplus_share", c.ratio(Counter.buyerSurplus.rawValue, Counter.surplus.rawValue)),
    ]
  }

  /// Refuses schedules that are malformed (see ``DoubleAuctionParameters/scheduleIssue``).
  public static func check(_ spec: ScenarioSpec) throws(ScenarioIssue) {
    if let issue = parameters(spec).scheduleIssue { throw issue }
  }

  /// Draws the values and costs (or hands out the schedules) and computes the competitive equilibrium: the
  /// quantity where the sorted demand (every buyer's units, descending) meets the sorted supply (every seller's
  /// units, ascending), its surplus, and the middle of its price range.
  mutating func prepare(_ context: MatchContext, stream: RandomStream) {
    let n = context.population.count
    if spec.hasSchedules {
      (isBuyer, scheduleOf) = DoubleAuction.assignSchedules(
        count: n, buyers: spec.buyers.count, sellers: spec.sellers.count)
      table = UnitSchedules(spec.buyers + spec.sellers)
    } else {
      isBuyer = (0..<n).map { context.population.isEvenInSegment($0) }
      let valuation = (0..<n).map { i in max(0, (isBuyer[i] ? spec.values : spec.costs).sample(stream)) }
      table = UnitSchedules(singleUnits: valuation)
      scheduleOf = (0..<n).map { Int32($0) }
    }
    var values: [Double] = []
    var costs: [Double] = []
    for i in 0..<n {
      let units = table.schedule(Int(scheduleOf[i]))
      if isBuyer[i] { values += units } else { costs += units }
    }
    equilibrium = DoubleAuction.competitiveEquilibrium(values: values, costs: costs)
    ceiling = max(table.units.max() ?? 0, spec.stake)
  }

  /// The roles and schedules of `count` agents in a market of `buyers` buyer and `sellers` seller schedules: the
  /// roles interleave evenly in agent order (agent `i` is a buyer when `ceil((i + 1) b / t) > ceil(i b / t)`,
  /// `t = b + s`), and the k-th buyer takes buyer schedule `k mod b`, the k-th seller seller schedule `k mod s`
  /// (numbered after the buyers' schedules). So the first `b + s` agents play the market as written, a multiple of
  /// `b + s` agents plays copies of it, and every segment of such a size holds a whole copy.
  static func assignSchedules(count n: Int, buyers b: Int, sellers s: Int) -> (isBuyer: [Bool], schedule: [Int32]) {
    let t = b + s
    var isBuyer = [Bool](repeating: false, count: n)
    var schedule = [Int32](repeating: 0, count: n)
    for i in 0..<n {
      let before = (i * b + t - 1) / t
      let through = ((i + 1) * b + t - 1) / t
      isBuyer[i] = through > before
      schedule[i] = Int32(isBuyer[i] ? before % b : b + (i - before) % s)
    }
    return (isBuyer, schedule)
  }

  /// The value (a buyer) or cost (a seller) of agent `i`'s next unit, `traded` units in.
  @inline(__always)
  func value(_ i: Int, traded: [Int32]) -> Double { table.value(Int(scheduleOf[i]), unit: Int(traded[i])) }

  /// The competitive equilibrium of unit values and costs: the quantity where demand (values, descending) meets
  /// supply (costs, ascending), the surplus of those trades, and the middle of the market-clearing price range.
  public static func competitiveEquilibrium(values: [Double], costs: [Double]) -> (
    quantity: Int, surplus: Double, price: Double
  ) {
    let demand = values.sorted(by: >)
    let supply = costs.sorted()
    var q = 0
    var surplus = 0.0
    while q < min(demand.count, supply.count) && demand[q] >= supply[q] {
      surplus += demand[q] - supply[q]
      q += 1
    }
    var low = q > 0 ? supply[q - 1] : 0
    var high = q > 0 ? demand[q - 1] : 0
    if q < demand.count { low = max(low, demand[q]) }
    if q < supply.count { high = min(high, supply[q]) }
    return (q, surplus, (low + high) / 2)
  }

  enum Order {
    case arrive(Int32)
    case close
  }

  public mutating func play(_ group: MatchGroup, round: Int, context: inout MatchContext) {
    if scheduleOf.count != context.population.count {
      prepare(context, stream: context.environment)
    }
    // Units each agent has traded this period; an agent is active while its schedule has units left.
    var traded = [Int32](repeating: 0, count: scheduleOf.count)
    var bid: (price: Double, agent: Int)? = nil
    var ask: (price: Double, agent: Int)? = nil
    var simulation = Simulation<Order>()
    let mean = 1 / spec.orderRate
    for agent in group { simulation.schedule(.arrive(Int32(agent)), at: context.stream.exponential(mean: mean)) }
    simulation.schedule(.close, at: spec.periodLength, priority: -1)
    let p = equilibrium.price
    while let event = simulation.next(until: spec.periodLength) {
      guard case .arrive(let a) = event else { break }
      let i = Int(a)
      guard Int(traded[i]) < table.length(Int(scheduleOf[i])) else { continue }
      simulation.schedule(.arrive(a), after: context.stream.exponential(mean: mean))
      let price = order(i, traded: traded, bid: bid?.price, ask: ask?.price, context: &context)
      var trade: (buyer: Int, seller: Int, price: Double)? = nil
      if isBuyer[i] {
        if let standing = ask, price >= standing.price {
          trade = (i, standing.agent, standing.price)
        } else if bid == nil || price > bid!.price {
          bid = (price, i)
        }
      } else {
        if let standing = bid, price <= standing.price {
          trade = (standing.agent, i, standing.price)
        } else if ask == nil || price < ask!.price {
          ask = (price, i)
        }
      }
      guard let trade else { continue }
      let buyerGain = value(trade.buyer, traded: traded) - trade.price
      let sellerGain = trade.price - value(trade.seller, traded: traded)
      context.log([
        .int(round + 1), .double(simulation.now), .int(trade.buyer), .int(trade.seller), .double(trade.price),
        .double(value(trade.buyer, traded: traded)), .double(value(trade.seller, traded: traded)), .double(buyerGain),
        .double(sellerGain),
      ])
      traded[trade.buyer] += 1
      traded[trade.seller] += 1
      bid = nil
      ask = nil
      context.pay(trade.buyer, buyerGain)
      context.pay(trade.seller, sellerGain)
      context.observe(trade.buyer, trade.price / ceiling)
      context.observe(trade.seller, trade.price / ceiling)
      context.countTotal(Counter.trades.rawValue)
      context.countTotal(Counter.price.rawValue, trade.price)
      context.countTotal(Counter.squaredDeviation.rawValue, (trade.price - p) * (trade.price - p))
      context.countTotal(Counter.surplus.rawValue, buyerGain + sellerGain)
      context.countTotal(Counter.buyerSurplus.rawValue, buyerGain)
      context.countTotal(Counter.sellerSurplus.rawValue, sellerGain)
    }
    context.countTotal(Counter.periods.rawValue)
    context.countTotal(Counter.ceSurplus.rawValue, equilibrium.surplus)
    context.countTotal(Counter.ceQuantity.rawValue, Double(equilibrium.quantity))
  }

  /// The price trader `i` quotes for its next unit, given the standing bid and ask.
  func order(_ i: Int, traded: [Int32], bid: Double?, ask: Double?, context: inout MatchContext) -> Double {
    let v = value(i, traded: traded)
    if context.strategy(i) != nil {
      let u = context.uniform()
      return isBuyer[i] ? u * v : v + u * (ceiling - v)
    }
    let m = context.motives(i)
    let typical = context.belief(i) * ceiling
    let scale = max(ceiling * 0.05, 1e-9)
    for (k, margin) in DoubleAuction.margins.enumerated() {
      let price = isBuyer[i] ? v * (1 - margin) : v + margin * (ceiling - v)
      let crosses = isBuyer[i] ? ask.map { price >= $0 } ?? false : bid.map { price <= $0 } ?? false
      let gain = isBuyer[i] ? v - (crosses ? ask! : price) : (crosses ? bid! : price) - v
      let chance = crosses ? 1 : 1 / (1 + exp((isBuyer[i] ? typical - price : price - typical) / scale))
      context.utilities[k] = chance * m.utility(own: gain / ceiling, other: 0)
    }
    let k = context.choose(
      i, options: DoubleAuction.margins.count, salient: -1,
      prompt: orderPrompt(i, value: v, unit: Int(traded[i]), bid: bid, ask: ask))
    return isBuyer[i] ? v * (1 - DoubleAuction.margins[k]) : v + DoubleAuction.margins[k] * (ceiling - v)
  }

  /// The question an LLM trader answers for unit `unit` (0-based) of its schedule, worth (or costing) `v`.
  func orderPrompt(_ i: Int, value v: Double, unit: Int, bid: Double?, ask: Double?) -> DecisionPrompt {
    let a = DecisionPrompt.amount
    let buyer = isBuyer[i]
    let units = table.length(Int(scheduleOf[i]))
    let trading =
      units == 1
      ? "You trade one unit in a double auction."
      : "You trade up to \(units) units in a double auction, one at a time; this is your unit \(unit + 1)."
    let rules =
      trading + " Buyers post bids, sellers post asks; a bid at or above the standing ask, or an ask at or below the "
      + "standing bid, trades at the standing price. "
      + (buyer
        ? "You are a buyer; the unit is worth \(a(v)) to you, and you gain its worth minus the price."
        : "You are a seller; the unit costs you \(a(v)), and you gain the price minus the cost.")
    let book =
      "The standing bid is \(bid.map(a) ?? "none") and the standing ask is \(ask.map(a) ?? "none"). What price do you "
      + (buyer ? "bid?" : "ask?")
    let prices = DoubleAuction.margins.map { buyer ? v * (1 - $0) : v + $0 * (ceiling - v) }
    return DecisionPrompt(
      kind: buyer ? "double_auction.bid" : "double_auction.ask", rules: rules, question: book,
      options: prices.map { "\(buyer ? "bid" : "ask") \(String(format: "%.2f", $0))" })
  }
}

extension GameType {
  public static let doubleAuction: GameType = "double_auction"
}
