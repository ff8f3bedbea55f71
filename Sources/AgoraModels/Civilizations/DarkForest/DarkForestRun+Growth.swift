import AgoraCore
import Foundation

/// How a civilization's resources grow, and how it ends.
extension DarkForestRun {
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
      end(i, annihilated: false)
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

  /// Ends civilization `i`: annihilated by a strike, or collapsed.
  mutating func end(_ i: Int, annihilated byStrike: Bool) {
    alive[i] = false
    grid.setAlive(i, false)
    annihilated[i] = byStrike
  }
}
