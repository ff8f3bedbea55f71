import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// The prisoner's dilemma: defection, tournaments, noise, and reciprocity (issue 17, finding 3: the partner is kind
/// where it cooperates and unkind where it defects, so a reciprocal player cooperates more the more it expects
/// cooperation), from YAML and from parameters built in Swift.
@Suite("Games: prisoner's dilemma")
struct PrisonersDilemmaTests {
  func run(_ yaml: String, _ overrides: [String] = []) throws -> RunResult { try TestSupport.run(yaml, overrides) }
  func number(_ result: RunResult, _ column: String) -> Double { TestSupport.number(result, column) }

  static let beliefs = (1...9).map { Double($0) / 10 }

  /// The probability that the decoder at `temperature` cooperates, given the two utilities.
  static func cooperation(_ u: (cooperate: Double, defect: Double), temperature: Double) -> Double {
    var decoder = ChoiceDecoder()
    let utilities = [u.cooperate, u.defect]
    return utilities.withUnsafeBufferPointer {
      decoder.distribution(utilities: $0, salient: 0, parameters: DecodingParameters(temperature: temperature))[0]
    }
  }

  /// A segment's value of `column` in a run.
  static func segment(_ result: RunResult, _ name: String, _ column: String) -> Double {
    let s = result.segmentColumns.firstIndex(of: "segment")!
    let c = result.segmentColumns.firstIndex(of: column)!
    let row = result.segmentRows.first { $0[s] == .string(name) }!
    if case .double(let v) = row[c] { return v }
    return .nan
  }

  /// Stage-2 cooperation of one reciprocal agent (fixed belief `p`) against one always-cooperate partner, over
  /// `rounds` two-stage matches.
  static func stageTwoAgainstCooperator(
    reciprocity: Double, belief p: Double, temperature: Double, rounds: Int = 400
  ) throws -> Double {
    let result = try TestSupport.run(
      """
      game: {type: prisoners_dilemma, horizon: 2, rounds: \(rounds)}
      matching: {type: round_robin}
      population:
        size: 2
        segments:
          - {name: r, share: 0.5, preferences: {reciprocity: \(reciprocity)}, decoding: {temperature: \(temperature)}, memory: {learning: none, prior_cooperation: \(p)}}
          - {name: allc, share: 0.5, strategy: always_cooperate}
      """)
    return segment(result, "r", "cooperation_rate_stage_2")
  }

