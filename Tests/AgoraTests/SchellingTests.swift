import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Spatial: Schelling")
struct SchellingTests {
  /// The ABMFrameworksComparison model as the benchmark's side program ran it (bench/AgoraBench's former
  /// `Schelling.swift`, kept here as the reference): a bounded grid, one agent per cell, groups `id % 2` on the first
  /// cells of a shuffled list; each step every agent in a new random order counts its own group within Chebyshev
  /// `radius` and, with fewer than `minHappy`, moves to a uniformly random empty cell. Returns the happy count of each
  /// step (the agents happy when they acted, as Mesa counts them).
  static func reference(width: Int, height: Int, agents: Int, radius: Int, minHappy: Int, steps: Int, seed: UInt64)
    -> [Int]
  {
    let stream = RandomStream(seed: seed)
    var cells = (0..<Int32(width * height)).map { $0 }
    stream.shuffle(&cells)
    var cell = [Int32](repeating: -1, count: width * height)
    var position = Array(cells.prefix(agents))
    let group = (0..<agents).map { UInt8($0 % 2) }
    for (id, c) in position.enumerated() { cell[Int(c)] = Int32(id) }
    var empties = Array(cells.dropFirst(agents))
    var happyCounts: [Int] = []
    for _ in 0..<steps {
      var order = (0..<Int32(agents)).map { $0 }
      stream.shuffle(&order)
      var happy = 0
      for a in order {
        let id = Int(a)
        let here = Int(position[id])
        let (x, y) = (here % width, here / width)
        var same = 0
        for yy in max(0, y - radius)...min(height - 1, y + radius) {
          for xx in max(0, x - radius)...min(width - 1, x + radius) where xx != x || yy != y {
            let other = cell[yy * width + xx]
            if other >= 0 && group[Int(other)] == group[id] { same += 1 }
          }
        }
        if same >= minHappy {
          happy += 1
          continue
        }
        let slot = stream.integer(below: empties.count)
        let target = Int(empties[slot])
        cell[target] = a
        cell[here] = -1
        position[id] = Int32(target)
        empties[slot] = Int32(here)
      }
      happyCounts.append(happy)
    }
    return happyCounts
  }

  /// Two equal segments (the two types), with `decoding`.
  static func segments(_ decoding: DecodingParameters = DecodingParameters()) -> [SegmentSpec] {
    [
      SegmentSpec(name: "red", share: 0.5, decoding: decoding),
      SegmentSpec(name: "blue", share: 0.5, decoding: decoding),
    ]
  }

  /// Parameters built in Swift: a bounded Moore grid with the threshold rule.
  static func parameters(width: Int, height: Int, radius: Int, homophily: Int, rounds: Int = 20)
    -> SchellingParameters
  {
    var p = SchellingParameters()
    p.width = width
    p.height = height
    p.radius = radius
    p.homophily = homophily
    p.rounds = rounds
    return p
  }

  /// Runs the model on `spec` and returns the run itself (its grid and records) beside its tables.
  func run(_ spec: ScenarioSpec) throws -> (RunResult, SchellingRun) {
    let seeds = SeedSequence(master: spec.seed)
    var model = SchellingRun(scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds)
    model.run()
    return (try Experiment.run(spec), model)
  }

  /// The happy counts per step of the engine's runs over `seeds`, and the reference's over as many seeds.
  func compare(width: Int, height: Int, agents: Int, radius: Int, homophily: Int, seeds: Int) throws
    -> (engine: [[Int]], reference: [[Int]])
  {
    let p = Self.parameters(width: width, height: height, radius: radius, homophily: homophily)
    var engine: [[Int]] = []
    var reference: [[Int]] = []
    for seed in 1...seeds {
      let spec = try TestSupport.scenario(
        SchellingRun.self, p, size: agents, segments: Self.segments(), seed: UInt64(seed))
      let (_, model) = try run(spec)
      engine.append(model.steps.map(\.happy))
      reference.append(
        Self.reference(
          width: width, height: height, agents: agents, radius: radius, minHappy: homophily, steps: 20,
          seed: UInt64(1000 + seed)))
    }
    return (engine, reference)
  }

  /// Mean and standard error of each step's counts over runs.
  static func moments(_ runs: [[Int]]) -> [(mean: Double, error: Double)] {
    (0..<runs[0].count).map { step in
      let values = runs.map { Double($0[step]) }
      let mean = values.reduce(0, +) / Double(values.count)
      let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
      return (mean, (variance / Double(values.count)).squareRoot())
    }
  }

