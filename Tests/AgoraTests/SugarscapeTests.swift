import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Spatial: Sugarscape")
struct SugarscapeTests {
  /// The book's scenario file, with `overrides`.
  static func book(_ overrides: [String] = []) throws -> ScenarioSpec {
    BuiltInModels.register()
    return try ScenarioLoader.load(
      file: TestSupport.repositoryRoot.path + "/Scenarios/sugarscape.yaml", overrides: overrides)
  }

  /// A run of `spec` before its first step, on `landscape` (the book's when nil).
  static func model(_ spec: ScenarioSpec, landscape: SugarLandscape? = nil) -> SugarscapeRun {
    let seeds = SeedSequence(master: spec.seed)
    return SugarscapeRun(
      scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds, landscape: landscape)
  }

  /// Column `name` of a run's steps, as numbers.
  static func steps(_ result: RunResult, _ name: String) -> [Double] {
    let c = result.stepColumns.firstIndex(of: name)!
    return result.stepRows.map { Double($0[c].text) ?? .nan }
  }

  /// Rule M written out plainly: the cells agent `i` may end on (its own, or a free cell it sees in the four lattice
  /// directions) that hold the most sugar, and of those the nearest.
  static func ruleM(_ model: SugarscapeRun, _ i: Int) -> Set<Int> {
    let grid = model.grid
    let here = grid.position(of: i)!
    let (x0, y0) = grid.coordinates(of: here)
    var seen: [(cell: Int, distance: Int)] = [(here, 0)]
    for d in 1...Int(model.vision[i]) {
      for (dx, dy) in [(0, -1), (1, 0), (0, 1), (-1, 0)] {
        var (x, y) = (x0 + dx * d, y0 + dy * d)
        if grid.torus {
          x = (x % grid.width + grid.width) % grid.width
          y = (y % grid.height + grid.height) % grid.height
        } else if x < 0 || x >= grid.width || y < 0 || y >= grid.height {
          continue
        }
        let cell = grid.cell(x: x, y: y)
        if grid.isEmpty(cell) { seen.append((cell, d)) }
      }
    }
    let most = seen.map { model.landscape.sugar[$0.cell] }.max()!
    let richest = seen.filter { model.landscape.sugar[$0.cell] == most }
    let nearest = richest.map(\.distance).min()!
    return Set(richest.filter { $0.distance == nearest }.map(\.cell))
  }

  /// Checks the state after a step: one agent a cell, the living placed and the starved not, sugar within
  /// capacities, and every agent's accounts: sugar = endowment + harvested - burned, positive for the living.
  static func expectInvariants(_ model: SugarscapeRun, _ label: String) {
    #expect(model.grid.invariantsHold, "\(label): grid")
    let n = model.population.count
    let living = (0..<n).filter { model.alive[$0] }
    let cells = living.compactMap { model.grid.position(of: $0) }
    #expect(cells.count == living.count && Set(cells).count == cells.count, "\(label): one agent a cell")
    #expect((0..<n).allSatisfy { model.alive[$0] || model.grid.position(of: $0) == nil }, "\(label): the dead")
    #expect(model.grid.placed == living.count, "\(label): placed")
    let land = model.landscape
    #expect(land.sugar.indices.allSatisfy { land.sugar[$0] >= 0 && land.sugar[$0] <= land.capacity[$0] }, "\(label)")
    for i in 0..<n {
      #expect(model.wealth[i] == model.endowment[i] + model.harvested[i] - model.burned[i], "\(label): agent \(i)")
      #expect(model.alive[i] == (model.wealth[i] > 0), "\(label): agent \(i) alive with \(model.wealth[i])")
    }
  }

