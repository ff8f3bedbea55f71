import AgoraCore
import AgoraOutput

/// Which of summary.csv's columns a sweep report charts.
extension SweepReport {
  /// The most metrics a report charts.
  static let metricLimit = 8

  /// The metrics to show and why: the plan's `metrics` that summary.csv holds as numbers (at most ``metricLimit``);
  /// without them, the model's first four own metrics, then `efficiency` and `gini`. (A run's headline metrics are
  /// known only once it has run, so the report chooses from the declared columns.)
  static func chooseMetrics(
    plan: SweepPlan, columns: [Column], base: (model: RegisteredModel, spec: ScenarioSpec)?
  ) -> (names: [String], why: String) {
    let fields = Set(plan.fieldColumns(model: nil).map(\.name))
    let numeric = columns.filter { $0.type != .string && !fields.contains($0.name) }
    let names = Set(numeric.map(\.name))
    if let listed = plan.metrics {
      let kept = listed.filter(names.contains)
      if !kept.isEmpty {
        let why =
          kept.count > metricLimit ? "the first \(metricLimit) of the sweep's metrics list" : "the sweep's metrics list"
        return (Array(kept.prefix(metricLimit)), why)
      }
    }
    var chosen = Array(numeric.filter { isOwnMetric($0, base: base) }.map(\.name).prefix(4))
    for name in ["efficiency", "gini"] where names.contains(name) && !chosen.contains(name) { chosen.append(name) }
    let whose = base.map { "\($0.model.type.rawValue)'s" } ?? "the"
    return (chosen, "\(whose) first four own metrics, then efficiency and gini (the sweep has no metrics list)")
  }

  /// Whether `column` is one of the model's own metrics: a number the model declares by name, not one of its
  /// parameters, the standard header, nor a column derived per round, stage or segment.
  static func isOwnMetric(_ column: Column, base: (model: RegisteredModel, spec: ScenarioSpec)?) -> Bool {
    guard column.type == .double, !StandardColumns.header.contains(where: { $0.name == column.name }) else {
      return false
    }
    guard let base else { return true }
    let name = column.name
    guard column.model == base.model.type.rawValue,
      !base.model.parameterColumns.contains(where: { $0.name == name }),
      !name.hasSuffix("_round_1"), !name.hasSuffix("_round_last"),
      !base.spec.population.segments.contains(where: { name.hasSuffix("_" + $0.name.snakeCased) })
    else { return false }
    // A member of a declared family (`cooperation_rate_stage_{n}`).
    for family in base.model.columns.map(\.name) where family.contains("{n}") {
      let parts = family.components(separatedBy: "{n}")
      guard parts.count == 2, name.count > parts[0].count + parts[1].count, name.hasPrefix(parts[0]),
        name.hasSuffix(parts[1])
      else { continue }
      if name.dropFirst(parts[0].count).dropLast(parts[1].count).allSatisfy(\.isNumber) { return false }
    }
    return true
  }
}