  /// Expects the engine's mean happy count at every step within 4 standard errors (plus half an agent) of the
  /// reference's, and prints both.
  func expectSameDynamics(_ label: String, _ engine: [[Int]], _ reference: [[Int]]) {
    let (e, r) = (Self.moments(engine), Self.moments(reference))
    for step in 0..<e.count {
      let tolerance = 4 * (e[step].error * e[step].error + r[step].error * r[step].error).squareRoot() + 0.5
      print(
        String(
          format: "schelling %@ step %2d: engine %.1f (se %.1f), reference %.1f (se %.1f)", label, step + 1,
          e[step].mean, e[step].error, r[step].mean, r[step].error))
      #expect(abs(e[step].mean - r[step].mean) <= tolerance, "\(label) step \(step + 1)")
    }
  }

  @Test("the threshold rule reproduces the ABMFrameworksComparison model: 40x40, 1000 agents, homophily 3, radius 1")
  func reproducesSmall() throws {
    let (engine, reference) = try compare(width: 40, height: 40, agents: 1000, radius: 1, homophily: 3, seeds: 40)
    expectSameDynamics("small", engine, reference)
  }

  @Test("the threshold rule reproduces the ABMFrameworksComparison model: 100x100, 8000 agents, homophily 8, radius 2")
  func reproducesLarge() throws {
    let (engine, reference) = try compare(width: 100, height: 100, agents: 8000, radius: 2, homophily: 8, seeds: 10)
    expectSameDynamics("large", engine, reference)
  }

  @Test("homophily 0: everyone is happy on the placement and at every step, and nobody moves")
  func contentFromTheStart() throws {
    for neighbourhood in Neighbourhood.allCases {
      var p = Self.parameters(width: 20, height: 20, radius: 1, homophily: 0, rounds: 5)
      p.neighbourhood = neighbourhood
      let spec = try TestSupport.scenario(SchellingRun.self, p, size: 300, segments: Self.segments())
      let (result, model) = try run(spec)
      #expect(model.initial.happy == 300)
      #expect(model.steps.allSatisfy { $0.happy == 300 && $0.moves == 0 })
      #expect(TestSupport.number(result, "initial_happy_share") == 1)
      #expect(TestSupport.number(result, "happy_share") == 1)
      #expect(TestSupport.number(result, "total_moves") == 0)
      #expect(TestSupport.number(result, "settled_step") == 1)
      #expect(TestSupport.number(result, "mean_payoff") == 5)
    }
  }

