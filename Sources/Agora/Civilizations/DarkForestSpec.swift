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
