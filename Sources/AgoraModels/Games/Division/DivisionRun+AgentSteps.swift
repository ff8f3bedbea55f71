import AgoraCore

/// The division games' own per-agent values for `agent_steps.csv` (`output.agent_steps.columns`): computed only at
/// the steps recorded, from the agents' state (the last offers are kept only when `offer` is asked for).
extension DivisionRun {
  /// Agent values the run records by name: `offer` (the last offer as proposer, a share; empty before its first)
  /// and `belief` (its belief that the salient offer is accepted); empty cells for a name it does not know.
  func agentStepValues(_ name: String) -> [Cell] {
    let n = population.count
    switch name {
    case "offer":
      return (lastOffers ?? [Double](repeating: .nan, count: n)).map { .double($0) }
    case "belief":
      return acceptanceBeliefs(at: game.salientOffer).map { .double($0) }
    default:
      return [Cell](repeating: .double(.nan), count: n)
    }
  }

  /// Each agent's current belief that offer `option` (an index on the grid) is accepted, as its proposals use it:
  /// ``Memory/acceptanceBeliefs(agent:prior:priorWeight:reciprocals:into:)`` from its window and its segment's prior (the
  /// population's acceptance under `learning: population`); NaN for every agent when responders do not decide.
  func acceptanceBeliefs(at option: Int) -> [Double] {
    let n = population.count
    guard game.responderDecides else { return [Double](repeating: .nan, count: n) }
    let k = kernel.options
    var beliefs = [Double](repeating: 0, count: n)
    var scratch = [Double](repeating: 0, count: k)
    scratch.withUnsafeMutableBufferPointer { out in
      for i in 0..<n {
        let s = kernel.segment(of: i)
        memory.acceptanceBeliefs(
          agent: i, prior: UnsafeBufferPointer(start: kernel.priors + s * k, count: k),
          priorWeight: kernel.priorWeights[s], reciprocals: kernel.reciprocals + s * (memory.capacity + 1), into: out)
        beliefs[i] = out[option]
      }
    }
    return beliefs
  }

  /// Writes the offers (shares of the stake) of the round's pairs `range` as their proposers' last offers, from
  /// the pairs' outcomes (`offer * 2 + accepted`, from the range's first pair); only when `offer` is asked for.
  mutating func keepLastOffers(_ range: Range<Int>, proposers: [Int32], outcomes: [Int32]) {
    guard lastOffers != nil else { return }
    for p in range { lastOffers![Int(proposers[p])] = shares[Int(outcomes[p - range.lowerBound]) / 2] }
  }
}

extension DivisionGame {
  /// `agent_steps.csv`'s `offer`: the agent's last offer as proposer.
  public static var offerStepColumn: Column {
    Column(
      "offer", unit: Column.Unit.share,
      "the agent's last offer as proposer, as a share of the stake; empty if it has not proposed yet")
  }

  /// `agent_steps.csv`'s `belief`: what the agent believes of the salient offer, from its window and prior.
  public static var beliefStepColumn: Column {
    Column(
      "belief", unit: Column.Unit.share,
      "the agent's current belief that an offer of half the stake (the grid's salient offer) is accepted, from its "
        + "context window and its segment's prior (the prior alone while its window is empty)")
  }
}
