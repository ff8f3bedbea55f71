import AgoraCore
import Foundation

/// The dark forest: civilizations in a 2-D or 3-D region that broadcast, hide, cooperate or strike (the model of
/// CosmoAgent, "What if LLMs have different world views", in continuous time and at scale).
///
/// Each civilization has five resources — military, technology, production, consumption, storage — growing
/// logistically to their capacities, `x(t) = K / (1 + (K/x0 - 1) exp(-a (t - t0)))`, evaluated lazily when the
/// civilization is touched. Signals (broadcasts, leaks, the news of a strike) travel at `light_speed` and carry the
/// sender's state as it was at emission; fleets travel at `fleet_speed` and meet the defender's state at arrival;
/// battles follow Lanchester's square law. Decisions (wait, hide, broadcast, greet, strike, mobilise, develop) are
/// made by the decoder from a worldview read off the latent preferences: aggression = envy, trust = reciprocity,
/// caution = risk aversion, openness = honesty.
public struct DarkForestRun {
  public let scenario: ScenarioSpec
  public let population: Population
  let spec: DarkForestSpec
  let seeds: SeedSequence
  let decoding: [DecodingParameters]
  var decoder = ChoiceDecoder(capacity: 16)
  var utilities = [Double](repeating: 0, count: 8)
  /// The language-model agents of the run, when a segment has `policy: llm`.
  public var languageModel: (any ExternalDeciders)? = nil

  // Civilization state, struct of arrays.
  var position: [Double]
  /// Resources at `updated[i]`, ``Resource/count`` a civilization in ``Resource`` order (read them with
  /// ``resource(_:of:)`` or `self[r, of: i]`).
  public internal(set) var resources: [Double]
  var updated: [Double]
  /// Growth rates, laid out as `resources`.
  var rates: [Double]
  var techCap: [Double]
  public internal(set) var alive: [Bool]
  public internal(set) var bornAt: [Double]
  var endedAt: [Double]
  var annihilated: [Bool]
  var broadcast: [Bool]
  var visibility: [Double]
  var partners: [Int32]
  var parent: [Int32]
  var mode: [Mode]
  /// The most threatening contact each civilization knows of: id, military then, emission time, distance.
  var contact: [Int32]
  var contactMilitary: [Double]
  var contactTime: [Double]
  var contactDistance: [Double]
  var lastDecision: [Double]
  let grid: SpatialGrid

  public internal(set) var counts = DarkForestCounts()
  /// Test hook: when on, every signal arrival and battle is recorded.
  public var recording = false
  public internal(set) var signals: [(emitted: Double, arrived: Double, distance: Double)] = []
  public internal(set) var battles:
    [(launched: Double, arrived: Double, attacker: Double, defender: Double, defenderAtLaunch: Double)] = []
  public internal(set) var steps: [(time: Double, alive: [Int], silent: Double, largestGroup: Int)] = []

  /// A civilization's resources, in the order they are stored in `resources` and `rates`.
  public enum Resource: Int, CaseIterable, Sendable {
    /// Fleets: the strength of a strike or a defence; its capacity scales with the technology capacity.
    case military
    /// Technology: its capacity grows by breakthroughs; it sets how often the civilization leaks signals.
    case technology
    /// Production: with storage, what consumption must not outrun.
    case production
    /// Consumption: grows at a fixed rate; once it exceeds production plus storage the civilization collapses.
    case consumption
    /// Storage: with production, what consumption must not outrun.
    case storage

    /// The number of resources a civilization has (its stride in `resources`).
    public static let count = 5

    /// The capacity before any breakthrough.
    var baseCapacity: Double {
      switch self {
      case .military, .technology, .production: return 100
      case .consumption: return 90
      case .storage: return 50
      }
    }

    /// The share of its base capacity a civilization starts with.
    var initialShare: Double { self == .consumption ? 0.05 : 0.1 }
  }

  /// What a civilization can do at a decision epoch, in the order of the decision prompt's options.
  enum Action: Int, CaseIterable {
    case wait, hide, broadcast, proposeCooperation, strike, mobilise, develop
  }

  /// The answer to a proposal of cooperation, in the order of the prompt's options.
  enum Answer: Int, CaseIterable {
    case accept, refuse
  }

  /// How a civilization splits its growth budget.
  enum Mode: UInt8 {
    case balanced, mobilised, developing
  }

