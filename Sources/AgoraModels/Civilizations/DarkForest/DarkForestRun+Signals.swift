import AgoraCore
import Foundation

/// Signals: an emission drawn against everyone around the emitter, the news of a strike told to the observers near
/// the battle, and what a civilization makes of a signal when it arrives.
extension DarkForestRun {
  /// Sends civilization `i`'s state, as it is now, to everyone who detects it: each living civilization in the grid
  /// cells within reach draws a detection with probability `exp(-distance / scale)`, in the grid's order.
  mutating func emit(
    from i: Int, at now: Double, scale: Double, agenda: inout DarkForestAgenda, nature: RandomStream
  ) {
    let military = self[.military, of: i]
    let d = spec.dimensions
    let members = grid.members
    let coordinates = grid.coordinates
    let live = grid.live
    let bounds = Self.detectionBounds
    let steps = Double(Self.boundSteps) / scale
    let last = Double(bounds.count - 1)
    arrivals.removeAll(keepingCapacity: true)
    for row in grid.rows(around: i, within: min(DarkForestRun.detectionReach * scale, grid.cell)) {
      for m in row where live[m] {
        let j = Int(members[m])
        guard j != i else { continue }
        let away = Self.distance(position, i, coordinates, m, d)
        let u = nature.uniform()
        // Most draws fail against a bound of the probability; the exponential decides the others.
        guard u < bounds[Int(min(last, away * steps))] else { continue }
        if u < exp(-away / scale) {
          arrivals.append(
            .init(time: agenda.arrival(emitted: now, distance: away), index: Int32(arrivals.count), to: Int32(j)))
        }
      }
    }
    agenda.schedule(wave: &arrivals, from: Int32(i), origin: Int32(i), military: military, emitted: now)
  }

  /// The bounds of the detection probability a draw is tested against first: `exp(-distance / scale)` is at most
  /// `detectionBounds[k]` when `distance * boundSteps / scale` rounds down to `k` (a step below it, and a relative
  /// margin of 1e-9, cover the rounding of the product and of `exp`), and at most the last bound beyond.
  static let boundSteps = 8
  static let detectionBounds: [Double] = (0...(64 * boundSteps)).map { k in
    k == 0 ? .infinity : exp(-Double(k - 1) / Double(boundSteps)) * (1 + 1e-9)
  }

  /// Tells the living civilizations within the reveal radius of a battle at `defender` (but the two sides) that
  /// `attacker`, of military `military`, struck.
  mutating func reveal(
    _ attacker: Int, at defender: Int, military: Double, now: Double, agenda: inout DarkForestAgenda
  ) {
    let d = spec.dimensions
    let members = grid.members
    let coordinates = grid.coordinates
    let live = grid.live
    arrivals.removeAll(keepingCapacity: true)
    for row in grid.rows(around: defender, within: spec.revealRadius) {
      for m in row where live[m] {
        let j = Int(members[m])
        guard j != attacker, j != defender else { continue }
        let away = Self.distance(position, defender, coordinates, m, d)
        guard away <= spec.revealRadius else { continue }
        arrivals.append(
          .init(time: agenda.arrival(emitted: now, distance: away), index: Int32(arrivals.count), to: Int32(j)))
      }
    }
    agenda.schedule(wave: &arrivals, from: Int32(attacker), origin: Int32(defender), military: military, emitted: now)
  }

  /// The distance between civilization `i` (at `position`) and grid member `m` (at `coordinates`), computed as
  /// ``distance(_:_:_:_:)`` computes it.
  @inline(__always) static func distance(
    _ position: [Double], _ i: Int, _ coordinates: [Double], _ m: Int, _ d: Int
  ) -> Double {
    var s = 0.0
    for k in 0..<d {
      let dx = position[i * d + k] - coordinates[m * d + k]
      s += dx * dx
    }
    return s.squareRoot()
  }

  /// A signal reaches a civilization: it keeps the most threatening contact (largest military as reported), and news
  /// of it is a reason to decide, unless the civilization decided less than half a decision interval ago.
  mutating func arrive(_ signal: DarkForestAgenda.Signal, at now: Double, agenda: inout DarkForestAgenda) {
    let j = Int(signal.to)
    let from = signal.from
    guard alive[j] else { return }
    if recording { signals.append((signal.emitted, now, distance(Int(signal.origin), j))) }
    counts.detections += 1
    let military = signal.military
    let known = contacts[j]
    let changed = known.id != from || abs(military - known.military) > 0.1 * max(1, known.military)
    if known.id < 0 || military >= known.military || from == known.id {
      contacts[j].id = from
      contacts[j].military = military
      contacts[j].heard = signal.emitted
      if changed && now - known.lastDecision >= 0.5 / spec.decisionRate {
        agenda.schedule(.react(signal.to), after: 0)
      }
    }
  }
}
