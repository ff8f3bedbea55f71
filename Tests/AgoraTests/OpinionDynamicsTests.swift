import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario

@Suite("Spatial: opinion dynamics")
struct OpinionDynamicsTests {
  /// Parameters built in Swift: `rule` with `epsilon`, over `rounds` steps, measured every `sampleEvery`.
  static func parameters(
    epsilon: Double, rule: OpinionDynamicsParameters.Rule = .dw, rounds: Int = 200, sampleEvery: Int = 1
  ) -> OpinionDynamicsParameters {
    var p = OpinionDynamicsParameters()
    p.epsilon = epsilon
    p.rule = rule
    p.rounds = rounds
    p.sampleEvery = sampleEvery
    return p
  }

  /// One segment of everyone, with `decoding`.
  static func everyone(_ decoding: DecodingParameters = DecodingParameters()) -> [SegmentSpec] {
    [SegmentSpec(name: "citizens", share: 1, decoding: decoding)]
  }

  /// A scenario of `p` over `size` agents in `segments`, under `matching`.
  static func spec(
    _ p: OpinionDynamicsParameters, size: Int, segments: [SegmentSpec] = everyone(),
    matching: MatchingType = .randomPairs, seed: UInt64 = 1
  ) throws -> ScenarioSpec {
    try TestSupport.scenario(
      OpinionDynamicsRun.self, p, size: size, segments: segments, matching: matching, seed: seed)
  }

  /// Runs the model on `spec` and returns the run itself (its network, opinions and records) beside its tables.
  func run(_ spec: ScenarioSpec) throws -> (RunResult, OpinionDynamicsRun) {
    let seeds = SeedSequence(master: spec.seed)
    var model = OpinionDynamicsRun(
      scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds)
    model.run()
    return (try Experiment.run(spec), model)
  }

  /// The final opinions' clusters (sorted, cut at gaps above 0.001), as (mean, agents).
  static func clusters(_ opinions: [Double]) -> [(mean: Double, agents: Int)] {
    var groups: [[Double]] = []
    for x in opinions.sorted() {
      if let last = groups.last?.last, x - last <= 0.001 {
        groups[groups.count - 1].append(x)
      } else {
        groups.append([x])
      }
    }
    return groups.map { ($0.reduce(0, +) / Double($0.count), $0.count) }
  }

