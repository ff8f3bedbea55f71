import AgoraCore
import Foundation

/// The result tables of a division game (ultimatum, dictator): summary, steps, segments and `offers.csv`.
extension Experiment {
  static func result<G: DivisionGame>(of run: DivisionRun<G>, spec: ScenarioSpec, runIndex: Int, seconds: Double) throws
    -> RunResult
  {
    let ids = identifiers(spec, runIndex)
    let n = run.population.count
    let payoffs = run.payoffs
    var summary = header(spec, runIndex, n)
    summary.insert(("roles", .string(run.game.spec.roles.rawValue)), at: 6)
    summary.insert(
      contentsOf: [("stake", .double(run.game.spec.stake)), ("offer_step", .double(run.game.spec.offerStep))], at: 8)
    let totalPayoff = payoffs.reduce(0, +)
    summary += [
      ("interactions", .int(run.total.interactions)), ("efficiency", .double(run.total.efficiency)),
      ("mean_payoff", .double(totalPayoff / Double(n))), ("total_payoff", .double(totalPayoff)),
    ]
    summary += run.game.rates(run.total).map { ($0.0, .double($0.1)) }
    summary += try Inequality.all(payoffs).map { ($0.0, .double($0.1)) }

    let responds = run.game.responderDecides
    let own =
      ["mean_payoff", "gini"] + run.game.rates(run.total).map(\.0) + ["efficiency"]
      + (responds ? ["acceptance_rate_as_responder"] : [])
    let (segmentColumns, segmentRows) = try segmentTable(run.population, ids: ids, columns: own) { s, range in
      let (payoffsHere, mean) = segmentValues(payoffs, range)
      let key = run.population.segments[s].name.snakeCased
      summary.append(("mean_payoff_\(key)", .double(mean)))
      // A segment's rates are its proposers', except the minimums its responders stated.
      let asResponder = Dictionary(run.game.rates(run.byResponderSegment[s]), uniquingKeysWith: { a, _ in a })
      let asProposer = run.game.rates(run.byProposerSegment[s]).map { name, value in
        (name, name == "mean_min_acceptable_share" ? asResponder[name] ?? .nan : value)
      }
      for (name, value) in asProposer { summary.append(("\(name)_\(key)", .double(value))) }
      if responds {
        summary.append(("acceptance_rate_as_responder_\(key)", .double(run.byResponderSegment[s].acceptanceRate)))
      }
      return [.double(mean), .double(payoffsHere.isEmpty ? .nan : try Inequality.gini(payoffsHere))]
        + asProposer.map { .double($0.1) } + [.double(run.byProposerSegment[s].efficiency)]
        + (responds ? [.double(run.byResponderSegment[s].acceptanceRate)] : [])
    }

    var stepRows: [[Cell]] = []
    for step in run.steps {
      var row: [Cell] = ids.map(\.1) + [.int(step.step), .double(step.time), .int(step.tally.interactions)]
      row += run.game.rates(step.tally).map { .double($0.1) }
      row += [.double(step.tally.efficiency), .double(step.meanPayoff), .double(step.gini)]
      stepRows.append(row)
    }
    var stepColumns = ["run_index", "seed", "step", "time", "interactions"]
    stepColumns += run.game.rates(run.total).map(\.0)
    stepColumns += ["efficiency", "mean_payoff", "gini"]

    var result = RunResult(
      summary: summary, stepColumns: stepColumns, stepRows: stepRows, segmentColumns: segmentColumns,
      segmentRows: segmentRows, population: run.population, payoffs: payoffs, interactions: run.interactions,
      seconds: seconds,
      headline: run.game.responderDecides
        ? ["mean_offer", "acceptance_rate"] : ["mean_share_given", "share_giving_zero"])
    if let minimums = run.minimums { result.agentValues = [(Ultimatum.minimumColumn, minimums)] }
    result.tables = [offerTable(run, ids: ids.map(\.1))]
    return result
  }

  /// `offers.csv`: one row per proposer segment and offer on the grid, with the proposals made and accepted.
  static func offerTable<G: DivisionGame>(_ run: DivisionRun<G>, ids: [Cell]) -> (
    name: String, columns: [String], rows: [[Cell]]
  ) {
    let shares = run.game.offerShares
    // Offer k in the stake's units as k * stake / (count - 1), so that a whole-dollar offer reads 29, not
    // 0.29 * 100 = 28.999999999999996.
    let steps = Double(max(shares.count - 1, 1))
    var rows: [[Cell]] = []
    for (s, segment) in run.population.segments.enumerated() {
      for (k, share) in shares.enumerated() {
        let (made, accepted) = run.offers.proposals(segment: s, offer: k)
        rows.append(
          ids + [
            .string(segment.name), .double(share), .double(Double(k) * run.game.spec.stake / steps), .int(made),
            .int(accepted),
            .double(made > 0 ? Double(accepted) / Double(made) : .nan),
          ])
      }
    }
    return (
      name: "offers",
      columns: ["run_index", "seed", "segment", "offer_share", "offer", "proposals", "accepted", "acceptance_rate"],
      rows: rows
    )
  }
}