  @Test("invariants at every step: one agent a cell, sugar within capacity, harvested - metabolism = change")
  func invariants() throws {
    for replacement in [false, true] {
      var model = Self.model(try Self.book(["game.replacement=\(replacement)", "game.rounds=60"]))
      Self.expectInvariants(model, "placement")
      #expect(model.initial.alive == 400 && model.landscape.sugar == model.landscape.capacity)
      for t in 1...60 {
        let (wealth, harvested, burned, alive) = (model.wealth, model.harvested, model.burned, model.alive)
        model.step()
        let step = model.steps.last!
        Self.expectInvariants(model, "replacement \(replacement), step \(t)")
        #expect(
          step.alive == (replacement ? 400 : model.steps.dropLast().last?.alive ?? 400) - step.deaths + step.births)
        #expect(step.births == (replacement ? step.deaths : 0))
        #expect(step.totalWealth == (0..<400).filter { model.alive[$0] }.reduce(0) { $0 + model.wealth[$1] })
        for i in 0..<400 where alive[i] && model.born[i] < Int32(t) {
          // An agent alive at the step's start harvested some sugar and burned exactly its metabolism.
          let gain = model.harvested[i] - harvested[i]
          #expect(model.burned[i] - burned[i] == Int(model.metabolism[i]) && gain >= 0 && gain <= 4, "agent \(i)")
          #expect(model.wealth[i] - wealth[i] == gain - Int(model.metabolism[i]), "step \(t), agent \(i)")
        }
      }
      if replacement { #expect(model.steps.allSatisfy { $0.alive == 400 }) }
    }
  }

  @Test("rule M against its plain statement, on random landscapes, bounded and wrapped, with every tie reached")
  func ruleMByHand() throws {
    for (torus, side, visionMax) in [(false, 7, 4), (true, 7, 6), (true, 12, 3)] {
      let spec = try Self.book([
        "game.width=\(side)", "game.height=\(side)", "game.torus=\(torus)", "game.vision_max=\(visionMax)",
        "population.size=12",
      ])
      let stream = RandomStream(seed: UInt64(side * 10 + visionMax))
      let capacity = [Int32](repeating: 4, count: side * side)
      var model = Self.model(spec, landscape: SugarLandscape(width: side, height: side, capacity: capacity))
      for _ in 0..<300 {
        for c in 0..<(side * side) { model.landscape.sugar[c] = Int32(stream.integer(below: 3)) * 2 }
        let i = stream.integer(below: 12)
        let allowed = Self.ruleM(model, i)
        let cell = model.target(of: i, at: model.grid.position(of: i)!)
        #expect(allowed.contains(cell), "torus \(torus): \(cell) is not among \(allowed)")
      }
      // Ties between cells at one distance are broken at random: over many draws on one landscape each is taken.
      let i = 0
      let here = model.grid.position(of: i)!
      model.vision[i] = 2
      for c in 0..<(side * side) { model.landscape.sugar[c] = 1 }
      let (x0, y0) = model.grid.coordinates(of: here)
      var ties: Set<Int> = []
      for (dx, dy) in [(0, -2), (2, 0), (0, 2), (-2, 0)]
      where torus || (0..<side).contains(x0 + dx) && (0..<side).contains(y0 + dy) {
        let cell = model.grid.cell(x: (x0 + dx + side) % side, y: (y0 + dy + side) % side)
        if model.grid.isEmpty(cell) {
          model.landscape.sugar[cell] = 3
          ties.insert(cell)
        }
      }
      guard !ties.isEmpty else { continue }
      #expect(Self.ruleM(model, i) == ties)
      let taken = Set((0..<200).map { _ in model.target(of: i, at: here) })
      #expect(taken == ties, "ties \(ties), taken \(taken)")
    }
  }

  @Test("the hand-built 5 x 5 landscape: the richest free cell in sight wins, the nearest on a tie; else stay")
  func tinyLandscape() throws {
    let spec = try Self.book(["game.width=5", "game.height=5", "game.torus=false", "population.size=2"])
    var model = Self.model(
      spec, landscape: SugarLandscape(width: 5, height: 5, capacity: .init(repeating: 4, count: 25)))
    // Agent 0 in the middle with vision 2, agent 1 in the corner (0, 0).
    model.grid.remove(0)
    model.grid.remove(1)
    model.grid.place(0, at: 12)
    model.grid.place(1, at: 0)
    model.vision[0] = 2
    func target(_ sugar: [Int: Int32]) -> Int {
      for c in 0..<25 { model.landscape.sugar[c] = sugar[c] ?? 0 }
      return model.target(of: 0, at: 12)
    }
    #expect(target([:]) == 12, "nothing anywhere: stay")
    #expect(target([12: 2, 13: 2, 10: 2]) == 12, "its own cell as rich as any: stay")
    #expect(target([13: 1, 10: 3]) == 10, "two cells west beats one east with less")
    #expect(target([11: 3, 10: 3]) == 11, "equal sugar: the nearer")
    #expect(target([18: 4, 24: 4, 2: 2]) == 2, "diagonal cells are out of sight")
    model.vision[0] = 1
    #expect(target([7: 1, 2: 4]) == 7, "beyond its vision is out of sight")
    model.grid.move(1, to: 7)
    #expect(target([7: 4, 11: 1]) == 11, "an occupied cell is not a candidate")
  }

