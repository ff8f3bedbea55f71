import AgoraCore
import Foundation

/// Signals: an emission drawn against everyone around the emitter, the news of a strike told to the observers near
/// the battle, and what a civilization makes of a signal when it arrives.
extension DarkForestRun {
  /// Sends civilization `i`'s state, as it is now, to everyone who detects it: each living civilization in the grid
  /// cells within reach draws a detection with probability `exp(-distance / scale)`, in the grid's order.
  ///
  /// The loop over the cells runs without branches a predictor would lose: every member steps the generator, and
  /// keeps the step only if it is alive and not the emitter (the draws are those of a loop over the living); the
  /// squared distance is tested against a bound of the probability (``squaredBounds``), and only the few draws
  /// below it take a square root and an exponential.
  mutating func emit(
    from i: Int, at now: Double, scale: Double, agenda: inout DarkForestAgenda, nature: RandomStream
  ) {
    let military = self[.military, of: i]
    let d = spec.dimensions
    let me = Int(grid.slot[i])
    let steps = Double(Self.squaredSteps) / (scale * scale)
    let lightSpeed = spec.lightSpeed
    var origin = (0.0, 0.0, 0.0)
    origin.0 = position[i * d]
    origin.1 = position[i * d + 1]
    if d == 3 { origin.2 = position[i * d + 2] }
    arrivals.removeAll(keepingCapacity: true)
    var draws = UniformDraws(nature)
    let rows = grid.rows(around: i, within: min(DarkForestRun.detectionReach * scale, grid.cell))
    let reach = Reach(origin: origin, me: me, steps: steps, scale: scale, now: now, lightSpeed: lightSpeed)
    let longest = rows.reduce(0) { max($0, $1.count) }
    if candidates.count < longest { candidates = [Candidate](repeating: Candidate(), count: 2 * longest) }
    grid.live.withUnsafeBufferPointer { live in
      grid.coordinates.withUnsafeBufferPointer { coordinates in
        Self.squaredBounds.withUnsafeBufferPointer { bounds in
          candidates.withUnsafeMutableBufferPointer { candidates in
            let cells = Cells(live: live, coordinates: coordinates, bounds: bounds)
            for row in rows {
              let found = Self.detect(row, cells, reach, dimensions: d, draws: &draws, into: candidates)
              // The few below the bound: the exponential decides.
              for c in candidates[0..<found] {
                let away = c.squared.squareRoot()
                guard c.u < exp(-away / scale) else { continue }
                arrivals.append(
                  .init(
                    time: now + max(0, away / lightSpeed), index: Int32(arrivals.count), to: grid.members[Int(c.m)]))
              }
            }
          }
        }
      }
    }
    draws.finish()
    agenda.schedule(wave: &arrivals, from: Int32(i), origin: Int32(i), military: military, emitted: now)
  }

  /// What an emission's loop reads of the grid, and the bounds of the detection probability.
  struct Cells {
    var live: UnsafeBufferPointer<Bool>
    var coordinates: UnsafeBufferPointer<Double>
    var bounds: UnsafeBufferPointer<Double>
  }

  /// An emission: where it comes from (and the emitter's place in the grid), its detection scale (with the factor
  /// that turns a squared distance into an index of ``squaredBounds``), when, and how fast it travels.
  struct Reach {
    var origin: (Double, Double, Double)
    var me: Int
    var steps: Double, scale: Double
    var now: Double, lightSpeed: Double
  }

  /// A draw of an emission's loop below the bound of its detection probability: the grid member, its draw and its
  /// squared distance.
  struct Candidate {
    var m: Int32 = 0
    var u = 0.0, squared = 0.0
  }

  /// The draws of grid members `row` against emission `reach`, in order: those below the bound of their detection
  /// probability go to `candidates` (returns how many). For `taus2` the loop is straight-line code with the
  /// generator's state in registers: no call, no branch but the loop's and the rare candidate's.
  @inline(__always) static func detect(
    _ row: Range<Int>, _ cells: Cells, _ reach: Reach, dimensions d: Int, draws: inout UniformDraws,
    into candidates: UnsafeMutableBufferPointer<Candidate>
  ) -> Int {
    let last = Double(cells.bounds.count - 1)
    let (x, y, z) = reach.origin
    let steps = reach.steps
    var found = 0
    /// The squared distance as ``distance(_:_:_:_:_:)`` sums it, so its square root is that distance.
    @inline(__always) func squared(_ m: Int) -> Double {
      if d == 2 {
        let (dx, dy) = (x - cells.coordinates[2 &* m], y - cells.coordinates[2 &* m &+ 1])
        return dx * dx + dy * dy
      }
      let (dx, dy) = (x - cells.coordinates[3 &* m], y - cells.coordinates[3 &* m &+ 1])
      let dz = z - cells.coordinates[3 &* m &+ 2]
      var s = dx * dx + dy * dy
      s += dz * dz
      return s
    }
    guard var state = draws.taus else {
      for m in row {
        let take = cells.live[m] && m != reach.me
        let u = draws.next(if: take)
        let s = squared(m)
        guard u < cells.bounds[boundIndex(s * steps, last: last)], take else { continue }
        candidates[found] = Candidate(m: Int32(m), u: u, squared: s)
        found += 1
      }
      return found
    }
    for m in row {
      let take = cells.live[m] && m != reach.me
      let u = UniformDraws.step(&state, if: take)
      let s = squared(m)
      let below = u < cells.bounds[boundIndex(s * steps, last: last)]
      if below && take {
        candidates[found] = Candidate(m: Int32(m), u: u, squared: s)
        found += 1
      }
    }
    draws.taus = state
    return found
  }

  /// The bounds of the detection probability a draw is tested against first, by squared distance: when
  /// `x = squared distance * squaredSteps / scale^2` rounds to `k` (``boundIndex(_:)``), the distance is at least
  /// `scale * sqrt((k - 1) / squaredSteps)` (k is at most x + 1/2: a step below covers the rounding of `x`, and that of
  /// the product), so `exp(-distance / scale)` is at most `squaredBounds[k]` (a relative margin of 1e-9 covers the
  /// rounding of the square root and of `exp`), and at most the last bound beyond (16 scales).
  static let squaredSteps = 8

  /// The index of ``squaredBounds`` for `x` (at least 0): `x` rounded to the nearest whole number, at most the last
  /// index, by adding 2^52 (whose last bits are then the rounded number): no conversion with its range checks.
  @inline(__always) static func boundIndex(_ x: Double, last: Double) -> Int {
    Int(truncatingIfNeeded: (min(last, x) + 0x1p52).bitPattern & 0xF_FFFF)
  }
  static let squaredBounds: [Double] = (0...(256 * squaredSteps)).map { k in
    k == 0 ? .infinity : exp(-(Double(k - 1) / Double(squaredSteps)).squareRoot()) * (1 + 1e-9)
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
    for row in grid.rows(overlapping: spec.revealRadius, around: defender) {
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
    guard contacts[j].alive else { return }
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