  /// Consumption's growth rate, whatever the mode.
  static let consumptionRate = 0.15
  /// Each breakthrough multiplies the technology capacity by this.
  static let breakthroughGain = 1.5
  /// Hiding multiplies visibility by this, down to `minimumVisibility`.
  static let hidingFactor = 0.3, minimumVisibility = 0.05
  /// The military left at home when the fleet leaves, and the least a defender keeps after a lost battle (logistic
  /// growth from zero would never restart).
  static let militaryFloor = 1.0
  /// Emissions are looked for this many detection scales around the emitter (detection probability `exp(-7)`
  /// beyond).
  static let detectionReach = 7.0

  /// The index of civilization `i`'s resource `r` in `resources` and `rates`.
  @inline(__always) static func slot(_ r: Resource, of i: Int) -> Int { i * Resource.count + r.rawValue }

  /// Civilization `i`'s resource `r` at `updated[i]`.
  @inline(__always) public func resource(_ r: Resource, of i: Int) -> Double { resources[Self.slot(r, of: i)] }

  /// Civilization `i`'s resource `r` at `updated[i]`, to read or write.
  subscript(r: Resource, of i: Int) -> Double {
    @inline(__always) get { resources[Self.slot(r, of: i)] }
    @inline(__always) set { resources[Self.slot(r, of: i)] = newValue }
  }

  public init(scenario: ScenarioSpec, population: Population, seeds: SeedSequence) {
    self.scenario = scenario
    self.population = population
    self.seeds = seeds
    spec = DarkForestRun.parameters(scenario).darkForest
    decoding = population.segments.map(\.decoding)
    let n = population.count
    let d = spec.dimensions
    let space = seeds.stream(for: .environment, index: 1, generator: scenario.generator)
    position = (0..<(n * d)).map { _ in space.uniform() * DarkForestRun.parameters(scenario).darkForest.region }
    resources = [Double](repeating: 0, count: n * Resource.count)
    updated = [Double](repeating: 0, count: n)
    rates = [Double](repeating: 0, count: n * Resource.count)
    techCap = [Double](repeating: Resource.technology.baseCapacity, count: n)
    alive = [Bool](repeating: false, count: n)
    bornAt = [Double](repeating: .infinity, count: n)
    endedAt = [Double](repeating: .infinity, count: n)
    annihilated = [Bool](repeating: false, count: n)
    broadcast = [Bool](repeating: false, count: n)
    visibility = [Double](repeating: 0.5, count: n)
    partners = [Int32](repeating: 0, count: n)
    parent = (0..<Int32(n)).map { $0 }
    mode = [Mode](repeating: .balanced, count: n)
    contact = [Int32](repeating: -1, count: n)
    contactMilitary = [Double](repeating: 0, count: n)
    contactTime = [Double](repeating: 0, count: n)
    contactDistance = [Double](repeating: 0, count: n)
    lastDecision = [Double](repeating: -.infinity, count: n)
    grid = SpatialGrid(
      positions: position, dimensions: d, region: spec.region, cell: spec.gridCell)
    for i in 0..<n {
      for r in Resource.allCases { self[r, of: i] = r.baseCapacity * r.initialShare }
      setRates(i)
    }
  }

  /// The logistic curve from `x0` towards `capacity` at rate `rate` after `dt`.
  public static func logistic(_ x0: Double, capacity: Double, rate: Double, after dt: Double) -> Double {
    guard x0 > 0, rate > 0, dt > 0 else { return x0 }
    return capacity / (1 + (capacity / x0 - 1) * exp(-rate * dt))
  }

  /// Lanchester's square law: the stronger side wins and keeps `sqrt(A^2 - B^2)`; a tie destroys both.
  public static func lanchester(_ a: Double, _ b: Double) -> (attackerWins: Bool, survivors: Double) {
    a > b ? (true, (a * a - b * b).squareRoot()) : (false, (b * b - a * a).squareRoot())
  }

  /// Civilization `i`'s capacity of resource `r`: military's scales with the technology capacity.
  @inline(__always) func capacity(_ r: Resource, of i: Int) -> Double {
    switch r {
    case .military: return r.baseCapacity * techCap[i] / Resource.technology.baseCapacity
    case .technology: return techCap[i]
    case .production, .consumption, .storage: return r.baseCapacity
    }
  }