  @Test("threshold rule: every unhappy agent moves and a happy one stays, so all happy means no moves")
  func unhappyMove() throws {
    var p = Self.parameters(width: 30, height: 30, radius: 1, homophily: 3, rounds: 30)
    p.torus = true
    let spec = try TestSupport.scenario(SchellingRun.self, p, size: 700, segments: Self.segments(), seed: 4)
    let (result, model) = try run(spec)
    for step in model.steps {
      #expect(step.moves == 700 - step.happy, "step \(step.step)")
      if step.happy == 700 { #expect(step.moves == 0) }
    }
    #expect(model.steps.last!.happy > model.initial.happy)
    #expect(model.steps.last!.segregation > model.initial.segregation + 0.1)
    // Steps' moves sum to the run's, and the segments' to the same.
    let total = model.steps.reduce(0) { $0 + $1.moves }
    #expect(TestSupport.number(result, "total_moves") == Double(total))
    #expect(Int(model.moved.reduce(0, +)) == total)
  }

  @Test("the segregation and dissimilarity indices equal their definitions recomputed from the final grid")
  func metricsByDefinition() throws {
    for (torus, neighbourhood, radius) in [(false, Neighbourhood.moore, 1), (true, .vonNeumann, 2), (false, .moore, 3)]
    {
      var p = Self.parameters(width: 24, height: 18, radius: radius, homophily: 4, rounds: 6)
      p.torus = torus
      p.neighbourhood = neighbourhood
      p.block = 4
      let spec = try TestSupport.scenario(SchellingRun.self, p, size: 300, segments: Self.segments(), seed: 9)
      let (result, model) = try run(spec)
      let grid = model.grid
      let stencil = grid.stencil(neighbourhood, radius: radius)
      let type = model.population.segment
      var shares: [Double] = []
      for i in 0..<300 {
        let around = grid.neighbours(of: grid.position(of: i)!, stencil)
        if !around.isEmpty {
          shares.append(Double(around.filter { type[$0] == type[i] }.count) / Double(around.count))
        }
      }
      let segregation = shares.reduce(0, +) / Double(shares.count)
      #expect(abs(TestSupport.number(result, "segregation_index") - segregation) < 1e-12)
      // Duncan's two-group index over 4 x 4 blocks.
      var red = [Int: Double]()
      var blue = [Int: Double]()
      for i in 0..<300 {
        let (x, y) = grid.coordinates(of: grid.position(of: i)!)
        let block = (y / 4) * 6 + x / 4
        if type[i] == 0 { red[block, default: 0] += 1 } else { blue[block, default: 0] += 1 }
      }
      let duncan =
        0.5
        * Set(red.keys).union(blue.keys).reduce(0.0) { sum, b in
          sum + abs((red[b] ?? 0) / 150 - (blue[b] ?? 0) / 150)
        }
      #expect(abs(TestSupport.number(result, "dissimilarity_index") - duncan) < 1e-12)
      #expect(abs(model.steps.last!.dissimilarity - duncan) < 1e-12)
    }
    // One block holds every agent: it mixes the types exactly as the grid does.
    var whole = Self.parameters(width: 20, height: 20, radius: 1, homophily: 3, rounds: 3)
    whole.block = 20
    let (result, _) = try run(try TestSupport.scenario(SchellingRun.self, whole, size: 200, segments: Self.segments()))
    #expect(TestSupport.number(result, "dissimilarity_index") == 0)
    let one = try TestSupport.scenario(
      SchellingRun.self, whole, size: 200, segments: [SegmentSpec(name: "all", share: 1)])
    #expect(TestSupport.number(try run(one).0, "dissimilarity_index").isNaN)
  }

  @Test("the decoder rule: a large salience bias gives the threshold rule's dynamics; a high temperature mixes")
  func decoderRule() throws {
    var p = Self.parameters(width: 40, height: 40, radius: 1, homophily: 3)
    p.rule = .decoder
    p.candidates = 4
    var salient: [[Int]] = []
    var threshold: [[Int]] = []
    for seed in 1...20 {
      let biased = try TestSupport.scenario(
        SchellingRun.self, p, size: 1000, segments: Self.segments(DecodingParameters(temperature: 1, salienceBias: 60)),
        seed: UInt64(seed))
      salient.append(try run(biased).1.steps.map(\.happy))
      var classic = p
      classic.rule = .threshold
      let spec = try TestSupport.scenario(
        SchellingRun.self, classic, size: 1000, segments: Self.segments(), seed: UInt64(seed))
      threshold.append(try run(spec).1.steps.map(\.happy))
    }
    expectSameDynamics("salient decoder", salient, threshold)
    // Greedy agents move only to a cell where they would be happy (or stay): happiness and segregation rise; very hot
    // ones move at random among the options, and the grid stays mixed.
    func end(_ temperature: Double) throws -> SchellingStep {
      let spec = try TestSupport.scenario(
        SchellingRun.self, p, size: 1000, segments: Self.segments(DecodingParameters(temperature: temperature)), seed: 3
      )
      return try run(spec).1.steps.last!
    }
    let (greedy, hot) = (try end(0), try end(1000))
    #expect(greedy.happy > 950 && greedy.segregation > 0.7, "\(greedy)")
    #expect(hot.segregation < 0.6 && hot.segregation < greedy.segregation - 0.2, "\(hot)")
    // A move cost above the gain of becoming happy keeps greedy agents where they are.
    var costly = p
    costly.moveCost = 2
    let spec = try TestSupport.scenario(
      SchellingRun.self, costly, size: 1000, segments: Self.segments(DecodingParameters(temperature: 0)))
    #expect(try run(spec).1.steps.allSatisfy { $0.moves == 0 })
  }

  @Test("the same seed gives identical tables; another seed others")
  func determinism() throws {
    for rule in SchellingParameters.Rule.allCases {
      var p = Self.parameters(width: 25, height: 25, radius: 2, homophily: 6, rounds: 5)
      p.rule = rule
      let a = try Experiment.run(try TestSupport.scenario(SchellingRun.self, p, size: 400, segments: Self.segments()))
      let b = try Experiment.run(try TestSupport.scenario(SchellingRun.self, p, size: 400, segments: Self.segments()))
      let c = try Experiment.run(
        try TestSupport.scenario(SchellingRun.self, p, size: 400, segments: Self.segments(), seed: 2))
      #expect(a.stepRows.map { $0.map(\.text) } == b.stepRows.map { $0.map(\.text) })
      #expect(a.summary.map(\.1.text) == b.summary.map(\.1.text) && a.payoffs == b.payoffs)
      #expect(a.stepRows.map { $0.map(\.text) } != c.stepRows.map { $0.map(\.text) })
    }
  }

  @Test("three types, a torus and von Neumann neighbourhoods run; each segment is a type")
  func threeTypes() throws {
    var p = Self.parameters(width: 30, height: 20, radius: 2, homophily: 5, rounds: 8)
    p.torus = true
    p.neighbourhood = .vonNeumann
    let segments = ["a", "b", "c"].map { SegmentSpec(name: $0, share: 1.0 / 3) }
    let (result, model) = try run(try TestSupport.scenario(SchellingRun.self, p, size: 450, segments: segments))
    #expect(result.segmentRows.count == 3)
    #expect(model.steps.last!.segregation > model.initial.segregation)
    for key in ["happy_share_a", "segregation_index_c", "dissimilarity_index", "initial_dissimilarity_index"] {
      #expect(!TestSupport.number(result, key).isNaN, "\(key)")
    }
  }

  @Test(
    "a full grid, a density that disagrees with the population and policy: llm under the threshold rule are refused")
  func refusals() throws {
    let small = Self.parameters(width: 10, height: 10, radius: 1, homophily: 3)
    #expect(throws: ScenarioIssue.self) {
      try TestSupport.scenario(SchellingRun.self, small, size: 100, segments: Self.segments())
    }
    var dense = small
    dense.density = 0.5
    do {
      _ = try TestSupport.scenario(SchellingRun.self, dense, size: 40, segments: Self.segments())
      Issue.record("a density that places 50 agents was accepted for 40")
    } catch let issue as ScenarioIssue {
      #expect(issue.path == "game.density" && issue.message.contains("population.size: 50"), "\(issue)")
    }
    _ = try TestSupport.scenario(SchellingRun.self, dense, size: 50, segments: Self.segments())
    do {
      _ = try ScenarioLoader.load(
        yaml: """
          game: {type: schelling, width: 10, height: 10}
          population: {size: 20, segments: [{name: a, policy: llm, llm: {model: m, base_url: "http://localhost:1"}}]}
          """)
      Issue.record("policy: llm under the threshold rule was accepted")
    } catch {
      #expect(error.path.hasSuffix("policy") && error.message.contains("rule: decoder"), "\(error)")
    }
    do {
      _ = try ScenarioLoader.load(
        yaml: "game: {type: schelling, radius: 1, homophily: 9}\npopulation: {size: 20, segments: [{name: a}]}")
      Issue.record("a homophily above the neighbourhood's 8 cells was accepted")
    } catch {
      #expect(error.path == "game.homophily", "\(error)")
    }
  }

