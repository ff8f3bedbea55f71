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

  /// The capacity of resource `r` of a civilization in state `s`: military's scales with the technology capacity.
  @inline(__always) static func capacity(_ r: Resource, of s: State) -> Double {
    switch r {
    case .military: return r.baseCapacity * s.techCap / Resource.technology.baseCapacity
    case .technology: return s.techCap
    case .production, .consumption, .storage: return r.baseCapacity
    }
  }

  /// Civilization `i`'s capacity of resource `r`.
  @inline(__always) func capacity(_ r: Resource, of i: Int) -> Double { Self.capacity(r, of: states[i]) }

  /// Civilization `i`'s growth rate of resource `r` (from its mode and partners).
  @inline(__always) func rate(_ r: Resource, of i: Int) -> Double {
    states[i].rate(r, budget: spec.growthBudget, cooperation: spec.cooperationBonus)
  }

  /// Brings civilization `i`'s resources to time `t` (closed form), and collapses it if consumption outruns
  /// production and storage.
  mutating func advance(_ i: Int, to t: Double) {
    precondition(i >= 0 && i < states.count, "no civilization \(i)")
    let (budget, cooperation) = (spec.growthBudget, spec.cooperationBonus)
    // In place: a copy of the record in and out would cost two calls to memcpy.
    let collapses = states.withUnsafeMutableBufferPointer { states in
      let s = states.baseAddress! + i
      let dt = t - s.pointee.updated
      if dt > 0 {
        for r in Resource.allCases {
          s.pointee[r] = DarkForestRun.logistic(
            s.pointee[r], capacity: Self.capacity(r, of: s.pointee),
            rate: s.pointee.rate(r, budget: budget, cooperation: cooperation), after: dt)
        }
        s.pointee.updated = t
      }
      return s.pointee.alive && s.pointee.consumption > s.pointee.production + s.pointee.storage
    }
    assertPositive(i)
    if collapses {
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
    setAlive(i, false)
    annihilated[i] = byStrike
  }
}