  /// Sets civilization `i`'s growth rates from its mode and partners: the growth budget, raised by each partner, is
  /// split among military, technology, production and storage; consumption grows at its own fixed rate.
  mutating func setRates(_ i: Int) {
    let weights: (military: Double, technology: Double, production: Double, storage: Double)
    switch mode[i] {
    case .balanced: weights = (0.25, 0.25, 0.25, 0.25)
    case .mobilised: weights = (0.6, 0.1, 0.2, 0.1)
    case .developing: weights = (0.1, 0.3, 0.4, 0.2)
    }
    let budget = spec.growthBudget + spec.cooperationBonus * Double(partners[i])
    rates[Self.slot(.military, of: i)] = budget * weights.military
    rates[Self.slot(.technology, of: i)] = budget * weights.technology
    rates[Self.slot(.production, of: i)] = budget * weights.production
    rates[Self.slot(.storage, of: i)] = budget * weights.storage
    rates[Self.slot(.consumption, of: i)] = DarkForestRun.consumptionRate
  }

  /// Brings civilization `i`'s resources to time `t` (closed form), and collapses it if consumption outruns
  /// production and storage.
  mutating func advance(_ i: Int, to t: Double) {
    let dt = t - updated[i]
    if dt > 0 {
      for r in Resource.allCases {
        self[r, of: i] = DarkForestRun.logistic(
          self[r, of: i], capacity: capacity(r, of: i), rate: rates[Self.slot(r, of: i)], after: dt)
      }
      updated[i] = t
    }
    assertPositive(i)
    if alive[i], self[.consumption, of: i] > self[.production, of: i] + self[.storage, of: i] {
      end(i, at: t, annihilated: false)
      counts.collapses += 1
    }
  }

  /// Debug builds: civilization `i`'s resources are positive. Every write keeps them so (a logistic step from a
  /// positive value, the military floor, a positive gain); only an overflowing technology capacity can make one
  /// infinite or not a number.
  @inline(__always) func assertPositive(_ i: Int) {
    for r in Resource.allCases {
      assert(!(self[r, of: i] <= 0), "civilization \(i)'s \(r) fell to \(self[r, of: i])")
    }
  }

  mutating func end(_ i: Int, at t: Double, annihilated byStrike: Bool) {
    alive[i] = false
    endedAt[i] = t
    annihilated[i] = byStrike
  }

  func distance(_ i: Int, _ j: Int) -> Double {
    let d = spec.dimensions
    var s = 0.0
    for k in 0..<d {
      let dx = position[i * d + k] - position[j * d + k]
      s += dx * dx
    }
    return s.squareRoot()
  }

  enum Event {
    case birth(Int32)
    /// A decision epoch on the civilization's own clock (it schedules the next one).
    case decide(Int32)
    /// A decision epoch because new information arrived (it schedules nothing).
    case react(Int32)
    case leak(Int32)
    case breakthrough(Int32)
    /// A signal about `from` (military then, emitted at `emitted`, having travelled `travelled`) reaches `to`.
    case signal(to: Int32, from: Int32, military: Double, emitted: Double, travelled: Double)
    case fleet(attacker: Int32, defender: Int32, strength: Double, launched: Double, defenderAtLaunch: Double)
    case request(to: Int32, from: Int32)
    case reply(to: Int32, from: Int32, accepted: Bool)
    case sample
  }

