import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The ultimatum game: subgame-perfect offers and Fehr-Schmidt responders, from YAML and from parameters in Swift.
@Suite("Games: ultimatum")
struct UltimatumTests {
  func scenario(_ yaml: String, _ overrides: [String] = []) throws -> ScenarioSpec {
    try ScenarioLoader.load(yaml: yaml, overrides: overrides)
  }

  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

  @Test(
    "a selfish population at temperature 0 offers the smallest positive amount and it is accepted",
    arguments: ["none", "in_context"], ["random_pairs", "asynchronous"])
  func subgamePerfect(learning: String, matching: String) throws {
    let spec = try scenario(
      """
      game: {type: ultimatum, stake: 100, offer_step: 5, rounds: 10}
      matching: {type: \(matching)}
      population:
        size: 400
        segments: [{name: selfish, decoding: {temperature: 0}, memory: {learning: \(learning)}}]
      """)
    var offers = Set<Double>()
    var accepted = Set<Bool>()
    let result = try Experiment.run(spec) { event in
      offers.insert(event.offer)  // an amount: 5 of the stake of 100
      accepted.insert(event.accepted)
    }
    #expect(offers.count == 1 && abs((offers.first ?? 0) - 5) < 1e-9, "\(offers)")
    #expect(accepted == [true])
    #expect(number(result, "mean_offer") == 0.05)
    #expect(number(result, "acceptance_rate") == 1)
    #expect(number(result, "efficiency") == 1)
  }

  @Test(
    "responders with envy alpha reject exactly the offers below alpha / (1 + 2 alpha)", arguments: [0.25, 0.8, 1.5])
  func fehrSchmidtThreshold(alpha: Double) throws {
    let spec = try scenario(
      """
      game: {type: ultimatum, stake: 100, offer_step: 1, rounds: 20, roles: fixed}
      population:
        size: 4000
        segments:
          - {name: envious, share: 0.5, preferences: {envy: \(alpha)}, decoding: {temperature: 0}}
          - {name: random-proposers, share: 0.5, decoding: {temperature: 1000000}, memory: {learning: none}}
      """)
    let threshold = alpha / (1 + 2 * alpha)
    var checked = 0
    var rejected = 0
    _ = try Experiment.run(spec) { event in
      let (responder, share, accepted) = (event.responder, event.offer / 100, event.accepted)
      guard responder < 2000 else { return }  // responders of the envious segment
      checked += 1
      if !accepted { rejected += 1 }
      #expect(accepted == (share > threshold), "offer \(share) with threshold \(threshold)")
    }
    #expect(checked > 10_000 && rejected > 0)
  }

