import AgoraCore
import Foundation

/// The dark-forest galaxy: where civilizations are, how fast signals and fleets travel, how they grow and decide.
public struct DarkForestSpec: Sendable, Hashable, DeclaredParameters {
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
  /// The civilizations (the first by id) whose time series `trajectories.csv` writes; 0 writes none.
  public var trajectories = 0
  /// The probability that a civilization reconsiders its world view at a decision epoch (0: world views are fixed).
  public var worldviewSwitchRate = 0.0
  /// How the growth budget is split: by the three modes, or by an allocation chosen at every decision epoch.
  public var growth = DarkForestGrowth.modes

  public init() {}
}

extension DarkForestSpec {
  /// The keys of CosmoAgent's protocol (issue 18), encoded only when set away from their defaults.
  static let optionalKeys: Set<String> = ["trajectories", "worldview_switch_rate", "growth"]

  /// Encodes every declared key as the declaration does (numbers as numbers, names as text), but the keys of
  /// ``optionalKeys`` only when they differ from their defaults: the resolved scenario of a run that does not ask for
  /// them (in manifest.json and report.html) stays what it was before they existed.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: AnyKey.self)
    let defaults = Dictionary(Self().declaredCells.map { ($0.0.name, $0.1) }) { first, _ in first }
    for (column, cell) in declaredCells {
      if Self.optionalKeys.contains(column.name) && defaults[column.name] == cell { continue }
      let key = AnyKey(stringValue: column.name)
      switch cell {
      case .int(let x): try container.encode(x, forKey: key)
      case .double(let x): try container.encode(x, forKey: key)
      case .string(let x): try container.encode(x, forKey: key)
      }
    }
  }

  /// The side of a cell of the grid that finds civilizations near a point: the farthest a signal is detected or a
  /// strike revealed, so a search looks at the neighbouring cells only.
  public var gridCell: Double { max(DarkForestRun.detectionReach * detectionScale, revealRadius) }

  /// The cells of that grid over the region (a Double: absurd regions must not overflow before they are refused).
  public var gridCells: Double { Foundation.pow(max(1, (region / gridCell).rounded(.up)), Double(dimensions)) }

  /// About how many events one civilization makes per time unit over `horizon`: decision epochs, breakthroughs and
  /// leaks. Leaks scale with technology, whose capacity each breakthrough multiplies, so a civilization's leak rate
  /// may grow by gain^(breakthrough_rate x horizon): what makes some rate pairs explode (bounded by validation).
  public func eventsPerCivilization(horizon: Double) -> Double {
    let breakthroughs = breakthroughRate * horizon
    return decisionRate + breakthroughRate + leakRate * Foundation.pow(DarkForestRun.breakthroughGain, breakthroughs)
  }

  public static var parameters: [Parameter<Self>] {
    let length = "a number in [1e-9, 1e9]"
    let isLength = { (x: Double, _: Self) in x >= ScenarioBounds.tiny && x <= ScenarioBounds.length }
    let rate = "a number in [0, 1e6] (per time unit)"
    let isRate = { (x: Double, _: Self) in x >= 0 && x <= ScenarioBounds.rate }
    return [
      Parameter("dimensions", \.dimensions, allowed: "2 or 3", doc: "spatial dimensions") { x, _ in x == 2 || x == 3 },
      Parameter(
        "region", \.region, allowed: length, doc: "side of the cube the civilizations live in (light-years)",
        valid: isLength),
      Parameter(
        "light_speed", \.lightSpeed, allowed: length, doc: "signal speed (light-years per time unit)", valid: isLength),
      Parameter("fleet_speed", \.fleetSpeed, allowed: "a number in (0, light_speed]", doc: "fleet speed") { x, s in
        x > 0 && x <= s.lightSpeed
      },
      Parameter(
        "initial_share", \.initialShare, allowed: "a number in (0, 1]",
        doc: "share alive at time 0; the others are born at Poisson times"
      ) { x, _ in x > 0 && x <= 1 },
      Parameter(
        "detection_scale", \.detectionScale, allowed: length,
        doc: "a signal is detected with probability exp(-distance / detection_scale), not beyond 7 scales",
        valid: isLength),
      Parameter(
        "leak_rate", \.leakRate, allowed: rate, doc: "leaked emissions per time unit at full technology and visibility",
        valid: isRate),
      Parameter(
        "decision_rate", \.decisionRate, allowed: "a number in [1e-9, 1e6] (per time unit)",
        doc: "decision epochs per time unit on an agent's own clock (news adds epochs)"
      ) { x, _ in x >= ScenarioBounds.tiny && x <= ScenarioBounds.rate },
      Parameter(
        "breakthrough_rate", \.breakthroughRate, allowed: rate,
        doc: "technology breakthroughs per time unit (each multiplies the technology capacity by 1.5)", valid: isRate),
      Parameter(
        "growth_budget", \.growthBudget, allowed: "a number in (0, 1e12]",
        doc: "the growth-rate budget (sum of the per-resource rates)"
      ) { x, _ in x > 0 && x <= ScenarioBounds.amount },
      Parameter(
        "cooperation_bonus", \.cooperationBonus, allowed: "a number in [0, 1e12]",
        doc: "what each cooperation partner adds to the growth budget"
      ) { x, _ in x >= 0 && x <= ScenarioBounds.amount },
      Parameter(
        "reveal_radius", \.revealRadius, allowed: "a number in [0, 1e9]",
        doc: "observers within this radius of a strike learn who struck (by signal)"
      ) { x, _ in x >= 0 && x <= ScenarioBounds.length },
      Parameter(
        "sample_interval", \.sampleInterval, allowed: length, doc: "time between rows of steps.csv", valid: isLength),
      Parameter(
        "trajectories", \.trajectories, allowed: "a whole number in [0, 1e6]",
        doc: "civilizations (the first by id) whose time series trajectories.csv writes at every sample; 0: no file"
      ) { x, _ in x >= 0 && x <= 1_000_000 },
      Parameter(
        "worldview_switch_rate", \.worldviewSwitchRate, allowed: "a number in [0, 1]",
        doc: "probability that a civilization reconsiders its world view at a decision epoch (0: fixed world views)"
      ) { x, _ in x >= 0 && x <= 1 },
      Parameter(
        "growth", \.growth,
        doc: "`modes`: the growth budget split by mode (balanced, mobilised, developing); `allocation`: a split "
          + "chosen at every decision epoch"),
    ]
  }
}
