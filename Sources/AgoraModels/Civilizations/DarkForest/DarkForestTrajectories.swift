/// The per-civilization time series of `trajectories.csv`: for the first `tracked` civilizations by id, one row at
/// every sample (time 0, every `sample_interval`, the horizon), and the opponent each fought since the last sample.
///
/// Runs that track none (the default) keep two empty arrays: a strike or a battle costs them one comparison.
struct DarkForestTrajectories {
  /// One civilization at one sample.
  struct Row {
    var time: Double
    var civilization: Int32
    /// The index of the segment whose world view it holds.
    var worldview: Int32
    var born: Bool, alive: Bool
    /// The civilization it struck or fought since the previous sample (the last one), -1 for none.
    var opponent: Int32
    /// Its resources at the sample's time, in ``DarkForestRun/Resource`` order.
    var resources: [Double]
  }

  /// How many civilizations are tracked: ids `0 ..< tracked`.
  let tracked: Int
  private(set) var rows: [Row] = []
  /// Each tracked civilization's last opponent since the previous sample (-1: none).
  private var opponents: [Int32]

  init(tracked: Int) {
    self.tracked = tracked
    opponents = [Int32](repeating: -1, count: tracked)
  }

  /// Civilization `i` struck or fought civilization `j` (kept when `i` is tracked).
  @inline(__always) mutating func fought(_ i: Int, _ j: Int) {
    if i < tracked { opponents[i] = Int32(j) }
  }

  /// Records `row`, with the opponent its civilization fought since the previous sample, and forgets that opponent.
  mutating func append(_ row: Row) {
    var row = row
    let i = Int(row.civilization)
    row.opponent = opponents[i]
    opponents[i] = -1
    rows.append(row)
  }
}