  public mutating func run(progress: ((Double) -> Void)? = nil) {
    let n = population.count
    let horizon = Double(scenario.game.rounds)
    let births = seeds.stream(for: .environment, index: 2, generator: scenario.generator)
    let nature = seeds.stream(for: .environment, index: 3, generator: scenario.generator)
    let decisions = seeds.stream(for: .decisions, generator: scenario.generator)
    var simulation = Simulation<Event>()
    for i in 0..<n {
      let t = births.uniform() < spec.initialShare ? 0 : births.uniform() * horizon
      simulation.schedule(.birth(Int32(i)), at: t)
    }
    simulation.schedule(.sample, at: 0, priority: 5)
    var lastSample = -1.0
    while let event = simulation.next(until: horizon) {
      let now = simulation.now
      switch event {
      case .birth(let a):
        let i = Int(a)
        alive[i] = true
        bornAt[i] = now
        updated[i] = now
        counts.born += 1
        simulation.schedule(.decide(a), after: nature.exponential(mean: 1 / spec.decisionRate))
        scheduleLeak(a, simulation: &simulation, nature: nature)
        if spec.breakthroughRate > 0 {
          simulation.schedule(.breakthrough(a), after: nature.exponential(mean: 1 / spec.breakthroughRate))
        }
      case .decide(let a), .react(let a):
        let i = Int(a)
        guard alive[i] else { continue }
        advance(i, to: now)
        guard alive[i] else { continue }
        decide(i, now: now, simulation: &simulation, stream: decisions, nature: nature)
        if case .decide = event {
          simulation.schedule(.decide(a), after: nature.exponential(mean: 1 / spec.decisionRate))
        }
      case .leak(let a):
        let i = Int(a)
        guard alive[i] else { continue }
        advance(i, to: now)
        guard alive[i] else { continue }
        emit(from: i, at: now, scale: spec.detectionScale, simulation: &simulation, nature: nature)
        counts.leaks += 1
        scheduleLeak(a, simulation: &simulation, nature: nature)
      case .breakthrough(let a):
        let i = Int(a)
        guard alive[i] else { continue }
        advance(i, to: now)
        techCap[i] *= DarkForestRun.breakthroughGain
        counts.breakthroughs += 1
        simulation.schedule(.breakthrough(a), after: nature.exponential(mean: 1 / spec.breakthroughRate))
      case .signal(let to, let from, let military, let emitted, let travelled):
        let j = Int(to)
        guard alive[j] else { continue }
        if recording { signals.append((emitted, now, travelled)) }
        counts.detections += 1
        // Keep the most threatening contact (largest military as reported); news of it is a reason to decide,
        // unless the civilization decided less than half a decision interval ago.
        let changed = contact[j] != from || abs(military - contactMilitary[j]) > 0.1 * max(1, contactMilitary[j])
        if contact[j] < 0 || military >= contactMilitary[j] || Int(from) == Int(contact[j]) {
          contact[j] = from
          contactMilitary[j] = military
          contactTime[j] = emitted
          contactDistance[j] = distance(Int(from), j)
          if changed && now - lastDecision[j] >= 0.5 / spec.decisionRate { simulation.schedule(.react(to), after: 0) }
        }
      case .fleet(let attacker, let defender, let strength, let launched, let before):
        resolve(
          Int(attacker), Int(defender), strength: strength, launched: launched, defenderAtLaunch: before, at: now,
          simulation: &simulation, nature: nature)
      case .request(let to, let from):
        let j = Int(to)
        let i = Int(from)
        guard alive[j], alive[i] else { continue }
        advance(j, to: now)
        guard alive[j] else { continue }
        let m = population.value(.reciprocity, of: j)
        let threat = threatOf(j)
        utilities[Answer.accept.rawValue] = min(2, max(0, m)) * (1 - threat) + 0.1
        utilities[Answer.refuse.rawValue] = 0.3 * threat
        let away = distance(i, j)
        let accept =
          choose(j, options: Answer.allCases.count, salient: Answer.accept.rawValue, stream: decisions) {
            DecisionPrompt(
              kind: "dark_forest.answer", rules: DarkForestRun.rules,
              question: "Another civilization, \(DecisionPrompt.amount(away)) away, proposes to cooperate. "
                + "You estimate its military threat at \(Int((threat * 100).rounded()))%.",
              options: ["accept", "refuse"])
          } == Answer.accept.rawValue
        simulation.schedule(.reply(to: from, from: to, accepted: accept), after: distance(i, j) / spec.lightSpeed)
      case .reply(let to, let from, let accepted):
        counts.requestsAnswered += 1
        let i = Int(to)
        let j = Int(from)
        guard accepted, alive[i], alive[j] else { continue }
        advance(i, to: now)
        advance(j, to: now)
        guard alive[i], alive[j] else { continue }
        counts.alliances += 1
        partners[i] += 1
        partners[j] += 1
        setRates(i)
        setRates(j)
        union(i, j)
      case .sample:
        sample(now)
        lastSample = now
        progress?(now / horizon)
        if now + spec.sampleInterval <= horizon {
          simulation.schedule(.sample, at: now + spec.sampleInterval, priority: 5)
        }
      }
    }
    if lastSample < horizon { sample(horizon) }
    for i in 0..<n where alive[i] { advance(i, to: horizon) }
  }

