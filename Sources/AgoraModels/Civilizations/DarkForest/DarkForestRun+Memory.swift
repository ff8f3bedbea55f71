import AgoraCore
import Foundation

extension DarkForestRun {
  /// The bytes a detection in flight takes: its receiver in its wave (4), in a buffer up to twice the detections in
  /// flight, and three times while it grows (fitted: 10.5 bytes a detection of the formula below at 4x10^5 to 10^6).
  static let bytesPerSignal = 12.0

  /// The run's memory beyond the process, in bytes: bounded per civilization, plus the detections in flight, which in a
  /// fixed region grow with the civilizations times their density, at a few bytes each.
  ///
  /// Per civilization: its preference record, state record (104 bytes) and contact (32), grid entry and position
  /// (twice: by civilization and by grid cell), its pending events in the queue's calendar (next decision, leak,
  /// breakthrough, birth, unless after the horizon: about 1.8 entries of 32 bytes), the result tables, and when
  /// agents.csv is written its position and fate (8 bytes each, `dimensions + 4` of them) (in the
  /// shipped file, beyond the process before the run: 421 bytes a civilization at 10^5, 490 at 4x10^5, 677 at 10^6,
  /// the growth being detections in flight; at the file's density, 448 at 10^6). The
  /// detections in flight, `0.4 * decision_rate * R * T^0.83` a civilization, where `R` is the number who detect an
  /// emission (`2π ρ s²` in 2-D, `8π ρ s³` in 3-D, at density ρ and detection scale s) and `T = dimensions * s /
  /// light_speed` the mean time a detected signal travels (fitted to the peaks counted at other densities, scales,
  /// speeds, dimensions and decision rates: docs/design-notes.md), each kept in its emission's wave at
  /// ``bytesPerSignal``. The grid: 4 bytes a cell.
  public static func estimatedBytes(_ spec: ScenarioSpec) -> Double {
    let f = DarkForestRun.parameters(spec).darkForest
    let n = Double(spec.population.size)
    let d = Double(f.dimensions)
    let signals =
      n * 0.4 * f.decisionRate * receiversPerEmission(f, civilizations: n)
      * Foundation.pow(d * f.detectionScale / f.lightSpeed, 0.83)
    let positionsAndFates = spec.output.agents ? 8 * (d + 4) : 0
    // trajectories.csv: a row (13 cells and its resources, about 600 bytes) per tracked civilization and sample.
    let samples = Double(spec.game.rounds) / f.sampleInterval + 2
    let trajectories = f.trajectories > 0 ? 600 * min(n, Double(f.trajectories)) * samples : 0
    return n * (460 + 16 * d + positionsAndFates) + bytesPerSignal * signals + 4 * f.gridCells + trajectories
  }

  /// About how many civilizations detect an emission at detection scale `s`: `2π ρ s²` in 2-D, `8π ρ s³` in 3-D, at
  /// density ρ (at most all of them).
  static func receiversPerEmission(_ f: DarkForestSpec, civilizations n: Double) -> Double {
    let density = n / Foundation.pow(f.region, Double(f.dimensions))
    return min(
      n, density * (f.dimensions == 3 ? 8 : 2) * Double.pi * Foundation.pow(f.detectionScale, Double(f.dimensions)))
  }

  /// The bytes of the run's own structures at their peak, counted: the civilizations' state, the grid, the event
  /// queue at its fullest (its entries and the detections in flight, 4 bytes each). What grows faster than the
  /// civilizations shows here (tests compare it between sizes).
  public var footprintBytes: Int {
    func bytes<T>(_ array: [T]) -> Int { array.count * MemoryLayout<T>.stride }
    let state =
      bytes(position) + bytes(states) + bytes(alive) + bytes(bornAt) + bytes(annihilated) + bytes(broadcast)
      + bytes(parent) + bytes(contacts)
    let cells = bytes(grid.start) + bytes(grid.members) + bytes(grid.coordinates) + bytes(grid.live) + bytes(grid.slot)
    let queue = peakPending * MemoryLayout<DarkForestAgenda.Entry>.stride + peakSignals * MemoryLayout<Int32>.stride
    return state + cells + queue
  }
}