  @Test("the decoder rule at temperature 0 is rule M, draw for draw; a hot decoder moves worse and sustains fewer")
  func decoderAtTemperatureZero() throws {
    let classic = try Experiment.run(try Self.book(["game.rounds=80"]))
    let greedy = try Experiment.run(
      try Self.book(["game.rounds=80", "game.rule=decoder", "population.segments.0.decoding.temperature=0"]))
    #expect(classic.stepRows.map { $0.map(\.text) } == greedy.stepRows.map { $0.map(\.text) })
    #expect(classic.payoffs == greedy.payoffs)
    let tiny = ["game.width=9", "game.height=9", "population.size=30", "game.rounds=40"]
    let a = try Experiment.run(try Self.book(tiny))
    let b = try Experiment.run(
      try Self.book(tiny + ["game.rule=decoder", "population.segments.0.decoding.temperature=0"]))
    #expect(a.stepRows.map { $0.map(\.text) } == b.stepRows.map { $0.map(\.text) } && a.payoffs == b.payoffs)
    let hot = try Experiment.run(
      try Self.book(["game.rounds=80", "game.rule=decoder", "population.segments.0.decoding.temperature=100"]))
    #expect(TestSupport.number(hot, "alive") < TestSupport.number(classic, "alive") - 20, "\(hot.summary)")
  }

  @Test("the book's reference: from 400 agents the population settles at its carrying capacity (seeds 1-4)")
  func carryingCapacity() throws {
    for seed in 1...4 {
      let result = try Experiment.run(try Self.book(["seed=\(seed)"]))
      let alive = Self.steps(result, "alive")
      let capacity = TestSupport.number(result, "carrying_capacity")
      print(
        "sugarscape seed \(seed): alive at 50 \(alive[49]), 100 \(alive[99]), 200 \(alive[199]); capacity \(capacity)")
      #expect((215...260).contains(capacity), "seed \(seed): carrying capacity \(capacity)")
      #expect(alive[99] - alive[199] <= 12, "seed \(seed): still falling after step 100")
      #expect(alive[0] > 380 && alive[49] < 300, "seed \(seed): the fall")
      // Wealth grows unequal; selection raises vision and lowers metabolism.
      let gini = TestSupport.number(result, "wealth_gini")
      #expect(gini > TestSupport.number(result, "initial_wealth_gini") + 0.08, "seed \(seed): gini \(gini)")
      #expect(Self.steps(result, "wealth_gini")[199] > Self.steps(result, "wealth_gini")[9], "seed \(seed)")
      #expect(TestSupport.number(result, "mean_vision") > TestSupport.number(result, "initial_mean_vision"))
      #expect(TestSupport.number(result, "mean_metabolism") < TestSupport.number(result, "initial_mean_metabolism"))
    }
  }

  @Test("the Lorenz curve: exact at the agents, its area gives the Gini coefficient; lorenz.csv at the end")
  func lorenz() throws {
    let equal = SugarscapeRun.lorenz([3, 3, 3, 3], points: 4)
    #expect(equal.map(\.wealth) == [0, 0.25, 0.5, 0.75, 1] && equal.map(\.agents) == [0, 0.25, 0.5, 0.75, 1])
    #expect(SugarscapeRun.lorenz([0, 0, 0, 4], points: 4).map(\.wealth) == [0, 0, 0, 0, 1])
    #expect(SugarscapeRun.lorenz([1, 3], points: 4).map(\.wealth) == [0, 0.125, 0.25, 0.625, 1])
    #expect(SugarscapeRun.lorenz([], points: 2).allSatisfy { $0.wealth.isNaN })
    let stream = RandomStream(seed: 5)
    let amounts = (0..<50).map { _ in Double(stream.integer(below: 100)) }
    let curve = SugarscapeRun.lorenz(amounts, points: 50)
    let area = zip(curve.dropFirst(), curve).reduce(0.0) { $0 + ($1.0.wealth + $1.1.wealth) / 2 / 50 }
    #expect(abs((1 - 2 * area) - (try Inequality.gini(amounts))) < 1e-12)
    let result = try Experiment.run(try Self.book(["game.rounds=30", "game.lorenz_points=10"]))
    let table = try #require(result.tables.first { $0.name == "lorenz" })
    #expect(table.rows.count == 11 && table.rows.last![3] == .double(1) && table.rows.first![3] == .double(0))
    let cells = try #require(result.tables.first { $0.name == "cells" })
    #expect(Double(cells.rows.count) == TestSupport.number(result, "alive"))
  }