  mutating func scheduleLeak(_ a: Int32, simulation: inout Simulation<Event>, nature: RandomStream) {
    let i = Int(a)
    let rate = spec.leakRate * (self[.technology, of: i] / Resource.technology.baseCapacity) * visibility[i]
    guard rate > 0 else { return }
    simulation.schedule(.leak(a), after: nature.exponential(mean: 1 / rate))
  }

  /// Sends civilization `i`'s state, as it is now, to everyone who detects it.
  mutating func emit(
    from i: Int, at now: Double, scale: Double, simulation: inout Simulation<Event>, nature: RandomStream
  ) {
    let military = self[.military, of: i]
    grid.forEachNear(i, within: min(DarkForestRun.detectionReach * scale, grid.cell)) { j in
      guard j != i, alive[j] else { return }
      let d = distance(i, j)
      if nature.uniform() < exp(-d / scale) {
        simulation.schedule(
          .signal(to: Int32(j), from: Int32(i), military: military, emitted: now, travelled: d),
          after: d / spec.lightSpeed)
      }
    }
  }

  /// The rules of the dark forest, as told to a language-model civilization.
  static let rules =
    "You lead a civilization among others scattered in space. Signals travel at the speed of light and fleets more "
    + "slowly, so what you know of others is old. A visible civilization can be found and attacked; battles are won by "
    + "the larger military. Cooperation helps both sides grow; a strike can destroy a rival or provoke one."

  func threatOf(_ i: Int) -> Double {
    guard contact[i] >= 0 else { return 0.1 * visibility[i] }
    let own = self[.military, of: i]
    return contactMilitary[i] / (own + contactMilitary[i] + 1e-9)
  }

  /// A decision epoch of civilization `i`.
  mutating func decide(
    _ i: Int, now: Double, simulation: inout Simulation<Event>, stream: RandomStream, nature: RandomStream
  ) {
    let aggression = min(2, max(0, population.value(.envy, of: i)))
    let trust = min(2, max(0, population.value(.reciprocity, of: i)))
    let caution = min(2, max(0, population.value(.riskAversion, of: i)))
    let openness = min(2, max(0, population.value(.honesty, of: i)))
    let known = contact[i] >= 0 && alive[Int(contact[i])]
    let threat = threatOf(i)
    let own = self[.military, of: i]
    let enemy = contactMilitary[i]
    // Minus infinity, not a large negative number: no temperature or logit bias may make it possible.
    let unavailable = -Double.infinity
    lastDecision[i] = now
    utilities[Action.wait.rawValue] = 0
    utilities[Action.hide.rawValue] = caution * threat - 0.1 * openness
    utilities[Action.broadcast.rawValue] =
      0.5 * openness - caution * (0.5 + threat) - (visibility[i] >= 0.99 ? 1 : 0)
    utilities[Action.proposeCooperation.rawValue] = known ? trust * (1 - threat) + 0.2 * openness : unavailable
    utilities[Action.strike.rawValue] = known ? aggression * (own > enemy ? 1 : -1) - 0.5 * caution : unavailable
    utilities[Action.mobilise.rawValue] =
      mode[i] == .mobilised ? unavailable : (aggression + 0.5 * caution) * threat - 0.2
    utilities[Action.develop.rawValue] = mode[i] == .developing ? unavailable : 0.3 * (1 - threat)
    let excluded = (0..<Action.allCases.count).filter { utilities[$0] <= unavailable }
    let choice = choose(
      i, options: Action.allCases.count, salient: Action.proposeCooperation.rawValue, stream: stream
    ) {
      DecisionPrompt(
        kind: "dark_forest.act", rules: DarkForestRun.rules,
        question: (known
          ? "You know of another civilization whose military is \(DecisionPrompt.amount(enemy)) against your "
            + "\(DecisionPrompt.amount(own)). "
          : "You know of no other civilization. ")
          + "Your threat estimate is \(Int((threat * 100).rounded()))%. What do you do now?",
        options: [
          "wait", "hide (lower your visibility)", "broadcast your existence",
          "propose cooperation to the known civilization",
          "strike the known civilization", "mobilise (build military)", "develop (build technology and production)",
        ], excluded: excluded)
    }
    guard let action = Action(rawValue: choice) else {
      preconditionFailure("a decision of \(Action.allCases.count) options chose option \(choice)")
    }
    // The decoder never draws an option of utility minus infinity, and a language model is asked among the others.
    assert(!excluded.contains(choice), "civilization \(i) chose the unavailable \(action)")
    if known { counts.staleness += now - contactTime[i]; counts.informedDecisions += 1 }
    counts.decisions += 1
    switch action {
    case .wait: break
    case .hide:
      visibility[i] = max(DarkForestRun.minimumVisibility, visibility[i] * DarkForestRun.hidingFactor)
      counts.hides += 1
    case .broadcast:
      visibility[i] = 1
      broadcast[i] = true
      counts.broadcasts += 1
      emit(from: i, at: now, scale: 2 * spec.detectionScale, simulation: &simulation, nature: nature)
    case .proposeCooperation:
      let j = Int(contact[i])
      counts.requests += 1
      simulation.schedule(.request(to: Int32(j), from: Int32(i)), after: distance(i, j) / spec.lightSpeed)
    case .strike:
      let j = Int(contact[i])
      let fleet = self[.military, of: i]
      self[.military, of: i] = DarkForestRun.militaryFloor
      counts.strikes += 1
      let defenderNow = DarkForestRun.logistic(
        self[.military, of: j], capacity: capacity(.military, of: j), rate: rates[Self.slot(.military, of: j)],
        after: now - updated[j])
      simulation.schedule(
        .fleet(attacker: Int32(i), defender: Int32(j), strength: fleet, launched: now, defenderAtLaunch: defenderNow),
        after: distance(i, j) / spec.fleetSpeed)
    case .mobilise:
      mode[i] = .mobilised
      setRates(i)
    case .develop:
      mode[i] = .developing
      setRates(i)
    }
  }