  @Test(
    "Deffuant et al. (2000): a well-mixed population of 1000 ends in about 1/(2 epsilon) clusters (seeds 1 to 4)")
  func reproducesDeffuant() throws {
    // Deffuant, Neau, Amblard and Weisbuch, Adv. Complex Systems 3 (2000) 87: about the integer part of
    // 1/(2 epsilon) clusters, one at 0.3 and above. The rule is rough at small epsilon, where minor clusters form
    // beside the major ones (Ben-Naim, Krapivsky and Redner, Physica D 183, 2003), so at 0.1 (rule: 5) each seed
    // may end with 3 to 5 major clusters and their mean must lie in [3.75, 5].
    for (epsilon, band) in [(0.3, 1...1), (0.2, 2...2), (0.1, 3...5)] {
      var counts: [Int] = []
      for seed in 1...4 {
        let spec = try Self.spec(
          Self.parameters(epsilon: epsilon, sampleEvery: 200), size: 1000, seed: UInt64(seed))
        let (result, _) = try run(spec)
        let major = Int(TestSupport.number(result, "major_clusters"))
        counts.append(major)
        #expect(band.contains(major), "epsilon \(epsilon), seed \(seed): \(major) major clusters")
        if epsilon == 0.3 { #expect(TestSupport.number(result, "largest_cluster_share") >= 0.95) }
      }
      let mean = Double(counts.reduce(0, +)) / 4
      print(
        "opinion dynamics: epsilon \(epsilon): major clusters \(counts), mean \(mean), 1/(2 epsilon) \(0.5 / epsilon)")
      if epsilon == 0.1 { #expect(mean >= 3.75 && mean <= 5, "\(counts)") }
    }
  }

  @Test("Hegselmann-Krause in a well-mixed population stops in finite time, its clusters more than epsilon apart")
  func hegselmannKrause() throws {
    for (epsilon, expected) in [(0.3, 1), (0.2, 2), (0.1, 4)] {
      for seed in 1...2 {
        let spec = try Self.spec(
          Self.parameters(epsilon: epsilon, rule: .hk, rounds: 40, sampleEvery: 40), size: 1000, seed: UInt64(seed))
        let (result, model) = try run(spec)
        let groups = Self.clusters(model.opinion)
        #expect(groups.count == expected, "epsilon \(epsilon), seed \(seed): \(groups)")
        // A fixed point: no two clusters within reach of each other, and nothing moves any more.
        for k in 1..<max(1, groups.count) { #expect(groups[k].mean - groups[k - 1].mean > epsilon) }
        #expect(model.steps.last!.maxChange == 0)
        #expect(TestSupport.number(result, "converged_step") <= 20)
      }
    }
  }

  @Test("one Hegselmann-Krause step moves every agent to the mean of the opinions within epsilon of it")
  func hegselmannKrauseStep() throws {
    for matching in [MatchingType.network, .randomPairs] {
      let spec = try Self.spec(
        Self.parameters(epsilon: 0.15, rule: .hk, rounds: 1), size: 300, matching: matching, seed: 5)
      let (_, model) = try run(spec)
      let x = model.initialOpinion
      for i in 0..<300 {
        let others =
          model.network.map { network in network.neighbours(of: i).map { Int($0) } }
          ?? (0..<300).filter { $0 != i }
        let close = [x[i]] + others.map { x[$0] }.filter { abs($0 - x[i]) <= 0.15 }
        let mean = close.reduce(0, +) / Double(close.count)
        #expect(abs(model.opinion[i] - mean) < 1e-12, "\(matching) agent \(i)")
      }
    }
  }

  @Test("each Deffuant-Weisbuch meeting conserves the pair's sum: the mean opinion holds to rounding, on any network")
  func conservesTheMean() throws {
    for matching in [MatchingType.network, .randomPairs] {
      for (epsilon, mu) in [(0.2, 0.5), (0.5, 0.3), (1.0, 0.1)] {
        var p = Self.parameters(epsilon: epsilon, rounds: 60)
        p.mu = mu
        let (result, model) = try run(try Self.spec(p, size: 500, matching: matching, seed: 3))
        let start = model.initialOpinion.reduce(0, +) / 500
        let end = model.opinion.reduce(0, +) / 500
        #expect(abs(end - start) < 1e-12, "\(matching), epsilon \(epsilon), mu \(mu): \(start) -> \(end)")
        #expect(model.steps.allSatisfy { abs($0.mean - start) < 1e-12 })
        #expect(abs(TestSupport.number(result, "mean_opinion") - start) < 1e-12)
        // Moves are convex combinations: no opinion leaves the first opinions' range.
        let (low, high) = (model.initialOpinion.min()!, model.initialOpinion.max()!)
        #expect(model.opinion.allSatisfy { $0 >= low && $0 <= high })
        #expect(model.interactions == 60 * 500 && model.agreements > 0)
      }
    }
  }

  @Test("the decoder rule at temperature 0, or with a large salience bias, is the Deffuant-Weisbuch rule exactly")
  func decoderRule() throws {
    var dw = Self.parameters(epsilon: 0.1, rounds: 60)
    dw.rule = .dw
    var decoded = dw
    decoded.rule = .decoder
    for matching in [MatchingType.network, .randomPairs] {
      let reference = try run(try Self.spec(dw, size: 400, matching: matching)).1.opinion
      for decoding in [DecodingParameters(temperature: 0), DecodingParameters(temperature: 1, salienceBias: 60)] {
        let spec = try Self.spec(decoded, size: 400, segments: Self.everyone(decoding), matching: matching)
        #expect(try run(spec).1.opinion == reference, "\(matching), \(decoding)")
      }
    }
    // Hot agents move whatever the distance: the population reaches consensus where bounded confidence splits it.
    let hot = try Self.spec(
      decoded, size: 400, segments: Self.everyone(DecodingParameters(temperature: 1000)), matching: .randomPairs)
    let (result, _) = try run(hot)
    #expect(TestSupport.number(result, "major_clusters") == 1)
    #expect(TestSupport.number(try run(try Self.spec(dw, size: 400)).0, "major_clusters") >= 3)
  }

  @Test("clusters, moments and the share of pairs within epsilon equal their definitions recomputed from the run")
  func metricsByDefinition() throws {
    for matching in [MatchingType.network, .randomPairs] {
      for rule in OpinionDynamicsParameters.Rule.allCases {
        let spec = try Self.spec(
          Self.parameters(epsilon: 0.2, rule: rule, rounds: 4, sampleEvery: 3), size: 300, matching: matching)
        let (result, model) = try run(spec)
        let x = model.opinion
        #expect(model.steps.map(\.step) == [3, 4])
        let groups = Self.clusters(x)
        #expect(TestSupport.number(result, "clusters") == Double(groups.count))
        #expect(TestSupport.number(result, "major_clusters") == Double(groups.filter { $0.agents >= 3 }.count))
        #expect(
          TestSupport.number(result, "largest_cluster_share") == Double(groups.map(\.agents).max()!) / 300)
        let mean = x.reduce(0, +) / 300
        #expect(abs(TestSupport.number(result, "mean_opinion") - mean) < 1e-12)
        let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 300
        #expect(abs(TestSupport.number(result, "opinion_variance") - variance) < 1e-12)
        let pairs =
          model.network?.edges
          ?? (0..<300).flatMap { i in ((i + 1)..<300).map { (i, $0) } }
        let close = pairs.filter { rule == .hk ? abs(x[$0.0] - x[$0.1]) <= 0.2 : abs(x[$0.0] - x[$0.1]) < 0.2 }
        #expect(TestSupport.number(result, "within_epsilon_share") == Double(close.count) / Double(pairs.count))
        #expect(TestSupport.number(result, "edges") == Double(pairs.count))
        // opinions.csv: every agent, its cluster numbered in increasing opinion.
        let table = try #require(result.tables.first { $0.name == "opinions" })
        #expect(table.rows.count == 300)
        let ids = table.rows.map { row -> Int in
          if case .int(let id) = row[6] { return id }
          return -1
        }
        #expect(Set(ids) == Set(0..<groups.count))
        let order = (0..<300).sorted { x[$0] < x[$1] }
        #expect(zip(order, order.dropFirst()).allSatisfy { ids[$0.0] <= ids[$0.1] })
        #expect(result.payoffs == model.moved.map(Double.init))
      }
    }
  }

  @Test("first opinions from a latent preference: each segment starts at its own; apart they stay, close they meet")
  func preferenceInitialOpinions() throws {
    let segments = [
      SegmentSpec(name: "left", share: 0.5, preferences: TestSupport.preferences([.altruism: 0.2])),
      SegmentSpec(name: "right", share: 0.5, preferences: TestSupport.preferences([.altruism: 0.8])),
    ]
    var p = Self.parameters(epsilon: 0.5, rounds: 100)
    p.initial = "altruism"
    let (apart, model) = try run(try Self.spec(p, size: 200, segments: segments))
    #expect(model.initialOpinion == [Double](repeating: 0.2, count: 100) + [Double](repeating: 0.8, count: 100))
    #expect(model.opinion == model.initialOpinion)
    #expect(TestSupport.number(apart, "clusters") == 2)
    #expect(abs(TestSupport.number(apart, "mean_opinion_left") - 0.2) < 1e-12)
    p.epsilon = 0.7
    let (met, together) = try run(try Self.spec(p, size: 200, segments: segments))
    #expect(TestSupport.number(met, "clusters") == 1)
    #expect(together.opinion.allSatisfy { abs($0 - 0.5) < 1e-9 }, "\(together.opinion.prefix(4))")
    let row = try #require(met.segmentRows.first)
    let start = try #require(met.segmentColumns.firstIndex(of: "initial_mean_opinion"))
    #expect(abs((Double(row[start].text) ?? .nan) - 0.2) < 1e-12, "\(row[start])")
  }

  @Test("the same seed gives identical tables under every rule and matching; another seed others")
  func determinism() throws {
    for matching in [MatchingType.network, .randomPairs] {
      for rule in OpinionDynamicsParameters.Rule.allCases {
        let p = Self.parameters(epsilon: 0.2, rule: rule, rounds: 10)
        let a = try Experiment.run(try Self.spec(p, size: 200, matching: matching))
        let b = try Experiment.run(try Self.spec(p, size: 200, matching: matching))
        let c = try Experiment.run(try Self.spec(p, size: 200, matching: matching, seed: 2))
        #expect(a.stepRows.map { $0.map(\.text) } == b.stepRows.map { $0.map(\.text) })
        #expect(a.summary.map(\.1.text) == b.summary.map(\.1.text) && a.payoffs == b.payoffs)
        #expect(a.tables[0].rows.map { $0.map(\.text) } == b.tables[0].rows.map { $0.map(\.text) })
        #expect(a.stepRows.map { $0.map(\.text) } != c.stepRows.map { $0.map(\.text) })
      }
    }
  }

  /// The issue loading `yaml` raises (and a recorded issue when it loads).
  func refusal(_ yaml: String) -> ScenarioIssue? {
    do {
      _ = try ScenarioLoader.load(yaml: yaml)
      Issue.record("accepted: \(yaml)")
      return nil
    } catch {
      return error
    }
  }

  @Test(
    "mu, epsilon and the other keys are validated with clear errors; too few agents and llm agents under dw refused")
  func refusals() throws {
    let population = "population: {size: 50, segments: [{name: a}]}"
    for (key, value, expected) in [
      ("mu", "0.6", "(0, 0.5]"), ("mu", "0", "(0, 0.5]"), ("epsilon", "0", "(0, 1]"), ("epsilon", "1.5", "(0, 1]"),
      ("interactions_per_step", "-1", "one per agent"), ("initial", "altruizm", "uniform"),
      ("sample_every", "0", "from 1"), ("rule", "deffuant", "dw, hk, decoder"),
    ] {
      let issue = refusal("game: {type: opinion_dynamics, \(key): \(value)}\n\(population)")
      #expect(issue?.path == "game.\(key)", "\(key): \(String(describing: issue))")
      #expect(issue?.description.contains(expected) == true, "\(key): \(String(describing: issue))")
    }
    let one = refusal("game: {type: opinion_dynamics}\npopulation: {size: 1, segments: [{name: a}]}")
    #expect(one?.path == "population.size" && one?.message.contains("from 2") == true, "\(String(describing: one))")
    let groups = refusal("game: {type: opinion_dynamics}\nmatching: {type: groups}\n\(population)")
    #expect(groups?.path == "matching.type" && groups?.message.contains("network, random_pairs") == true)
    let llm = refusal(
      """
      game: {type: opinion_dynamics}
      population: {size: 20, segments: [{name: a, policy: llm, llm: {model: m, base_url: "http://localhost:1"}}]}
      """)
    #expect(llm?.path.hasSuffix("policy") == true && llm?.message.contains("rule: decoder") == true)
    // Valid edges: mu 0.5 and epsilon 1 are allowed, and so is a preference's name.
    _ = try ScenarioLoader.load(
      yaml: "game: {type: opinion_dynamics, mu: 0.5, epsilon: 1, initial: conformity}\n\(population)")
  }

  @Test("YAML end to end: agora run of Scenarios/opinion-dynamics.yaml writes its tables; the epsilon sweep runs")
  func endToEnd() throws {
    let folder = TestSupport.temporaryDirectory()
    let run = try TestSupport.agora([
      "run", "Scenarios/opinion-dynamics.yaml", "--set", "game.rounds=20", "--out", folder + "/run", "--quiet",
    ])
    #expect(run.status == 0, "\(run.output)")
    let steps = try String(contentsOfFile: folder + "/run/steps.csv", encoding: .utf8).split(separator: "\n")
    #expect(
      steps.first.map(String.init)
        == "run_index,seed,step,time,clusters,major_clusters,largest_cluster_share,opinion_variance,mean_opinion,"
        + "within_epsilon_share,max_change,interactions,agreements")
    #expect(steps.count == 5)
    let opinions = try String(contentsOfFile: folder + "/run/opinions.csv", encoding: .utf8).split(separator: "\n")
    #expect(opinions.count == 1001 && opinions[0] == "run_index,seed,agent_id,segment,initial_opinion,opinion,cluster")
    let summary = try String(contentsOfFile: folder + "/run/summary.csv", encoding: .utf8)
    #expect(summary.contains(",opinion_dynamics,network,") && summary.contains("mean_opinion_citizens"))
    let html = String(decoding: TestSupport.bytes(folder + "/run/report.html"), as: UTF8.self)
    #expect(html.contains("Opinion clusters, step by step"))
    let sweep = try TestSupport.agora([
      "sweep", "Scenarios/sweeps/opinion-epsilon.yaml", "--set", "population.size=100", "--set", "game.rounds=10",
      "--seeds", "1", "--out", folder + "/sweep", "--quiet",
    ])
    #expect(sweep.status == 0, "\(sweep.output)")
    let rows = try String(contentsOfFile: folder + "/sweep/summary.csv", encoding: .utf8).split(separator: "\n")
    #expect(rows.count == 17 && rows[0].contains("epsilon") && rows[0].contains("major_clusters"))
  }

  @Test("edges.csv is the run's network, each edge once; the report draws it with one line per edge among its nodes")
  func edgeTableAndPicture() throws {
    let spec = try Self.spec(Self.parameters(epsilon: 0.2, rounds: 3), size: 600, matching: .network)
    let folder = TestSupport.temporaryDirectory()
    let (result, files) = try RunFolder.execute(spec, into: folder)
    #expect(files.contains("edges.csv") && files.contains("edges.csv-metadata.json"))
    let (_, run) = try run(spec)
    let network = try #require(run.network)
    let table = try CSVTable(contentsOf: folder + "/edges.csv")
    #expect(table.columns == ["run_index", "seed", "source", "target"])
    let edges = table.rows.map { (Int($0[2])!, Int($0[3])!) }
    #expect(edges.count == network.edgeCount)
    #expect(edges.allSatisfy { $0.0 < $0.1 && network.hasEdge($0.0, $0.1) })
    #expect(Set(edges.map { "\($0.0)-\($0.1)" }).count == edges.count, "an edge written twice")
    // 600 agents: the picture draws the first 500 and exactly the edges with both ends among them.
    let html = String(decoding: TestSupport.bytes(folder + "/report.html"), as: UTF8.self)
    #expect(html.contains("<h2>The network</h2>") && html.contains("coloured by final opinion"))
    let inside = edges.filter { $0.1 < Report.networkNodesDrawn }.count
    let after = try #require(html.components(separatedBy: "<h2>The network</h2>").last)
    let section = try #require(after.components(separatedBy: "</section>").first)
    #expect(section.components(separatedBy: "<line ").count - 1 == inside)
    #expect(section.components(separatedBy: "<circle ").count - 1 == Report.networkNodesDrawn)
    #expect(result.population.count == 600)
    // Well mixed there is no network: no table and no picture.
    let mixed = TestSupport.temporaryDirectory()
    let (_, mixedFiles) = try RunFolder.execute(
      Self.spec(Self.parameters(epsilon: 0.2, rounds: 2), size: 100), into: mixed)
    #expect(!mixedFiles.contains("edges.csv"))
    let mixedHTML = String(decoding: TestSupport.bytes(mixed + "/report.html"), as: UTF8.self)
    #expect(!mixedHTML.contains("<h2>The network</h2>"))
  }

  @Test("a network from an edge list file: Zachary's club, read relative to the scenario's folder; bad files refused")
  func networkFromFile() throws {
    let root = TestSupport.repositoryRoot.path
    let spec = try ScenarioLoader.load(file: root + "/Scenarios/opinion-karate.yaml", overrides: ["game.rounds=5"])
    #expect(spec.matching.network.file == "networks/karate.txt", "the path is kept as written")
    let (_, run) = try run(spec)
    let network = try #require(run.network)
    #expect(network.nodeCount == 34 && network.edgeCount == 78)
    // Zachary's club: the instructor (0) has 16 ties, the administrator (33) 17, and they are not tied.
    #expect(network.degree(of: 0) == 16 && network.degree(of: 33) == 17 && !network.hasEdge(0, 33))
    // A scenario in another folder reads its edge list from there, whatever the working directory.
    let folder = TestSupport.temporaryDirectory()
    try FileManager.default.createDirectory(atPath: folder + "/nets", withIntermediateDirectories: true)
    try "0 1\n1 2 # a comment\n\n2 0\n2 3\n".write(toFile: folder + "/nets/four.txt", atomically: true, encoding: .utf8)
    let yaml = """
      name: four
      game: {type: opinion_dynamics, rounds: 3, epsilon: 0.5}
      matching: {type: network, network: {generator: file, file: nets/four.txt}}
      population: {size: 4, segments: [{name: all, share: 1}]}
      """
    try yaml.write(toFile: folder + "/four.yaml", atomically: true, encoding: .utf8)
    let four = try ScenarioLoader.load(file: folder + "/four.yaml")
    #expect(four.matching.network.loaded?.edgeCount == 4)
    let out = try TestSupport.agora(["run", folder + "/four.yaml", "--out", folder + "/run", "--quiet"])
    #expect(out.status == 0, "\(out.output)")
    let edges = try CSVTable(contentsOf: folder + "/run/edges.csv")
    #expect(edges.rows.map { "\($0[2])-\($0[3])" } == ["0-1", "0-2", "1-2", "2-3"])
    // Refused up front, naming the key: other nodes than agents, a missing file, a file for another generator.
    let refusals: [(String, String)] = [
      ("population.size=5", "names nodes 0 to 3 (4 agents); the population has 5: set population.size to 4"),
      ("matching.network.file=nets/none.txt", "cannot read the edge list"),
      ("matching.network.generator=erdos_renyi", "only generator: file reads an edge list"),
    ]
    for (override, message) in refusals {
      #expect(throws: ScenarioIssue.self) {
        try ScenarioLoader.load(file: folder + "/four.yaml", overrides: [override])
      }
      do {
        _ = try ScenarioLoader.load(file: folder + "/four.yaml", overrides: [override])
      } catch {
        #expect(error.description.contains("matching.network.file") && error.description.contains(message), "\(error)")
      }
    }
    try "0 1\n1 1\n".write(toFile: folder + "/nets/loop.txt", atomically: true, encoding: .utf8)
    #expect(throws: ScenarioIssue.self) {
      try ScenarioLoader.load(file: folder + "/four.yaml", overrides: ["matching.network.file=nets/loop.txt"])
    }
  }
}