  @Test("prior_accept_from: a selfish proposer sure of acceptance from 40% offers 40%, from the equal split half")
  func priorAcceptFrom() throws {
    // U(s) = (1 - s) * min(1, s / from) with slope 1 peaks at s = from.
    for (from, offer) in [(0.4, 0.4), (0.5, 0.5)] {
      let spec = try scenario(
        """
        game: {type: ultimatum, stake: 100, offer_step: 1, rounds: 1, roles: fixed}
        population:
          size: 200
          segments:
            - {name: selfish, decoding: {temperature: 0}, memory: {prior_accept_slope: 1, prior_accept_from: \(from)}}
        """)
      #expect(abs(number(try Experiment.run(spec), "mean_offer") - offer) < 1e-9, "from \(from)")
    }
    #expect(MemorySpec().priorAcceptance(of: 0.2) == 1, "slope 0: every positive offer alike")
    var memory = MemorySpec()
    memory.priorAcceptSlope = 0.8
    for s in [0.0, 0.1, 0.25, 0.4, 0.5, 0.7] {
      // The default (from 1/2) is the formula of before, bit for bit.
      #expect(memory.priorAcceptance(of: s) == (s <= 0 ? 0 : 1 - 0.8 * max(0, 1 - 2 * s)))
    }
    for bad in ["0", "1.5", "-0.1"] {
      #expect(throws: ScenarioIssue.self) {
        try scenario(
          """
          game: {type: ultimatum}
          population: {size: 10, segments: [{name: a, memory: {prior_accept_from: \(bad)}}]}
          """)
      }
    }
  }

  @Test("stake_response changes nothing at its reference stake, bit for bit; above it, elasticity alone lowers offers")
  func stakeResponseAtReference() throws {
    func run(_ stake: Int, _ response: String) throws -> RunResult {
      try Experiment.run(
        scenario(
          """
          game: {type: ultimatum, stake: \(stake), offer_grid: 0.05, rounds: 5}
          population:
            size: 2000
            segments: [{name: a, preferences: {envy: 0.4, guilt: 0.3}, decoding: {temperature: 0.1}\(response)}]
          """))
    }
    let elastic = ", stake_response: {reference: 100, elasticity: 0.3}"
    let plain = try run(100, "")
    let atReference = try run(100, elastic + "")
    let cells = { (r: RunResult) in r.summary.map { "\($0.0)=\($0.1)" } }
    #expect(cells(plain) == cells(atReference))
    #expect(plain.payoffs == atReference.payoffs)
    // 100 times the stake weighs the proposer's own share 100^0.3 = 4 times as much against its guilt.
    let high = try run(10_000, elastic)
    #expect(number(high, "mean_offer") < number(plain, "mean_offer") - 0.05)
    // The same stake without a response decides as at 100 (utilities are in units of the stake).
    #expect(number(try run(10_000, ""), "mean_offer") == number(plain, "mean_offer"))
    // A reference that is not a positive number is refused with the key's path.
    #expect {
      try run(100, ", stake_response: {reference: 0}")
    } throws: { "\($0)".contains("stake_response.reference") && "\($0)".contains("> 0") }
  }

  /// Validation/stake_targets.csv's ultimatum rows: offers fall a little, rejections halve at 100x, near zero at 1000x.
  @Test("the human preset's stake response meets the ultimatum's stake targets")
  func humanStakeTargets() throws {
    let (base, x100, x1000) = try (
      TestSupport.humanOneShot("ultimatum", stake: 100), TestSupport.humanOneShot("ultimatum", stake: 10_000),
      TestSupport.humanOneShot("ultimatum", stake: 100_000)
    )
    for target in try TestSupport.stakeTargets("ultimatum") {
      let value: Double
      switch target.statistic {
      case "mean_offer_change_100x": value = number(x100, "mean_offer") - number(base, "mean_offer")
      case "rejection_rate_ratio_100x": value = number(x100, "rejection_rate") / number(base, "rejection_rate")
      case "rejection_rate_1000x": value = number(x1000, "rejection_rate")
      default:
        Issue.record("no measurement for \(target.statistic)")
        continue
      }
      #expect(abs(value - target.target) <= target.tolerance, "\(target.statistic): \(value) vs \(target.target)")
    }
    // Held at the reference: the preset's validation targets are untouched (the recipes play at stake 100).
    #expect(abs(number(base, "mean_offer") - 0.4422) < 0.002)
  }

  @Test("built in Swift: envy-1 responders accept exactly the offers above a third; every division pays the stake")
  func directParameters() throws {
    var parameters = DivisionParameters()
    parameters.stake = 10
    parameters.offerStep = 1
    parameters.rounds = 6
    parameters.roles = .fixed
    let envious = SegmentSpec(
      name: "envious", share: 0.5, preferences: TestSupport.preferences([.envy: 1]),
      decoding: DecodingParameters(temperature: 0))
    var random = SegmentSpec(name: "random", share: 0.5, decoding: DecodingParameters(temperature: 1_000_000))
    random.memory.learning = .none
    let spec = try TestSupport.scenario(Ultimatum.self, parameters, size: 400, segments: [envious, random])
    var (checked, rejected, divisions) = (0, 0, 0)
    let result = try Experiment.run(spec) { event in
      if event.accepted { divisions += 1 }
      guard event.responder < 200 else { return }  // responders of the envious segment
      checked += 1
      if !event.accepted { rejected += 1 }
      // Envy 1 accepts a share s iff s - (1 - 2s) > 0: above alpha / (1 + 2 alpha) = 1/3 of the stake.
      #expect(event.accepted == (event.offer > 10.0 / 3), "offer \(event.offer) of 10")
    }
    // Fixed roles: 100 envious responders meet one of the 200 proposers in each of 6 rounds.
    #expect(checked == 600 && rejected > 0)
    #expect(number(result, "interactions") == 6 * 200)
    // A division pays out the whole stake of 10 (proposer and responder together); a rejection pays nothing.
    #expect(abs(result.payoffs.reduce(0, +) - 10 * Double(divisions)) < 1e-6)
    #expect(abs(number(result, "efficiency") - Double(divisions) / 1200) < 1e-12)
  }

  @Test("rational expectations (learning: population) give Fehr & Schmidt's (1999) Table III offers per type")
  func knownDistributionBeliefs() throws {
    // Table III: alpha 0, 0.5, 1, 4 for 30, 30, 30, 10%; beta 0, 0.25, 0.6, 0.6. Responders accept s >= a/(1+2a):
    // 0, 0.25, 1/3, 4/9. On a 1% grid the best offers are 0.34 (beta 0), 0.45 (beta 0.25) and 0.5 (beta 0.6):
    // mean 0.437, against 0.433 in the continuous model (FS report 0.433).
    let result = try TestSupport.run(
      """
      game: {type: ultimatum, stake: 100, offer_step: 1, rounds: 3}
      population:
        size: 1000
        segments:
          - {name: a0, share: 0.3, preferences: {envy: 0, guilt: 0}, decoding: {temperature: 0}, memory: {learning: population}}
          - {name: a05, share: 0.3, preferences: {envy: 0.5, guilt: 0.25}, decoding: {temperature: 0}, memory: {learning: population}}
          - {name: a1, share: 0.3, preferences: {envy: 1, guilt: 0.6}, decoding: {temperature: 0}, memory: {learning: population}}
          - {name: a4, share: 0.1, preferences: {envy: 4, guilt: 0.6}, decoding: {temperature: 0}, memory: {learning: population}}
      """)
    let offers = ["a0", "a05", "a1", "a4"].map { TestSupport.number(result, "mean_offer_\($0)") }
    let expected: [Double] = [0.34, 0.45, 0.5, 0.5]
    for (got, want) in zip(offers, expected) { #expect(abs(got - want) < 1e-9, "\(offers)") }
    let mean: Double = TestSupport.number(result, "mean_offer")
    #expect(abs(mean - 0.437) < 0.005)
    #expect(abs(mean - 0.433) <= 0.01)  // within one grid step of the paper's continuous 0.433
    // Only the 0.34 offers (30% of proposers) meet rejections, by the alpha-4 tenth of the responders.
    let acceptance: Double = TestSupport.number(result, "acceptance_rate")
    #expect(abs(acceptance - 0.97) < 0.02)
    // Population beliefs are the division games' own: a match game refuses them with the allowed models.
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(
        yaml:
          "game: {type: trust}\npopulation: {size: 10, segments: [{name: a, share: 1, memory: {learning: population}}]}"
      )
    }
  }

  @Test(
    "the strategy method: a responder with envy alpha states the minimum alpha / (1 + 2 alpha) and accepts exactly the offers at or above it"
  )
  func strategyMethod() throws {
    // alpha = 1: the minimum acceptable share is 1/3, so 0.34 on a 1% grid for the greedy segment; the noisy one
    // states minimums anywhere and offers anything.
    let spec = try scenario(
      """
      game: {type: ultimatum, stake: 100, offer_step: 1, rounds: 1, roles: fixed, strategy_method: true}
      population:
        size: 800
        segments:
          - {name: noisy, share: 0.5, decoding: {temperature: 1}}
          - {name: greedy, share: 0.5, preferences: {envy: 1}, decoding: {temperature: 0}}
      """)
    var events: [(offer: Double, accepted: Bool, proposer: Int, responder: Int)] = []
    let result = try Experiment.run(spec) { events.append(($0.offer, $0.accepted, $0.proposer, $0.responder)) }
    let minimums = try #require(result.agentValues.first { $0.column.name == "min_acceptable_share" }).values
    #expect(events.count == 400)
    for e in events {
      #expect(
        e.accepted == (e.offer >= 100 * minimums[e.responder] - 1e-9), "offer \(e.offer) vs \(minimums[e.responder])")
      #expect(minimums[e.proposer].isNaN, "a proposer never responded")
    }
    let greedy = result.population.ranges[1]
    #expect(events.filter { greedy.contains($0.responder) }.allSatisfy { abs(minimums[$0.responder] - 0.34) < 1e-12 })
    #expect(abs(number(result, "mean_min_acceptable_share_greedy") - 0.34) < 1e-12)
    #expect(Set(events.filter { !greedy.contains($0.responder) }.map { minimums[$0.responder] }).count > 20)
    #expect(result.agentColumns.last == "min_acceptable_share")
  }

  @Test("with noise the stated minimums spread around the threshold and match the acceptances")
  func strategyMethodNoise() throws {
    let spec = try scenario(
      """
      game: {type: ultimatum, stake: 100, offer_step: 1, rounds: 1, roles: fixed, strategy_method: true}
      population:
        size: 4000
        segments: [{name: a, preferences: {envy: 1}, decoding: {temperature: 0.05}}]
      """)
    let result = try Experiment.run(spec)
    let mean = number(result, "mean_min_acceptable_share")
    #expect(mean > 0.2 && mean < 0.45, "\(mean)")
    #expect(abs(number(result, "acceptance_rate") + number(result, "rejection_rate") - 1) < 1e-12)
    // The dictator's recipient has no say: the strategy method is refused there.
    #expect(throws: ScenarioIssue.self) {
      try scenario("game: {type: dictator, strategy_method: true}\npopulation: {size: 10}")
    }
  }

  /// The rows a run passes to `agent_steps.csv`: by step, each agent's cells after its id and segment.
  func agentSteps(_ spec: ScenarioSpec, threads: Int = 1, events: InteractionSink? = nil) throws -> (
    result: RunResult, steps: [Int: [[Cell]]]
  ) {
    var steps: [Int: [[Cell]]] = [:]
    let result = try Experiment.run(
      spec, events: events, threads: threads,
      agentSteps: { values in
        steps[values.step] = values.payoffs.indices.map { i in ["offer", "belief"].map { values.cell($0, agent: i) } }
      })
    return (result, steps)
  }

  @Test(
    "agent_steps offer and belief: the last round's proposers' offers are its events' and average to mean_offer; an empty window believes the prior; the same at any thread count"
  )
  func agentStepOfferAndBelief() throws {
    let spec = try scenario(
      """
      game: {type: ultimatum, stake: 100, offer_step: 5, rounds: 4}
      population:
        size: 600
        segments:
          - {name: a, share: 0.5, preferences: {envy: 0.5}, memory: {window: 3, prior_accept: 0.8}}
          - {name: b, share: 0.5, memory: {window: 3, prior_accept: 0.6, prior_accept_slope: 0.5}}
      output: {agent_steps: {every: 1, columns: [offer, belief]}}
      """)
    var lastRound: [(proposer: Int, share: Double)] = []
    let (result, steps) = try agentSteps(spec) { event in
      if event.time == 4 { lastRound.append((event.proposer, event.offer / 100)) }
    }
    #expect(steps.keys.sorted() == [1, 2, 3, 4])
    let last = try #require(steps[4])
    #expect(lastRound.count == 300)
    for (proposer, share) in lastRound { #expect(last[proposer][0] == .double(share), "agent \(proposer)") }
    let meanOffer = lastRound.map(\.share).reduce(0, +) / Double(lastRound.count)
    let column = try #require(result.stepColumns.firstIndex(of: "mean_offer"))
    #expect(abs(result.stepRows[3][column].number - meanOffer) < 1e-12)
    // After round 1 only its 300 proposers have offered; a responder's window is empty, so it believes its prior.
    let first = try #require(steps[1])
    let offered = first.indices.filter { !first[$0][0].number.isNaN }
    #expect(offered.count == 300)
    let game = Ultimatum(spec: Ultimatum.parameters(spec))
    let half = game.offerShares[game.salientOffer]
    #expect(half == 0.5)
    for i in first.indices {
      let belief = first[i][1].number
      #expect(belief >= 0 && belief <= 1)
      if !offered.contains(i) {
        let segment = spec.population.segments[Int(result.population.segment[i])]
        #expect(belief == segment.memory.priorAcceptance(of: half), "agent \(i)")
      }
    }
    let threaded = try agentSteps(spec, threads: 3)
    #expect(threaded.steps.mapValues { $0.map { $0.map(\.text) } } == steps.mapValues { $0.map { $0.map(\.text) } })
  }

  @Test("agent_steps refuses a value the game does not declare, naming those it does")
  func agentStepUnknownValue() throws {
    let yaml = """
      game: {type: dictator}
      population: {size: 10, segments: [{name: a, share: 1}]}
      output: {agent_steps: {columns: [offer, belief]}}
      """
    do {
      _ = try scenario(yaml)
      Issue.record("belief is not a dictator's value")
    } catch let issue as ScenarioIssue {
      #expect(issue.path == "output.agent_steps.columns")
      #expect(issue.message == "'belief' is not a per-agent value of dictator; allowed: payoff, interactions, offer")
    }
    _ = try scenario(yaml.replacingOccurrences(of: "dictator", with: "ultimatum"))
  }

  @Test("output.reporters: steps.csv's extra columns are their statistics of agent_steps.csv's values at every step")
  func reporters() throws {
    let text = """
      game: {type: ultimatum, stake: 100, offer_step: 5, rounds: 5}
      population:
        size: 200
        segments:
          - {name: fair-minded, share: 0.5, preferences: {guilt: 0.8}}
          - {name: selfish, share: 0.5}
      output:
        agent_steps: {every: 1, columns: [payoff, offer]}
        reporters:
          - {name: rich_share, of: payoff, stat: share_above, value: 100}
          - {name: p90_payoff, of: payoff, stat: quantile, q: 0.9}
          - {name: mean_offer_fair, of: offer, stat: mean, segment: fair-minded}
          - {name: payoff_gini, of: payoff, stat: gini}
          - {name: payoff_mean, of: payoff, stat: mean}
      """
    let spec = try scenario(text)
    let folder = TestSupport.temporaryDirectory()
    _ = try RunFolder.execute(spec, into: folder, report: false)
    let steps = try CSVTable(contentsOf: folder + "/steps.csv")
    let agents = try CSVTable(contentsOf: folder + "/agent_steps.csv")
    #expect(
      Array(steps.columns.suffix(5)) == ["rich_share", "p90_payoff", "mean_offer_fair", "payoff_gini", "payoff_mean"])
    #expect(steps.rows.count == 5)
    let column = { (table: CSVTable, name: String) in try #require(table.columns.firstIndex(of: name)) }
    let (step, payoff, offer, segment) = try (
      column(agents, "step"), column(agents, "payoff"), column(agents, "offer"), column(agents, "segment")
    )
    let stepColumn = try column(steps, "step")
    for row in steps.rows {
      let now = agents.rows.filter { $0[step] == row[stepColumn] }
      let payoffs = now.map { Double($0[payoff])! }
      let fairOffers = now.filter { $0[segment] == "fair-minded" }.compactMap { Double($0[offer]) }
      let named = Dictionary(uniqueKeysWithValues: zip(steps.columns, row))
      let value = { (name: String) in Double(named[name] ?? "") ?? .nan }
      #expect(value("rich_share") == Double(payoffs.count { $0 > 100 }) / 200)
      let sorted = payoffs.sorted()
      let h = 199 * 0.9
      let p90 = sorted[179] + (h - 179) * (sorted[180] - sorted[179])
      #expect(value("p90_payoff") == p90)
      #expect(abs(value("mean_offer_fair") - fairOffers.reduce(0, +) / Double(fairOffers.count)) < 1e-12)
      #expect(value("payoff_gini") == value("gini"))
      #expect(abs(value("payoff_mean") - value("mean_payoff")) < 1e-9)
    }
    let dictionary = try String(contentsOfFile: folder + "/steps.csv-metadata.json", encoding: .utf8)
    #expect(dictionary.contains("quantile 0.9") && dictionary.contains("among segment `fair-minded`"))
    // A sweep's kept steps carry the same columns (the run computes them, not its folder), with their definitions.
    var sweep = SweepSpec(scenario: "reporters.yaml")
    sweep.parameters = [SweepParameter(key: "game.stake", domain: .values(["100", "10"]))]
    sweep.keep.steps = true
    let swept = TestSupport.temporaryDirectory()
    let template = try ScenarioTemplate(yaml: text, source: "reporters.yaml")
    _ = try SweepRunner(plan: try SweepPlan(sweep, template: template), directory: swept, jobs: 1).run()
    let kept = try CSVTable(contentsOf: swept + "/steps.csv")
    #expect(kept.rows.count == 2 * 5)
    let (gini, payoffGini, mean, payoffMean) = try (
      column(kept, "gini"), column(kept, "payoff_gini"), column(kept, "mean_payoff"), column(kept, "payoff_mean")
    )
    for row in kept.rows {
      #expect(row[payoffGini] == row[gini] && abs(Double(row[payoffMean])! - Double(row[mean])!) < 1e-9)
    }
    for (yaml, path) in [
      ("[{name: gini, of: payoff, stat: mean}]", "output.reporters.0.name"),
      ("[{name: x, of: belief, stat: mean}]", "output.reporters.0.of"),
      ("[{name: x, of: payoff, stat: mean, segment: nobody}]", "output.reporters.0.segment"),
      ("[{name: x, of: payoff, stat: quantile, q: 1.5}]", "output.reporters.0.q"),
      ("[{name: x, of: payoff, stat: share_above}]", "output.reporters.0.value"),
      ("[{name: x, of: payoff, stat: mean, q: 0.5}]", "output.reporters.0.q"),
      ("[{name: x, of: payoff, stat: mean}, {name: x, of: offer, stat: max}]", "output.reporters"),
    ] {
      let issue = #expect(throws: ScenarioIssue.self) {
        try scenario(
          "game: {type: dictator}\npopulation: {size: 10, segments: [{name: a, share: 1}]}\n"
            + "output: {reporters: \(yaml)}")
      }
      #expect(issue?.path == path, "\(yaml): \(issue?.description ?? "")")
    }
  }
}