  /// A fleet of `strength` meets the defender as it is now (its state advanced to the arrival time).
  mutating func resolve(
    _ attacker: Int, _ defender: Int, strength: Double, launched: Double, defenderAtLaunch: Double, at now: Double,
    simulation: inout Simulation<Event>, nature: RandomStream
  ) {
    guard alive[defender] else { return }
    advance(defender, to: now)
    guard alive[defender] else { return }
    let b = self[.military, of: defender]
    if recording { battles.append((launched, now, strength, b, defenderAtLaunch)) }
    let (won, survivors) = DarkForestRun.lanchester(strength, b)
    counts.battles += 1
    if won {
      counts.strikesWon += 1
      end(defender, at: now, annihilated: true)
      if alive[attacker] {
        advance(attacker, to: now)
        // The victor takes half of the defender's technology, production and storage.
        self[.military, of: attacker] += survivors
        for r in [Resource.technology, .production, .storage] { self[r, of: attacker] += self[r, of: defender] / 2 }
        assertPositive(attacker)
      }
    } else {
      self[.military, of: defender] = max(DarkForestRun.militaryFloor, survivors)
    }
    // The strike reveals the attacker to observers near the battle.
    guard spec.revealRadius > 0, alive[attacker] else { return }
    let military = self[.military, of: attacker]
    grid.forEachNear(defender, within: spec.revealRadius) { j in
      guard j != attacker, j != defender, alive[j] else { return }
      let d = distance(defender, j)
      guard d <= spec.revealRadius else { return }
      simulation.schedule(
        .signal(to: Int32(j), from: Int32(attacker), military: military, emitted: now, travelled: d),
        after: d / spec.lightSpeed)
    }
  }

  mutating func find(_ i: Int) -> Int {
    var r = i
    while Int(parent[r]) != r { r = Int(parent[r]) }
    var k = i
    while Int(parent[k]) != r {
      let next = Int(parent[k])
      parent[k] = Int32(r)
      k = next
    }
    return r
  }

  mutating func union(_ i: Int, _ j: Int) {
    let a = find(i)
    let b = find(j)
    if a != b { parent[max(a, b)] = Int32(min(a, b)) }
  }

  /// Each civilization's total resources now (0 once it has ended).
  public func totals() -> [Double] {
    alive.indices.map { i in
      alive[i] ? Resource.allCases.reduce(0) { $0 + self[$1, of: i] } - self[.consumption, of: i] : 0
    }
  }

  /// The largest group of living civilizations linked by accepted cooperation.
  mutating func largestGroup() -> Int {
    var size: [Int: Int] = [:]
    for i in alive.indices where alive[i] && partners[i] > 0 { size[find(i), default: 0] += 1 }
    return size.values.max() ?? (alive.contains(true) ? 1 : 0)
  }

