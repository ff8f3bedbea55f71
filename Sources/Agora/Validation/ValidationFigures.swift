import AgoraCore
import AgoraModels
import AgoraOutput
import AgoraScenario
import Foundation

/// The pictures of docs/validation.md: for each game of a preset's targets, the simulated behaviour against the
/// published numbers, drawn as SVG with the report's charts.
///
/// A division game (ultimatum, dictator) shows the whole simulated distribution of offers at the experiment's grid
/// (whole dollars) as bars, with each published share of an exact amount (nothing, half, everything) as a marker with
/// its tolerance; the public goods game shows the simulated path of contributions against the published one; every
/// game shows each statistic, simulated against published, on one categorical chart.
public enum ValidationFigures {
  /// The figures of `rows` (a ``Calibration``'s evaluation of `preset`), named `<preset>-<game>[-<kind>].svg`.
  public static func figures(_ rows: [Calibration.Row], preset: PopulationPreset, seed: UInt64 = 1) throws -> [(
    name: String, svg: String
  )] {
    var figures: [(name: String, svg: String)] = []
    let games = rows.map(\.target.game).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    for game in games {
      let here = rows.filter { $0.target.game == game }
      figures.append(("\(preset.name)-\(game).svg", statistics(here, preset: preset.name, game: game).svg()))
      if game == "dictator" || game == "ultimatum",
        let recipe = here.lazy.compactMap({ ValidationRecipe.of($0.target) }).first
      {
        figures.append(
          (
            "\(preset.name)-\(game)-distribution.svg",
            try distribution(here, recipe: recipe, preset: preset, seed: seed).svg()
          ))
      }
      let path = here.filter {
        if case .step? = ValidationRecipe.of($0.target)?.statistic { return true }
        return false
      }
      if path.count > 1 {
        figures.append(("\(preset.name)-\(game)-path.svg", try contributions(path, preset: preset, seed: seed).svg()))
      }
    }
    return figures
  }

  /// Every statistic of one game: the published value with its tolerance, the simulated one, held-out ones marked.
  static func statistics(_ rows: [Calibration.Row], preset: String, game: String) -> Chart {
    let labels = rows.map { short($0.target.statistic) + ($0.heldOut ? "*" : "") }
    let published = rows.enumerated().map { k, r in
      Chart.Point(
        x: Double(k), y: r.target.target, low: r.target.target - r.target.tolerance,
        high: r.target.target + r.target.tolerance)
    }
    let simulated = rows.enumerated().map { k, r in Chart.Point(x: Double(k), y: r.simulated) }
    var chart = Chart(
      title: "\(preset): \(game.replacingOccurrences(of: "_", with: " "))",
      xLabel: "statistic (* held out of the fit)", yLabel: "value",
      series: [
        Chart.Series(name: "published (± tolerance)", points: published, style: .markers),
        Chart.Series(name: "simulated", points: simulated, style: .markers),
      ])
    chart.categories = labels
    chart.includeZero = true
    chart.width = max(640, 110 * Double(rows.count) + 200)
    return chart
  }

  /// A statistic's name short enough for a category label.
  static func short(_ statistic: String) -> String {
    let names = [
      "mean_offer_share": "mean offer", "rejection_rate": "rejected", "share_offers_40_to_50_percent": "40-50%",
      "share_offers_below_20_percent": "below 20%", "share_offering_half": "half", "mean_share_given": "mean given",
      "share_giving_zero": "nothing", "share_giving_half": "half", "share_giving_everything": "everything",
      "share_sent": "sent", "mean_share_sent": "sent", "share_returned": "returned",
      "cooperation_rate": "cooperation", "first_round_cooperation_rate": "round 1",
      "cooperation_after_partner_defection": "after a defection",
    ]
    if let name = names[statistic] { return name }
    for prefix in ["contribution_share_period_", "contribution_share_round_"] where statistic.hasPrefix(prefix) {
      return "period " + statistic.dropFirst(prefix.count)
    }
    return statistic.replacingOccurrences(of: "_", with: " ")
  }

  /// The simulated distribution of offers (shares of the stake at the experiment's grid) as bars, with the published
  /// shares of exact amounts as markers.
  static func distribution(_ rows: [Calibration.Row], recipe: ValidationRecipe, preset: PopulationPreset, seed: UInt64)
    throws -> Chart
  {
    // Offers are amounts on a grid of whole units of the stake: counted by unit, drawn as shares.
    let stake = recipe.stake
    var counts: [Double: Int] = [:]
    var total = 0
    _ = try recipe.play(preset, seed: seed) { event in
      counts[(event.offer).rounded(), default: 0] += 1
      total += 1
    }
    let bars = counts.keys.sorted().map { Chart.Point(x: $0 / stake, y: Double(counts[$0]!) / Double(max(1, total))) }
    let exact: [String: Double] = [
      "share_giving_zero": 0, "share_giving_half": 0.5, "share_giving_everything": 1, "share_offering_half": 0.5,
    ]
    let published = rows.compactMap { r -> Chart.Point? in
      exact[r.target.statistic].map {
        Chart.Point(
          x: $0, y: r.target.target, low: max(0, r.target.target - r.target.tolerance),
          high: min(1, r.target.target + r.target.tolerance))
      }
    }
    let game = rows.first?.target.game ?? ""
    var chart = Chart(
      title: "\(preset.name): \(game) offers (whole units of \(Int(stake)))",
      xLabel: "offer (share of the stake)", yLabel: "share of \(game == "dictator" ? "dictators" : "proposers")",
      series: [Chart.Series(name: "simulated", points: bars, style: .bars(width: 1 / stake))]
        + (published.isEmpty ? [] : [Chart.Series(name: "published (± tolerance)", points: published, style: .markers)])
    )
    chart.includeZero = true
    return chart
  }

  /// The public goods contributions period by period: simulated (a line) and published (markers with tolerance).
  static func contributions(_ rows: [Calibration.Row], preset: PopulationPreset, seed: UInt64) throws -> Chart {
    var published: [Chart.Point] = []
    var simulated: [Chart.Point] = []
    for r in rows {
      guard case .step(_, let n)? = ValidationRecipe.of(r.target)?.statistic else { continue }
      published.append(
        Chart.Point(
          x: Double(n), y: r.target.target, low: r.target.target - r.target.tolerance,
          high: r.target.target + r.target.tolerance, label: r.heldOut ? "held out" : "fitted"))
      simulated.append(Chart.Point(x: Double(n), y: r.simulated))
    }
    var chart = Chart(
      title: "\(preset.name): public goods contributions by period", xLabel: "period", yLabel: "share of endowment",
      series: [
        Chart.Series(name: "simulated", points: simulated.sorted { $0.x < $1.x }, style: .line),
        Chart.Series(name: "published (± tolerance)", points: published.sorted { $0.x < $1.x }, style: .markers),
      ])
    chart.includeZero = true
    return chart
  }
}