  @Test("the same seed gives identical tables at any thread count; another seed others")
  func determinism() throws {
    let spec = try Self.book(["game.rounds=40", "game.replacement=true"])
    let a = try Experiment.run(spec, threads: 1)
    let b = try Experiment.run(spec, threads: 2)
    var other = spec
    other.seed = 2
    let c = try Experiment.run(other)
    #expect(a.stepRows.map { $0.map(\.text) } == b.stepRows.map { $0.map(\.text) })
    #expect(a.summary.map(\.1.text) == b.summary.map(\.1.text) && a.payoffs == b.payoffs)
    #expect(a.tables.map { $0.rows.map { $0.map(\.text) } } == b.tables.map { $0.rows.map { $0.map(\.text) } })
    #expect(a.stepRows.map { $0.map(\.text) } != c.stepRows.map { $0.map(\.text) })
  }

  @Test("more agents than cells, policy: llm under the classic rule and vision_max < vision_min are refused")
  func refusals() throws {
    #expect(throws: ScenarioIssue.self) { try Self.book(["game.width=10", "game.height=10", "population.size=101"]) }
    _ = try Self.book(["game.width=10", "game.height=10", "population.size=100"])
    do {
      _ = try Self.book(["game.vision_min=4", "game.vision_max=3"])
      Issue.record("vision_max below vision_min was accepted")
    } catch let issue as ScenarioIssue {
      #expect(issue.path == "game.vision_max", "\(issue)")
    }
    do {
      _ = try ScenarioLoader.load(
        yaml: """
          game: {type: sugarscape}
          population: {size: 20, segments: [{name: a, policy: llm, llm: {model: m, base_url: "http://localhost:1"}}]}
          """)
      Issue.record("policy: llm under the classic rule was accepted")
    } catch {
      #expect(error.path.hasSuffix("policy") && error.message.contains("rule: decoder"), "\(error)")
    }
  }

  @Test("YAML end to end: agora run of Scenarios/sugarscape.yaml writes its tables; the vision sweep file runs")
  func endToEnd() throws {
    let folder = TestSupport.temporaryDirectory()
    let run = try TestSupport.agora([
      "run", "Scenarios/sugarscape.yaml", "--set", "game.rounds=20", "--out", folder + "/run", "--quiet",
    ])
    #expect(run.status == 0, "\(run.output)")
    let steps = try String(contentsOfFile: folder + "/run/steps.csv", encoding: .utf8).split(separator: "\n")
    let header =
      "run_index,seed,step,time,alive,deaths,births,moves,total_wealth,mean_wealth,wealth_gini,mean_vision,"
      + "mean_metabolism"
    #expect(steps.first.map(String.init) == header)
    #expect(steps.count == 21)
    for file in ["lorenz.csv", "cells.csv", "agents.csv", "report.html"] {
      #expect(FileManager.default.fileExists(atPath: folder + "/run/" + file), "\(file)")
    }
    let agents = try CSVTable(contentsOf: folder + "/run/agents.csv")
    #expect(agents.rows.count == 400 && agents.columns.suffix(3) == ["vision", "metabolism", "death_step"])
    let html = String(decoding: TestSupport.bytes(folder + "/run/report.html"), as: UTF8.self)
    #expect(html.contains("<h2>The grid at the end</h2>") && html.contains("Agents alive, step by step"))
    let sweep = try TestSupport.agora([
      "sweep", "Scenarios/sweeps/sugarscape-vision.yaml", "--set", "game.rounds=15", "--seeds", "1", "--out",
      folder + "/sweep", "--quiet",
    ])
    #expect(sweep.status == 0, "\(sweep.output)")
    let summary = try CSVTable(contentsOf: folder + "/sweep/summary.csv")
    #expect(summary.rows.count == 5 && summary.columns.contains("carrying_capacity"), "\(summary.columns)")
  }
}