  mutating func sample(_ t: Double) {
    var byWorldview = [Int](repeating: 0, count: population.segments.count)
    var living = 0
    var silent = 0
    for i in alive.indices where alive[i] {
      byWorldview[Int(population.segment[i])] += 1
      living += 1
      if !broadcast[i] { silent += 1 }
    }
    steps.append((t, byWorldview, living > 0 ? Double(silent) / Double(living) : .nan, largestGroup()))
  }
}

extension DarkForestRun {
  /// The run's memory beyond the process, in bytes. In a fixed region it grows faster than the population: every
  /// emission is detected by the civilizations around the emitter, and each detection waits in the event queue as a
  /// signal until it arrives, so the signals in flight grow with the number of civilizations times their density
  /// (the measured peak grows about 3.5 times per doubling of the scenario file's civilizations).
  ///
  /// Per civilization: its state, preference record and grid entry (measured 270 bytes in 2-D). The event queue: its
  /// birth, next decision, leak and breakthrough (measured up to 3.6 pending events a civilization) and the signals in
  /// flight, `0.4 * decision_rate * R * T^0.83` a civilization, where `R` is the number who detect an emission
  /// (`2π ρ s²` in 2-D, `8π ρ s³` in 3-D, at density ρ and detection scale s) and `T = dimensions * s / light_speed`
  /// the mean time a detected signal travels; the coefficient and exponent are fitted to the peak queue measured at
  /// other densities, scales, speeds, dimensions and decision rates (docs/design-notes.md). The queue counts twice:
  /// its storage doubles when full, holding the old and the new storage while it copies. The grid: 8 bytes a cell
  /// and about 48 an occupied cell.
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double {
    let f = DarkForestRun.parameters(spec).darkForest
    let n = Double(spec.population.size)
    let d = Double(f.dimensions)
    let s = f.detectionScale
    let density = n / Foundation.pow(f.region, d)
    let receivers = min(n, density * (f.dimensions == 3 ? 8 : 2) * Double.pi * Foundation.pow(s, d))
    let travel = d * s / f.lightSpeed
    let pending = n * (3.5 + 0.4 * f.decisionRate * receivers * Foundation.pow(travel, 0.83))
    let entry = Double(MemoryLayout<EventQueue<Event>.Entry>.stride)
    let cells = f.gridCells
    return n * (280 + 8 * d) + 2 * entry * pending + 8 * cells + 48 * min(cells, n)
  }
}

/// Counts of a dark-forest run.
public struct DarkForestCounts: Sendable {
  public var born = 0, decisions = 0, informedDecisions = 0, broadcasts = 0, hides = 0, leaks = 0, detections = 0
  public var requests = 0, requestsAnswered = 0, alliances = 0, strikes = 0, battles = 0, strikesWon = 0
  public var collapses = 0, breakthroughs = 0
  public var staleness = 0.0
}

/// A uniform grid over the region for finding civilizations near a point.
struct SpatialGrid {
  let cell: Double
  let dimensions: Int
  let side: Int
  let cells: [[Int32]]
  let positions: [Double]

  init(positions: [Double], dimensions: Int, region: Double, cell: Double) {
    self.cell = cell
    self.dimensions = dimensions
    self.positions = positions
    side = max(1, Int((region / cell).rounded(.up)))
    var cells = [[Int32]](repeating: [], count: Int(pow(Double(side), Double(dimensions))))
    let n = positions.count / dimensions
    for i in 0..<n {
      var index = 0
      for k in (0..<dimensions).reversed() {
        index = index * side + min(side - 1, Int(positions[i * dimensions + k] / cell))
      }
      cells[index].append(Int32(i))
    }
    self.cells = cells
  }

  /// Calls `body` with every civilization in the cells within `radius` of civilization `i`.
  func forEachNear(_ i: Int, within radius: Double, _ body: (Int) -> Void) {
    let reach = radius / cell < Double(side) ? Int((radius / cell).rounded(.up)) : side
    var home = [Int](repeating: 0, count: dimensions)
    for k in 0..<dimensions { home[k] = min(side - 1, Int(positions[i * dimensions + k] / cell)) }
    func visit(_ k: Int, _ index: Int) {
      if k < 0 {
        for j in cells[index] { body(Int(j)) }
        return
      }
      for c in max(0, home[k] - reach)...min(side - 1, home[k] + reach) { visit(k - 1, index * side + c) }
    }
    visit(dimensions - 1, 0)
  }
}
