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

  // Civilization state: what events read together in records, the rest in arrays.
  var position: [Double]
  /// What growth and decisions read and write.
  var states: [State]
  /// Whether each civilization is alive (also kept in its state and contact, for the events that read those).
  public internal(set) var alive: [Bool]
  public internal(set) var bornAt: [Double]
  var annihilated: [Bool]
  var broadcast: [Bool]
  var parent: [Int32]
  /// What each civilization knows of others and when it last decided (together: a signal reads and writes them all).
  var contacts: [Contact]
  var grid: SpatialGrid
  /// The detections of the emission being drawn, before they are scheduled as one wave, and the draws below the
  /// bound of their probability in a row of cells.
  var arrivals: [DarkForestAgenda.Arrival] = []
  var candidates: [Candidate] = []
  /// The most entries the event queue held at once, and the most detections in flight (counted when the run ends).
  public internal(set) var peakPending = 0, peakSignals = 0

  public internal(set) var counts = DarkForestCounts()
  /// Test hook: when on, every signal arrival and battle is recorded.
  public var recording = false
  public internal(set) var signals: [(emitted: Double, arrived: Double, distance: Double)] = []
  public internal(set) var battles:
    [(launched: Double, arrived: Double, attacker: Double, defender: Double, defenderAtLaunch: Double)] = []
  public internal(set) var steps: [(time: Double, alive: [Int], silent: Double, largestGroup: Int)] = []
  /// The time series of the tracked civilizations (`trajectories`; none by default).
  var trajectories: DarkForestTrajectories
  /// Each segment's world view, when world views can change (`worldview_switch_rate` > 0; else empty).
  var worldviews: [Worldview] = []

  /// A civilization's resources, in the order of ``resources``.
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

  /// The most threatening civilization one knows of (`id` -1 for none): its military as reported, when that report
  /// was emitted; and when the civilization last decided.
  struct Contact {
    var id: Int32 = -1
    /// Whether this civilization is alive (what a signal reaching it asks first).
    var alive = false
    var military = 0.0
    var heard = 0.0
    var lastDecision = -Double.infinity
  }

  /// How a civilization splits its growth budget: one of the three modes, or (with `growth: allocation`) one of the
  /// ten splits it chooses among (``split(_:)``): kept in one byte, so that the growth rate reads one switch whichever
  /// way the budget is split.
  enum Mode: UInt8 {
    case balanced, mobilised, developing
    case split1, split2, split3, split4, split5, split6, split7, split8, split9, split10

    /// Split `k` (1 to ``DarkForestRun/splitCount``).
    static func split(_ k: Int) -> Mode {
      guard k >= 1 && k <= DarkForestRun.splitCount, let mode = Mode(rawValue: UInt8(2 + k)) else {
        preconditionFailure("no split \(k)")
      }
      return mode
    }

    /// The split this mode is (1 to ``DarkForestRun/splitCount``), or 0 for the three modes.
    var split: Int { max(0, Int(rawValue) - 2) }
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

  /// Civilization `i`'s resource `r` at its last update.
  @inline(__always) public func resource(_ r: Resource, of i: Int) -> Double { states[i][r] }

  /// The resources of every civilization at its last update, ``Resource/count`` a civilization in ``Resource``
  /// order (a copy; ``resource(_:of:)`` reads one).
  public var resources: [Double] {
    states.flatMap { s in Resource.allCases.map { s[$0] } }
  }

  /// Civilization `i`'s resource `r` at its last update, to read or write.
  subscript(r: Resource, of i: Int) -> Double {
    @inline(__always) get { states[i][r] }
    @inline(__always) set { states[i][r] = newValue }
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
    let region = spec.region
    position = HugePageArrays.make(count: n * d) { _ in space.uniform() * region }
    states = HugePageArrays.make(count: n) { i in
      var s = State()
      for r in Resource.allCases { s[r] = r.baseCapacity * r.initialShare }
      s.aggression = min(2, max(0, population.value(.envy, of: i)))
      s.trust = min(2, max(0, population.value(.reciprocity, of: i)))
      s.caution = min(2, max(0, population.value(.riskAversion, of: i)))
      s.openness = min(2, max(0, population.value(.honesty, of: i)))
      s.worldview = UInt8(truncatingIfNeeded: population.segment[i])
      return s
    }
    trajectories = DarkForestTrajectories(tracked: min(spec.trajectories, n))
    if spec.worldviewSwitchRate > 0 { worldviews = Self.worldviews(population, states) }
    let choices = max(spec.growth == .allocation ? Self.splitCount : 0, worldviews.count)
    if choices > utilities.count { utilities = [Double](repeating: 0, count: choices) }
    alive = [Bool](repeating: false, count: n)
    bornAt = [Double](repeating: .infinity, count: n)
    annihilated = [Bool](repeating: false, count: n)
    broadcast = [Bool](repeating: false, count: n)
    parent = (0..<Int32(n)).map { $0 }
    contacts = HugePageArrays.make(repeating: Contact(), count: n)
    grid = SpatialGrid(
      positions: position, dimensions: d, region: spec.region, cell: spec.gridCell)
  }

  /// Marks civilization `i` alive or not, everywhere that is kept.
  mutating func setAlive(_ i: Int, _ value: Bool) {
    alive[i] = value
    states[i].alive = value
    contacts[i].alive = value
    grid.setAlive(i, value)
  }

  /// The distance between civilizations `i` and `j`.
  @inline(__always) func distance(_ i: Int, _ j: Int) -> Double {
    DarkForestRun.distance(position, spec.dimensions, i, j)
  }

  /// The distance between civilizations `i` and `j` at `position` (`d` coordinates each).
  @inline(__always) static func distance(_ position: [Double], _ d: Int, _ i: Int, _ j: Int) -> Double {
    var s = 0.0
    for k in 0..<d {
      let dx = position[i * d + k] - position[j * d + k]
      s += dx * dx
    }
    return s.squareRoot()
  }

  /// A scheduled event (signals and fleets are kept by ``DarkForestAgenda`` beside its heap).
  enum Event {
    case birth(Int32)
    /// A decision epoch on the civilization's own clock (it schedules the next one).
    case decide(Int32)
    /// A decision epoch because new information arrived (it schedules nothing).
    case react(Int32)
    case leak(Int32)
    case breakthrough(Int32)
    case request(to: Int32, from: Int32)
    case reply(to: Int32, from: Int32, accepted: Bool)
    case sample
  }
}
