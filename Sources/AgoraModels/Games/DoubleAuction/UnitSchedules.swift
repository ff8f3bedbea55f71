/// Traders' unit schedules as one flat table, shared by the agents that hold them: schedule `k`'s units are
/// `units[offsets[k]..<offsets[k + 1]]`, in the order its holder trades them (flat, so a period's orders read a value
/// without following a pointer per trader).
struct UnitSchedules: Sendable, Hashable {
  /// Every schedule's units, one schedule after another.
  private(set) var units: [Double] = []
  /// Where each schedule starts in ``units``, and one past the last.
  private(set) var offsets: [Int32] = [0]

  init() {}

  /// The schedules of `lists`, in order.
  init(_ lists: [[Double]]) {
    for list in lists { append(list) }
  }

  /// One single-unit schedule per value.
  init(singleUnits values: [Double]) {
    units = values
    offsets = (0...values.count).map { Int32($0) }
  }

  /// Appends a schedule.
  mutating func append(_ list: [Double]) {
    units += list
    offsets.append(Int32(units.count))
  }

  /// The number of schedules.
  var count: Int { offsets.count - 1 }

  /// The number of units of schedule `k`.
  @inline(__always)
  func length(_ k: Int) -> Int { Int(offsets[k + 1] - offsets[k]) }

  /// Unit `u` of schedule `k`.
  @inline(__always)
  func value(_ k: Int, unit u: Int) -> Double { units[Int(offsets[k]) + u] }

  /// The units of schedule `k`.
  func schedule(_ k: Int) -> ArraySlice<Double> { units[Int(offsets[k])..<Int(offsets[k + 1])] }
}