  @Test("YAML end to end: agora run of Scenarios/schelling.yaml writes its tables; a homophily sweep runs")
  func endToEnd() throws {
    let folder = TestSupport.temporaryDirectory()
    let run = try TestSupport.agora(["run", "Scenarios/schelling.yaml", "--out", folder + "/run", "--quiet"])
    #expect(run.status == 0, "\(run.output)")
    let steps = try String(contentsOfFile: folder + "/run/steps.csv", encoding: .utf8).split(separator: "\n")
    #expect(steps.first == "run_index,seed,step,time,happy_share,moves,segregation_index,dissimilarity_index")
    #expect(steps.count == 21)
    let summary = try String(contentsOfFile: folder + "/run/summary.csv", encoding: .utf8)
    #expect(summary.contains("happy_share_red") && summary.contains(",schelling,"))
    let sweep = try TestSupport.agora([
      "sweep", "Scenarios/schelling.yaml", "--grid", "game.homophily=2,3,4", "--seeds", "2", "--out",
      folder + "/sweep", "--quiet",
    ])
    #expect(sweep.status == 0, "\(sweep.output)")
    let rows = try String(contentsOfFile: folder + "/sweep/summary.csv", encoding: .utf8).split(separator: "\n")
    #expect(rows.count == 7)
    let spec = try ScenarioLoader.load(file: TestSupport.repositoryRoot.path + "/Scenarios/schelling-large.yaml")
    #expect(spec.population.size == 8000 && SchellingRun.parameters(spec).radius == 2)
  }

  @Test("cells.csv holds every agent's final cell, one agent a cell, on the grid; the report draws the grid")
  func finalGrid() throws {
    let spec = try ScenarioLoader.load(
      file: TestSupport.repositoryRoot.path + "/Scenarios/schelling.yaml", overrides: ["game.rounds=3"])
    let folder = TestSupport.temporaryDirectory()
    let (result, files) = try RunFolder.execute(spec, into: folder)
    #expect(files.contains("cells.csv") && files.contains("cells.csv-metadata.json"))
    let table = try CSVTable(contentsOf: folder + "/cells.csv")
    #expect(table.columns == ["run_index", "seed", "agent_id", "x", "y", "segment"])
    #expect(table.rows.count == result.population.count)
    let cells = table.rows.map { "\($0[3]),\($0[4])" }
    #expect(Set(cells).count == cells.count, "two agents on one cell")
    #expect(table.rows.allSatisfy { Int($0[3])! < 40 && Int($0[4])! < 40 })
    let html = String(decoding: TestSupport.bytes(folder + "/report.html"), as: UTF8.self)
    #expect(html.contains("<h2>The grid at the end</h2>"))
    #expect(html.components(separatedBy: "<rect x=").count - 1 >= result.population.count)
  }
}