  @Test(
    "theory: a reciprocal player's U(C) - U(D) rises with its belief, and so does its near-greedy cooperation",
    arguments: [0.2, 0.5, 1, 2, 3])
  func theoryDefaultPayoffs(rho: Double) {
    let game = PrisonersDilemma(spec: PrisonersDilemmaParameters())
    var (gap, rate) = (-Double.infinity, -1.0)
    for p in Self.beliefs {
      let u = game.moveUtilities(Motives(reciprocity: rho), belief: p)
      // Linear in p with slope (R + P - T - S + rho (T + R - S - P)) / T = (7 rho - 1) / 5 at (5, 3, 1, 0).
      let expected = (p * (-2 + 3 * rho) + (1 - p) * (-1 - 4 * rho)) / 5
      #expect(abs((u.cooperate - u.defect) - expected) < 1e-12, "rho \(rho), p \(p)")
      #expect(u.cooperate - u.defect > gap, "rho \(rho), p \(p)")
      let cooperation = Self.cooperation(u, temperature: 0.01)
      #expect(cooperation >= rate, "rho \(rho), p \(p)")
      (gap, rate) = (u.cooperate - u.defect, cooperation)
    }
    // A strong reciprocator cooperates when it is nearly sure of cooperation (rho > 2/3 makes C best at p = 1).
    if rho >= 1 { #expect(rate > 0.99) }
  }

  @Test(
    "theory: where the temptation does not outweigh the fear (T + S <= R + P), any reciprocity makes cooperation rise",
    arguments: [0.01, 0.1, 0.5])
  func theoryAnyReciprocity(rho: Double) {
    var spec = PrisonersDilemmaParameters()
    spec.payoffs = PayoffMatrix(t: 4, r: 3, p: 1, s: 0)
    let game = PrisonersDilemma(spec: spec)
    let gaps = Self.beliefs.map { p in
      let u = game.moveUtilities(Motives(reciprocity: rho), belief: p)
      return u.cooperate - u.defect
    }
    #expect(zip(gaps, gaps.dropFirst()).allSatisfy { $0 < $1 }, "\(gaps)")
    // Envy and guilt (the conditional cooperators' motives) only steepen the rise.
    let averse = Self.beliefs.map { p in
      let u = game.moveUtilities(Motives(envy: 0.3, guilt: 0.5, reciprocity: rho), belief: p)
      return u.cooperate - u.defect
    }
    #expect(zip(zip(averse, averse.dropFirst()), zip(gaps, gaps.dropFirst())).allSatisfy { $0.1 - $0.0 > $1.1 - $1.0 })
  }

  @Test("short runs, greedy: reciprocity 1 defects below belief 5/6 and cooperates above, in stages 1 and 2")
  func greedyThreshold() throws {
    for p in Self.beliefs {
      let result = try TestSupport.run(
        """
        game: {type: prisoners_dilemma, horizon: 2, rounds: 3}
        population:
          size: 50
          segments:
            - {name: r, preferences: {reciprocity: 1}, decoding: {temperature: 0}, memory: {learning: none, prior_cooperation: \(p)}}
        """)
      // U(C) - U(D) = (6p - 5) / 5: cooperation is 0 up to 0.8 and 1 at 0.9, in every stage.
      #expect(TestSupport.number(result, "cooperation_rate") == (p > 5.0 / 6 ? 1 : 0), "belief \(p)")
    }
  }

  @Test("the bug's demo: reciprocity 0.5 against always-cooperate, stage-2 cooperation does not fall with belief")
  func demo() throws {
    // Before the fix, with the partner's last move as a kindness applied to every outcome, these were 1 up to
    // belief 0.5, then 0.87, 0.24, 0.02 and 0: the more the agent expected cooperation, the less it cooperated.
    let greedy = try Self.beliefs.map {
      try Self.stageTwoAgainstCooperator(reciprocity: 0.5, belief: $0, temperature: 0.01)
    }
    #expect(zip(greedy, greedy.dropFirst()).allSatisfy { $0 <= $1 }, "\(greedy)")
    // At a temperature where the choice is interior, the simulated rates follow the theory, which rises.
    let game = PrisonersDilemma(spec: PrisonersDilemmaParameters())
    var previous = -1.0
    for p in Self.beliefs {
      let theory = Self.cooperation(game.moveUtilities(Motives(reciprocity: 0.5), belief: p), temperature: 0.1)
      let simulated = try Self.stageTwoAgainstCooperator(reciprocity: 0.5, belief: p, temperature: 0.1, rounds: 4000)
      #expect(theory > previous)
      #expect(abs(simulated - theory) < 4 * (theory * (1 - theory) / 4000).squareRoot() + 1e-3, "belief \(p)")
      previous = theory
    }
    #expect(previous > 0.1)
  }

  @Test("with learning, a reciprocator answers a defection with defection and comes back when the window forgets it")
  func answersDefection() throws {
    let result = try TestSupport.run(
      """
      game: {type: prisoners_dilemma, horizon: 8, rounds: 1}
      matching: {type: round_robin}
      population:
        size: 2
        segments:
          - {name: r, share: 0.5, preferences: {reciprocity: 1}, decoding: {temperature: 0}, memory: {window: 5, prior_cooperation: 0.9, prior_weight: 1}}
          - {name: d1, share: 0.5, strategy: defect_once}
      """)
    // Beliefs: 0.9, then (0.9 + 0) / 2, (0.9 + 1) / 3, ... below 5/6 until the defection leaves the window of 5
    // (stage 7: (0.9 + 5) / 6).
    let stages = (1...8).map { Self.segment(result, "r", "cooperation_rate_stage_\($0)") }
    #expect(stages == [1, 0, 0, 0, 0, 0, 1, 1])
  }

  @Test("an unforgiving reciprocator (defection_weight) keeps defecting after one defection; a forgiving one returns")
  func unforgivingMemory() throws {
    func stages(_ weight: Double) throws -> [Double] {
      try play(weight).stages
    }
    func play(_ weight: Double) throws -> (stages: [Double], afterDefection: Double, versus: Double) {
      let result = try TestSupport.run(
        """
        game: {type: prisoners_dilemma, horizon: 8, rounds: 1}
        matching: {type: round_robin}
        population:
          size: 2
          segments:
            - {name: r, share: 0.5, preferences: {reciprocity: 1}, decoding: {temperature: 0},
               memory: {window: 10, prior_cooperation: 0.9, prior_weight: 1, defection_weight: \(weight)}}
            - {name: d1, share: 0.5, strategy: defect_once}
        """)
      return (
        (1...8).map { Self.segment(result, "r", "cooperation_rate_stage_\($0)") },
        Self.segment(result, "r", "cooperation_after_partner_defection"),
        TestSupport.number(result, "cooperation_after_partner_defection_r_vs_d1")
      )
    }
    // Cooperation needs a belief above 5/6. After one defection in t - 1 moves the belief is
    // (0.9 + t - 2) / (1 + w + t - 2): above 5/6 from stage 7 with w = 1, never within 8 stages with w = 5.
    #expect(try stages(1) == [1, 0, 0, 0, 0, 0, 1, 1])
    #expect(try stages(5) == [1, 0, 0, 0, 0, 0, 0, 0])
    // The moves after the partner's first defection (stages 2 to 8): two of seven cooperate with w = 1, none with w = 5.
    #expect(try play(1).afterDefection == 2.0 / 7)
    #expect(try play(1).versus == 2.0 / 7)
    #expect(try play(5).afterDefection == 0)
    // With weight 1 the belief is bit for bit the plain mean (the default changes nothing).
    var observations = Observations(count: 1, window: { _ in 4 })
    for x in [1.0, 0, 1, 1] { observations.record(agent: 0, x) }
    #expect(observations.belief(of: 0, prior: 0.5, priorWeight: 2, defectionWeight: 1) == (1 + 3) / 6.0)
    #expect(observations.belief(of: 0, prior: 0.5, priorWeight: 2, defectionWeight: 4) == (1 + 3) / 9.0)
  }

  @Test("llm_selfish cooperates no less against always-cooperate than against defect-once", arguments: [1, 2, 3, 4])
  func llmSelfishAgainstCooperators(seed: Int) throws {
    let preset = PopulationPreset.llmSelfish
    let segments = preset.segmentsYAML().split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
    var spec = try ScenarioLoader.load(
      yaml: """
        seed: \(seed)
        game: {type: prisoners_dilemma, horizon: 10, rounds: 1}
        matching: {type: round_robin}
        population:
          size: 160
          segments:
        \(segments)
        """)
    spec.population.segments[0].share = 0.5
    for strategy in [PrisonersDilemma.Strategy.alwaysCooperate, .alwaysDefect, .defectOnce, .alternate] {
      var segment = SegmentSpec(name: strategy.rawValue, share: 0.125)
      segment.strategy = strategy.rawValue
      spec.population.segments.append(segment)
    }
    let result = try Experiment.run(spec)
    let own = spec.population.segments[0].name.snakeCased
    let rate = { (opponent: PrisonersDilemma.Strategy) in
      TestSupport.number(result, "cooperation_rate_\(own)_vs_\(opponent.rawValue)")
    }
    // Before the fix: 0.07 against always-cooperate, 0.13 against defect-once and 0.27 against alternate.
    #expect(rate(.alwaysCooperate) >= rate(.defectOnce))
    #expect(rate(.defectOnce) >= rate(.alternate))
    #expect(rate(.alwaysDefect) <= rate(.alternate))
  }

  @Test("fixed strategies are the model's own key: strategy, not policy; checked against the model's list")
  func strategiesAreModelLocal() throws {
    func issue(_ game: String, _ segment: String) -> ScenarioIssue? {
      #expect(throws: ScenarioIssue.self) {
        try ScenarioLoader.load(
          yaml: "game: {type: \(game)}\npopulation: {size: 10, segments: [{name: a, share: 0.5}, \(segment)]}")
      }
    }
    let asPolicy = issue("prisoners_dilemma", "{name: b, share: 0.5, policy: tit_for_tat}")
    #expect(asPolicy?.message.contains("write strategy: tit_for_tat") == true, "\(String(describing: asPolicy))")
    let elsewhere = issue("ultimatum", "{name: b, share: 0.5, strategy: tit_for_tat}")
    #expect(
      elsewhere?.message == "ultimatum has no fixed strategies (this is one of prisoners_dilemma)",
      "\(String(describing: elsewhere))")
    let misspelt = issue("prisoners_dilemma", "{name: b, share: 0.5, strategy: tit_for_tot}")
    #expect(misspelt?.message.contains("did you mean 'tit_for_tat'") == true, "\(String(describing: misspelt))")
    let fine = try ScenarioLoader.load(
      yaml: "game: {type: prisoners_dilemma}\npopulation: {size: 10, segments: [{name: a, share: 0.5}, "
        + "{name: b, share: 0.5, strategy: grim}]}")
    #expect(fine.population.segments[1].strategy == "grim" && fine.population.segments[1].policy == .decoder)
  }

  @Test("selfish agents at temperature 0 defect, one-shot and repeated")
  func prisonersDilemmaDefect() throws {
    for horizon in [1, 10] {
      let result = try run(
        """
        game: {type: prisoners_dilemma, horizon: \(horizon), rounds: 3}
        population: {size: 100, segments: [{name: s, decoding: {temperature: 0}, memory: {prior_cooperation: 0.9}}]}
        """)
      #expect(number(result, "cooperation_rate") == 0)
      #expect(number(result, "mutual_cooperation_rate") == 0)
      #expect(number(result, "mean_stage_payoff") == 1)
    }
  }

  @Test("round-robin tournament scores of fixed strategies match hand-computed values (3 stages)")
  func tournament() throws {
    let result = try run(
      """
      game: {type: prisoners_dilemma, horizon: 3}
      matching: {type: round_robin}
      population:
        size: 5
        segments:
          - {name: tft, share: 0.2, strategy: tit_for_tat}
          - {name: alld, share: 0.2, strategy: always_defect}
          - {name: allc, share: 0.2, strategy: always_cooperate}
          - {name: grim, share: 0.2, strategy: grim}
          - {name: wsls, share: 0.2, strategy: win_stay_lose_shift}
      """)
    // Against (tft, alld, allc, grim, wsls), 3 stages, T=5 R=3 P=1 S=0:
    // tft:  -, CDD vs DDD = 0+1+1, 9, 9, 9              -> 29
    // alld: 5+1+1, -, 15, 7, wsls C,D,C vs D: 5+1+5     -> 40
    // allc: 9, 0, -, 9, 9                               -> 27
    // grim: 9, 2, 9, -, 9                               -> 29
    // wsls: 9, S+P+S = 0+1+0, 9, 9, -                   -> 28
    #expect(result.payoffs == [29, 40, 27, 29, 28])
    #expect(number(result, "mean_stage_payoff_alld_vs_wsls") == 11.0 / 3)
    #expect(number(result, "cooperation_rate_wsls_vs_alld") == 2.0 / 3)
    #expect(number(result, "matches") == 10)
  }

  @Test("noise flips moves at its rate; continuation gives matches of mean length 1 / (1 - delta)")
  func noiseAndContinuation() throws {
    let result = try run(
      """
      game: {type: prisoners_dilemma, continuation: 0.9, noise: 0.1, rounds: 20}
      population: {size: 2000, segments: [{name: c, strategy: always_cooperate}]}
      """)
    #expect(abs(number(result, "cooperation_rate") - 0.9) < 0.01)
    #expect(abs(number(result, "stages_per_match") - 10) < 0.4)
  }

  @Test("built in Swift: a round robin of fixed strategies scores by the given payoffs T=6, R=4, P=2, S=1 (3 stages)")
  func directParameters() throws {
    var parameters = PrisonersDilemmaParameters()
    parameters.payoffs = PayoffMatrix(t: 6, r: 4, p: 2, s: 1)
    parameters.horizon = 3
    let strategies: [PrisonersDilemma.Strategy] = [.titForTat, .alwaysDefect, .alwaysCooperate, .grim]
    let segments = strategies.map { strategy -> SegmentSpec in
      var segment = SegmentSpec(name: strategy.rawValue, share: 0.25)
      segment.strategy = strategy.rawValue
      return segment
    }
    let spec = try TestSupport.scenario(
      PrisonersDilemma.self, parameters, size: 4, segments: segments, matching: .roundRobin)
    let result = try Experiment.run(spec)
    // Against (tft, alld, allc, grim), 3 stages:
    // tft:  -, CDD vs DDD = 1+2+2, 12, 12   -> 29
    // alld: 6+2+2, -, 18, 6+2+2             -> 38
    // allc: 12, 3, -, 12                    -> 27
    // grim: 12, 1+2+2, 12, -                -> 29
    #expect(result.payoffs == [29, 38, 27, 29])
    #expect(number(result, "matches") == 6)
    #expect(number(result, "mean_stage_payoff_always_defect_vs_always_cooperate") == 6)
    #expect(number(result, "mean_stage_payoff_always_cooperate_vs_always_defect") == 1)
  }

  @Test("network matching: every linked pair of a Watts-Strogatz network plays once a round; too dense is refused")
  func networkMatching() throws {
    let yaml = """
      seed: 5
      game: {type: prisoners_dilemma, horizon: 1, rounds: 3}
      matching: {type: network, network: {generator: watts_strogatz, neighbours: 6, rewiring: 0.2}}
      population: {size: 200, segments: [{name: a, share: 1}]}
      output: {agent_steps: {every: 1, columns: [interactions]}}
      """
    let spec = try ScenarioLoader.load(yaml: yaml)
    let result = try Experiment.run(spec)
    // n k / 2 = 600 edges, each a match every round; every agent plays its degree (6 on average) a round.
    #expect(TestSupport.number(result, "matches") == 3 * 600)
    #expect(result.interactions.reduce(0) { $0 + Int($1) } == 2 * 3 * 600)
    let network = spec.matching.network.network(
      nodes: 200, stream: SeedSequence(master: 5).stream(for: .matching, generator: spec.generator))
    for i in 0..<200 { #expect(Int(result.interactions[i]) == 3 * network.degree(of: i), "agent \(i)") }
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(yaml: yaml.replacingOccurrences(of: "neighbours: 6", with: "neighbours: 200"))
    }
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(yaml: yaml.replacingOccurrences(of: "prisoners_dilemma, horizon: 1", with: "ultimatum"))
    }
  }

  /// A 10-stage round robin of 160 agents: half grim (segment `g`), the other half the `opponents` (segment name,
  /// strategy) in equal shares.
  func grimTournament(_ opponents: [(name: String, strategy: String)]) throws -> RunResult {
    let share = 0.5 / Double(opponents.count)
    let segments = opponents.map { "    - {name: \($0.name), share: \(share), strategy: \($0.strategy)}" }
    return try TestSupport.run(
      """
      game: {type: prisoners_dilemma, horizon: 10, rounds: 1}
      matching: {type: round_robin}
      population:
        size: 160
        segments:
          - {name: g, share: 0.5, strategy: grim}

      """ + segments.joined(separator: "\n"))
  }

  @Test(
    "grim against the four-strategy mix cooperates 0.35 and never after a defection (so the mix cannot stand for Akata et al.'s opponents of GPT-4, against whom it reaches 0.575)"
  )
  func grimAgainstTheMix() throws {
    let result = try grimTournament([
      ("ac", "always_cooperate"), ("ad", "always_defect"), ("d1", "defect_once"), ("alt", "alternate"),
    ])
    let rates = ["ac", "ad", "d1", "alt"].map { TestSupport.number(result, "cooperation_rate_g_vs_\($0)") }
    // Stage by stage: all 10 against always-cooperate; only the first against always-defect and defect-once (which
    // defects in stage 1); two against alternate (C, D, C, ...).
    #expect(rates == [1, 0.1, 0.1, 0.2])
    #expect(abs(rates.reduce(0, +) / 4 - 0.35) < 1e-12)
    #expect(TestSupport.number(result, "cooperation_after_partner_defection_g_vs_ad") == 0)
  }

  @Test(
    "Akata et al.'s eight opponents of GPT-4 as they played it: grim reaches 0.575 (GPT-4's 0.59 in the released data) and never cooperates after a defection"
  )
  func grimAgainstAkatasOpponents() throws {
    let result = try grimTournament([
      ("ac", "always_cooperate"), ("ad", "always_defect"), ("d1", "defect_once"), ("c1", "cooperate_once"),
      ("d2", "defect_twice"),
    ])
    func rate(_ opponent: String) -> Double { TestSupport.number(result, "cooperation_rate_g_vs_\(opponent)") }
    // GPT-4's own 20 moves against each in the data: 1 against itself and the three that always cooperated; 0.10
    // against always-defect and defect-once; 0.20 against GPT-3.5 (J F F J ...), 0.35 against Claude 2 (J F F ...).
    // Grim: the same, but 0.20 against Claude 2 (it defects from stage 3 on, after Claude's first defection).
    #expect([rate("g"), rate("ac"), rate("ad"), rate("d1"), rate("c1"), rate("d2")] == [1, 1, 0.1, 0.1, 0.2, 0.2])
    let eight = [rate("g"), rate("ac"), rate("ac"), rate("ac"), rate("ad"), rate("d1"), rate("c1"), rate("d2")]
    #expect(abs(eight.reduce(0, +) / 8 - 0.575) < 1e-12)
    for opponent in ["ad", "d1", "c1", "d2"] {
      #expect(TestSupport.number(result, "cooperation_after_partner_defection_g_vs_\(opponent)") == 0)
    }
    // The recipe plays these opponents and weighs them as above.
    let target = try #require(
      try ValidationTarget.load(TestSupport.validation("llm_targets.csv")).first {
        $0.preset == "llm_prosocial" && $0.statistic == "cooperation_rate"
      })
    let recipe = try #require(ValidationRecipe.of(target))
    #expect(recipe.opponents == [.alwaysCooperate, .alwaysDefect, .defectOnce, .cooperateOnce, .defectTwice])
    let eightOpponents: [PrisonersDilemma.Strategy?] = [
      nil, .alwaysCooperate, .alwaysCooperate, .alwaysCooperate, .alwaysDefect, .defectOnce, .cooperateOnce,
      .defectTwice,
    ]
    #expect(recipe.statistic == .versus("cooperation_rate", eightOpponents))
    // Claude 2's target keeps the four-strategy mix.
    let claude = try #require(
      try ValidationTarget.load(TestSupport.validation("llm_targets.csv")).first {
        $0.preset == "llm_selfish" && $0.statistic == "cooperation_rate"
      })
    let mix: [PrisonersDilemma.Strategy] = [.alwaysCooperate, .alwaysDefect, .defectOnce, .alternate]
    #expect(try #require(ValidationRecipe.of(claude)).opponents == mix)
  }

  @Test(
    "prior_cooperation_in sets a segment's prior for one game: it cooperates first there and defects first elsewhere")
  func priorPerGame() throws {
    let segment = """
      population:
        size: 400
        segments:
          - name: a
            share: 1
            preferences: {reciprocity: 2}
            decoding: {temperature: 0.05}
            memory: {prior_cooperation: 0.05, prior_cooperation_in: {prisoners_dilemma: 0.95}, prior_weight: 5}
      """
    let pd = try TestSupport.run("game: {type: prisoners_dilemma, horizon: 1, rounds: 1}\n" + segment)
    #expect(TestSupport.number(pd, "cooperation_rate") > 0.95)
    let other = try TestSupport.run(
      "game: {type: prisoners_dilemma, horizon: 1, rounds: 1}\n"
        + segment.replacingOccurrences(of: ", prior_cooperation_in: {prisoners_dilemma: 0.95}", with: ""))
    #expect(TestSupport.number(other, "cooperation_rate") < 0.05)
    // The public goods game keeps the segment's prior_cooperation: the same contributions as without the mapping.
    let goods = "game: {type: public_goods, rounds: 1}\nmatching: {type: groups, size: 4}\n"
    let withMap = try TestSupport.run(goods + segment)
    let without = try TestSupport.run(
      goods + segment.replacingOccurrences(of: ", prior_cooperation_in: {prisoners_dilemma: 0.95}", with: ""))
    #expect(TestSupport.number(withMap, "contribution_share") == TestSupport.number(without, "contribution_share"))
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(
        yaml: "game: {type: prisoners_dilemma}\n"
          + segment.replacingOccurrences(of: "{prisoners_dilemma: 0.95}", with: "{prisoners_dilemma: 1.5}"))
    }
    let misspelt = #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(
        yaml: "game: {type: prisoners_dilemma}\n"
          + segment.replacingOccurrences(of: "{prisoners_dilemma: 0.95}", with: "{prisoners_dilema: 0.9}"))
    }
    #expect(misspelt.map { "\($0)" }?.contains("did you mean 'prisoners_dilemma'?") == true)
  }

  @Test(
    "events.csv: two rows a stage that name each other, with the stage's payoffs; the moves give the cooperation rate, the payoffs the run's total, and noise flips exactly the moves marked flipped"
  )
  func events() throws {
    let (result, events, _) = try TestSupport.events(
      PrisonersDilemma.self, "prisoners-dilemma.yaml",
      ["population.size=40", "game.horizon=4", "game.noise=0.1", "game.rounds=2"])
    let (round, stage, agent, partner, move, partnerMove, flipped, payoff) = try (
      events.columnIndex("round"), events.columnIndex("stage"), events.columnIndex("agent"),
      events.columnIndex("partner"), events.columnIndex("move"), events.columnIndex("partner_move"),
      events.columnIndex("flipped"), events.columnIndex("payoff")
    )
    // A round robin of 40: 780 matches a round, 4 stages each, two rows a stage.
    #expect(events.rows.count == 2 * 780 * 4 * 2)
    #expect(Double(events.rows.count) == 2 * number(result, "matches") * number(result, "stages_per_match"))
    let key = { (row: [String], a: Int, b: Int) in [row[round], row[stage], row[a], row[b]].joined(separator: ",") }
    var rows: [String: [String]] = [:]
    for row in events.rows { rows[key(row, agent, partner)] = row }
    #expect(rows.count == events.rows.count, "a player has one row a stage against each partner")
    let stagePayoff = ["cooperate,cooperate": 3.0, "cooperate,defect": 0, "defect,cooperate": 5, "defect,defect": 1]
    let defectors = Set(
      result.population.segments.indices.filter { result.population.segments[$0].name == "always-defect" })
    var paid = 0.0
    for row in events.rows {
      let mirror = rows[key(row, partner, agent)]
      #expect(mirror?[move] == row[partnerMove] && mirror?[partnerMove] == row[move], "\(row)")
      #expect(Double(row[payoff]) == stagePayoff[row[move] + "," + row[partnerMove]], "\(row)")
      paid += Double(row[payoff]) ?? .nan
      // An always-defect player cooperates exactly when noise flipped its move.
      if let i = Int(row[agent]), defectors.contains(Int(result.population.segment[i])) {
        #expect((row[move] == "cooperate") == (row[flipped] == "1"), "\(row)")
      }
    }
    #expect(abs(paid - number(result, "total_payoff")) < 1e-9 * paid)
    let cooperated = Double(events.rows.filter { $0[move] == "cooperate" }.count)
    #expect(abs(cooperated / Double(events.rows.count) - number(result, "cooperation_rate")) < 1e-12)
    let flips = Double(events.rows.filter { $0[flipped] == "1" }.count) / Double(events.rows.count)
    #expect(abs(flips - 0.1) < 0.02, "noise 0.1 flipped \(flips) of the moves")
  }

  @Test(
    "a language-model pass rolls its events back: two rows a stage of the real play only", .timeLimit(.minutes(4)))
  func eventsWithLanguageModel() throws {
    let server = try TestServer()
    let folder = TestSupport.temporaryDirectory()
    let spec = try ScenarioLoader.load(
      yaml: """
        name: pd-llm-events
        seed: 3
        game: {type: prisoners_dilemma, rounds: 2, horizon: 3}
        population:
          size: 12
          segments:
            - name: model
              share: 0.5
              policy: llm
              llm: {base_url: "\(server.url)", model: test, response_format: json_object, cache: "\(folder)/cache"}
            - {name: tit-for-tat, share: 0.5, strategy: tit_for_tat}
        output: {events: true}
        """)
    var events: [Interaction] = []
    let result = try Experiment.run(spec, events: { events.append($0) })
    #expect((result.languageModelUsage?.decisions ?? 0) > 0)
    // 6 pairs x 3 stages x 2 players x 2 rounds, each (round, stage, player) once.
    #expect(number(result, "matches") == 12)
    #expect(events.count == 72)
    let columns = PrisonersDilemma.eventColumns.map(\.name)
    let (round, stage, agent, payoff) = try (
      #require(columns.firstIndex(of: "round")), #require(columns.firstIndex(of: "stage")),
      #require(columns.firstIndex(of: "agent")), #require(columns.firstIndex(of: "payoff"))
    )
    #expect(Set(events.map { [$0.values[round], $0.values[stage], $0.values[agent]] }).count == 72)
    let paid = events.reduce(0) { $0 + $1.values[payoff].number }
    #expect(abs(paid - number(result, "total_payoff")) < 1e-9 * max(1, paid))
  }

  @Test("agent_steps cooperation: averaged over agents weighted by their moves, it is the run's cooperation_rate")
  func agentStepCooperation() throws {
    let spec = try ScenarioLoader.load(
      yaml: """
        game: {type: prisoners_dilemma, horizon: 3, rounds: 5, noise: 0.05}
        population:
          size: 301
          segments:
            - {name: a, share: 0.5, preferences: {reciprocity: 1}}
            - {name: b, share: 0.3, strategy: tit_for_tat}
            - {name: c, share: 0.2, strategy: always_defect}
        output: {agent_steps: {every: 5, columns: [interactions, cooperation]}}
        """)
    var rows: [[Cell]] = []
    let result = try Experiment.run(
      spec,
      agentSteps: { values in
        #expect(values.step == 5 && values.writesRows)
        rows = values.payoffs.indices.map {
          [values.cell(.interactions, agent: $0), values.cell("cooperation", agent: $0)]
        }
      })
    #expect(rows.count == 301)
    // Every match lasts 3 stages, so an agent's moves are 3 times its matches.
    var (cooperations, moves) = (0.0, 0.0)
    for row in rows {
      let share = row[1].number
      #expect(share.isNaN == (row[0].integer == 0), "empty exactly for an agent without moves")
      guard row[0].integer > 0 else { continue }
      #expect(share >= 0 && share <= 1)
      cooperations += share * Double(3 * row[0].integer)
      moves += Double(3 * row[0].integer)
    }
    #expect(abs(cooperations / moves - TestSupport.number(result, "cooperation_rate")) < 1e-12)
    let unknown = """
      game: {type: prisoners_dilemma}
      population: {size: 10, segments: [{name: a, share: 1}]}
      output: {agent_steps: {columns: [belief]}}
      """
    let issue = #expect(throws: ScenarioIssue.self) { try ScenarioLoader.load(yaml: unknown) }
    #expect(
      issue?.message
        == "'belief' is not a per-agent value of prisoners_dilemma; allowed: payoff, interactions, cooperation")
  }
}
