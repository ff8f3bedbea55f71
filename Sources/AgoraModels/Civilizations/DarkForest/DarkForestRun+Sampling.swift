import AgoraCore
import Foundation

/// Samples of the run (`steps.csv`), the cooperating groups they count (union-find over accepted proposals), and
/// each civilization's total resources.
extension DarkForestRun {
  /// The root of civilization `i`'s cooperating group (compressing the path to it).
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

  /// Joins the cooperating groups of civilizations `i` and `j` (the lower root heads the union).
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
    for i in alive.indices where alive[i] && states[i].partners > 0 { size[find(i), default: 0] += 1 }
    return size.values.max() ?? (alive.contains(true) ? 1 : 0)
  }

  /// Records the living civilizations by worldview, the silent fraction and the largest group at time `t`.
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
    if trajectories.tracked > 0 { recordTrajectories(t) }
  }

  /// Records the tracked civilizations at time `t`: their resources brought to `t` (without touching their state,
  /// so tracking changes nothing), alive unless ended or unborn or their consumption now outruns production and
  /// storage (the collapse their next event would find).
  mutating func recordTrajectories(_ t: Double) {
    let (budget, cooperation) = (spec.growthBudget, spec.cooperationBonus)
    for i in 0..<trajectories.tracked {
      let s = states[i]
      let born = bornAt[i].isFinite
      var values = Resource.allCases.map { born ? s[$0] : .nan }
      var living = alive[i]
      if living {
        values = Resource.allCases.map { r in
          DarkForestRun.logistic(
            s[r], capacity: Self.capacity(r, of: s), rate: s.rate(r, budget: budget, cooperation: cooperation),
            after: t - s.updated)
        }
        let consumption = values[Resource.consumption.rawValue]
        living = !(consumption > values[Resource.production.rawValue] + values[Resource.storage.rawValue])
      }
      trajectories.append(
        .init(
          time: t, civilization: Int32(i), worldview: Int32(worldview(of: i)), born: born, alive: living,
          opponent: -1, resources: values))
    }
  }
}
