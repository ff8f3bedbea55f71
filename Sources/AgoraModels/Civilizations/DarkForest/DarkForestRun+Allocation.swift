import AgoraCore
import Foundation

/// `growth: allocation`: at every decision epoch a civilization chooses how to split its growth budget, as
/// CosmoAgent's civilizations choose the diagonal of their transfer matrix every round.
extension DarkForestRun {
  /// The splits a civilization chooses among: storage keeps a tenth of the budget and the other nine tenths go to
  /// military, technology and production in sixths, each at least one sixth (the ten ways to write 6 as a sum of
  /// three positive parts).
  static let splitCount = 10

  /// The parts, in sixths, of military, technology and production in split `k` (1-based).
  @inline(__always) static func parts(ofSplit k: Int) -> (military: Double, technology: Double, production: Double) {
    switch k {
    case 1: return (1, 1, 4)
    case 2: return (1, 2, 3)
    case 3: return (1, 3, 2)
    case 4: return (1, 4, 1)
    case 5: return (2, 1, 3)
    case 6: return (2, 2, 2)
    case 7: return (2, 3, 1)
    case 8: return (3, 1, 2)
    case 9: return (3, 2, 1)
    default: return (4, 1, 1)
    }
  }

  /// The shares of the growth budget of military, technology, production and storage in split `k` (1-based).
  @inline(__always) static func weights(ofSplit k: Int) -> (
    military: Double, technology: Double, production: Double, storage: Double
  ) {
    let p = parts(ofSplit: k)
    return (0.15 * p.military, 0.15 * p.technology, 0.15 * p.production, 0.1)
  }

  /// Civilization `i` chooses its split, kept as its mode (its decoder or its language model deciding; the one it
  /// has is salient).
  ///
  /// A split's utility is its parts (in sixths) weighted by what each resource is needed for: military against
  /// threat `τ` (`(aggression + caution / 2) τ`, as mobilising), technology at peace (`0.3 (1 - τ)`, as developing),
  /// production against collapse (consumption over production plus storage).
  mutating func allocate(_ i: Int, stream: RandomStream) {
    let threat = threatOf(i)
    let s = states[i]
    let military = (s.aggression + 0.5 * s.caution) * threat
    let technology = 0.3 * (1 - threat)
    let production = s.consumption / (s.production + s.storage)
    for k in 1...Self.splitCount {
      let p = Self.parts(ofSplit: k)
      utilities[k - 1] = p.military * military + p.technology * technology + p.production * production
    }
    let choice = choose(i, options: Self.splitCount, salient: s.mode.split - 1, stream: stream) {
      DecisionPrompt(
        kind: "dark_forest.allocation", rules: DarkForestRun.rules,
        question: "Your threat estimate is \(Int((threat * 100).rounded()))% and your consumption is "
          + "\(Int((production * 100).rounded()))% of your production and storage. How do you split your growth?",
        options: (1...Self.splitCount).map { k in
          let w = Self.weights(ofSplit: k)
          return "military \(Int((w.military * 100).rounded()))%, technology \(Int((w.technology * 100).rounded()))%, "
            + "production \(Int((w.production * 100).rounded()))%, storage 10%"
        })
    }
    states[i].mode = .split(choice + 1)
  }
}
