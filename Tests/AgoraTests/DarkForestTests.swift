import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Civilizations: dark forest")
struct DarkForestTests {
  func galaxy(_ yaml: String, recording: Bool = true) throws -> DarkForestRun {
    let spec = try ScenarioLoader.load(yaml: yaml)
    let seeds = SeedSequence(master: spec.seed)
    var run = DarkForestRun(scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds)
    run.recording = recording
    run.run()
    return run
  }

  /// Runs a galaxy from YAML text with `overrides` (nothing recorded).
  func galaxy(_ yaml: String, _ overrides: [String]) throws -> DarkForestRun {
    let spec = try ScenarioLoader.load(yaml: yaml, overrides: overrides)
    let seeds = SeedSequence(master: spec.seed)
    var run = DarkForestRun(scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds)
    run.run()
    return run
  }

  /// Runs a galaxy built in Swift, recording its signals and battles.
  func galaxy(_ spec: ScenarioSpec) -> DarkForestRun {
    let seeds = SeedSequence(master: spec.seed)
    var run = DarkForestRun(scenario: spec, population: Population(spec: spec.population, seeds: seeds), seeds: seeds)
    run.recording = true
    run.run()
    return run
  }

  @Test("the logistic closed form: K / (1 + (K/x0 - 1) e^(-a t)), and advancing in two steps equals one step")
  func logistic() {
    let x = DarkForestRun.logistic(10, capacity: 100, rate: 0.5, after: 4)
    #expect(abs(x - 100 / (1 + 9 * exp(-2.0))) < 1e-12)
    let half = DarkForestRun.logistic(10, capacity: 100, rate: 0.5, after: 1.5)
    #expect(abs(DarkForestRun.logistic(half, capacity: 100, rate: 0.5, after: 2.5) - x) < 1e-9)
  }

  @Test("a lone civilization grows along the analytic logistic curve")
  func lone() throws {
    let run = try galaxy(
      """
      game: {type: dark_forest, rounds: 30, dark_forest: {initial_share: 1, breakthrough_rate: 0, leak_rate: 0, decision_rate: 0.000001}}
      population: {size: 2, segments: [{name: lone, decoding: {temperature: 0}}]}
      """)
    // Balanced growth (budget 0.5, a quarter each) from 10% of capacity: production 100 / (1 + 9 e^(-0.125 t)).
    for i in 0..<2 where run.alive[i] {
      let expected = 100 / (1 + 9 * exp(-0.125 * 30))
      #expect(abs(run.resource(.production, of: i) - expected) < 1e-9)
    }
  }

  @Test("Lanchester's square law for known strengths")
  func lanchester() {
    #expect(DarkForestRun.lanchester(5, 3) == (true, 4))
    let lost = DarkForestRun.lanchester(6, 10)
    #expect(!lost.attackerWins && lost.survivors == 8)
  }

  static let busy = """
    seed: 5
    game: {type: dark_forest, rounds: 40, dark_forest: {region: 400, detection_scale: 60, leak_rate: 0.5, fleet_speed: 20}}
    population:
      size: 300
      segments:
        - {name: open, share: 0.5, preferences: {honesty: 1, reciprocity: 1}, decoding: {temperature: 0.3}}
        - {name: hawks, share: 0.5, preferences: {envy: 1.5}, decoding: {temperature: 0.3}}
    """

  @Test("every signal arrives exactly distance / c after its emission; every fleet after distance / v")
  func travelTimes() throws {
    let run = try galaxy(Self.busy)
    #expect(run.signals.count > 100)
    for s in run.signals { #expect(abs((s.arrived - s.emitted) - s.distance / 100) < 1e-9) }
    #expect(!run.battles.isEmpty)
    for b in run.battles { #expect(b.arrived > b.launched) }
  }

  @Test("a fleet meets the defender's state at arrival, not at launch")
  func defenderAtArrival() throws {
    let run = try galaxy(Self.busy)
    // Between launch and arrival the defender's military grows (logistically, or by its own battles); the battle
    // must use the grown value, never the value at launch.
    let grown = run.battles.filter { $0.arrived - $0.launched > 0.5 && $0.defender != $0.defenderAtLaunch }
    #expect(!grown.isEmpty)
    #expect(run.battles.filter { $0.defender > $0.defenderAtLaunch + 1e-9 }.count > run.battles.count / 2)
    #expect(run.counts.battles == run.battles.count)
    #expect(run.counts.strikesWon <= run.counts.battles)
  }

  @Test("resources are stored in their named order and stay positive; no living civilization consumes beyond its means")
  func namedResources() throws {
    typealias Resource = DarkForestRun.Resource
    #expect(Resource.allCases.map(\.rawValue) == Array(0..<Resource.count))
    #expect(DarkForestRun.Action.allCases.count == 7 && DarkForestRun.Action.develop.rawValue == 6)
    let run = try galaxy(Self.busy, recording: false)
    let resources = run.resources
    #expect(resources.count == run.population.count * Resource.count)
    #expect(run.counts.strikes > 0 && run.counts.battles > 0)
    let totals = run.totals()
    for i in 0..<run.population.count {
      for r in Resource.allCases {
        #expect(run.resource(r, of: i) == resources[i * Resource.count + r.rawValue])
        #expect(run.resource(r, of: i) > 0 && run.resource(r, of: i).isFinite)
      }
    }
    let living = (0..<run.population.count).filter { run.alive[$0] }
    #expect(!living.isEmpty)
    for i in living {
      // Advanced to the horizon: a civilization whose consumption outran production and storage has collapsed.
      #expect(run.resource(.consumption, of: i) <= run.resource(.production, of: i) + run.resource(.storage, of: i))
      let own = Resource.allCases.filter { $0 != .consumption }.reduce(0) { $0 + run.resource($1, of: i) }
      #expect(abs(totals[i] - own) <= 1e-9 * own)
    }
  }

  @Test("the scenario runs from its file and is deterministic")
  func deterministic() throws {
    let a = try galaxy(Self.busy, recording: false)
    let b = try galaxy(Self.busy, recording: false)
    #expect(a.alive == b.alive && a.resources == b.resources)
  }

  /// agents.csv has each civilization's position in the region and its fate, agreeing with the summary; the map in
  /// report.html draws each born civilization once, a 3-D galaxy seen from above.
  @Test("positions and fates in agents.csv, and the galaxy map")
  func positionsAndMap() throws {
    for dimensions in [2, 3] {
      let result = try TestSupport.run(Self.busy, ["game.dark_forest.dimensions=\(dimensions)"])
      func column(_ name: String) -> [Double]? { result.agentValues.first { $0.column.name == name }?.values }
      let axes = ["position_x", "position_y", "position_z"].map(column)
      #expect(axes.prefix(dimensions).allSatisfy { $0?.count == 300 && $0!.allSatisfy { (0...400).contains($0) } })
      #expect((axes[2] == nil) == (dimensions == 2))
      let born = try #require(column("born_at")), alive = try #require(column("alive_at_end"))
      let struck = try #require(column("destroyed_by_strike")), loud = try #require(column("ever_broadcast"))
      let bornIds = born.indices.filter { born[$0].isFinite }
      #expect(Double(bornIds.count) == TestSupport.number(result, "born"))
      #expect(Double(alive.filter { $0 == 1 }.count) == TestSupport.number(result, "alive"))
      #expect(Double(struck.filter { $0 == 1 }.count) == TestSupport.number(result, "annihilated"))
      #expect(bornIds.allSatisfy { !(alive[$0] == 1 && struck[$0] == 1) && [0, 1].contains(loud[$0]) })
      #expect(born.indices.allSatisfy { born[$0].isFinite || (alive[$0].isNaN && struck[$0].isNaN && loud[$0].isNaN) })
      let map = try #require(Report.civilizationMap(result))
      #expect(map.components(separatedBy: "<title>civilization ").count - 1 == bornIds.count)
      #expect(map.contains("alive at the horizon (\(alive.filter { $0 == 1 }.count))"))
      #expect(map.contains("seen from above") == (dimensions == 3))
    }
    let quiet = try TestSupport.run(Self.busy, ["output.agents=false"])
    #expect(quiet.agentValues.isEmpty && Report.civilizationMap(quiet) == nil)
  }

  @Test("built in Swift: at light speed 50 every signal arrives distance / 50 after its emission")
  func directParameters() throws {
    var parameters = DarkForestParameters()
    parameters.rounds = 40
    parameters.darkForest.region = 400
    parameters.darkForest.detectionScale = 60
    parameters.darkForest.leakRate = 0.5
    parameters.darkForest.lightSpeed = 50
    parameters.darkForest.fleetSpeed = 20
    let friendly = SegmentSpec(
      name: "open", share: 0.5, preferences: TestSupport.preferences([.reciprocity: 1, .honesty: 1]),
      decoding: DecodingParameters(temperature: 0.3))
    let hawks = SegmentSpec(
      name: "hawks", share: 0.5, preferences: TestSupport.preferences([.envy: 1.5]),
      decoding: DecodingParameters(temperature: 0.3))
    let spec = try TestSupport.scenario(
      DarkForestRun.self, parameters, size: 300, segments: [friendly, hawks], seed: 5)
    let run = galaxy(spec)
    #expect(run.signals.count > 50)
    for s in run.signals { #expect(abs((s.arrived - s.emitted) - s.distance / 50) < 1e-9) }
    #expect(run.battles.allSatisfy { $0.arrived > $0.launched })
  }

  /// The table `name` of a run's result, as named columns.
  func table(_ result: RunResult, _ name: String) throws -> (columns: [String], rows: [[Cell]]) {
    let t = try #require(result.tables.first { $0.name == name })
    return (t.columns, t.rows)
  }

  @Test("trajectories.csv: a row per tracked civilization and sample; at the horizon the run's own resources and fates")
  func trajectories() throws {
    let tracked = 300
    let run = try galaxy(Self.busy, ["game.dark_forest.trajectories=\(tracked)"])
    let rows = run.trajectories.rows
    #expect(rows.count == tracked * run.steps.count)
    #expect(run.steps.last?.time == 40 && rows.last?.time == 40)
    // Half the galaxy is born later: some tracked civilizations are unborn at time 0, with empty resources.
    let first = rows.prefix(tracked)
    #expect(
      first.contains { !$0.born } && first.allSatisfy { $0.born || ($0.resources.allSatisfy(\.isNaN) && !$0.alive) })
    for row in rows.suffix(tracked) {
      let i = Int(row.civilization)
      #expect(row.alive == run.alive[i])
      #expect(row.born == run.bornAt[i].isFinite)
      if row.born {
        #expect(row.resources == DarkForestRun.Resource.allCases.map { run.resource($0, of: i) })
      }
    }
    // Strikes and battles name the other side, in the interval they happen in, and only there.
    #expect(run.counts.battles > 0 && rows.contains { $0.opponent >= 0 })
    let fights = rows.filter { $0.opponent >= 0 }.count
    #expect(fights <= 2 * run.counts.battles + run.counts.strikes)
    let result = try TestSupport.run(Self.busy, ["game.dark_forest.trajectories=\(tracked)"])
    let (columns, cells) = try table(result, "trajectories")
    #expect(
      columns == [
        "run_index", "seed", "time", "civilization", "segment", "worldview", "alive", "military", "technology",
        "production", "consumption", "storage", "at_war_with",
      ])
    #expect(cells.count == rows.count)
    let war = try #require(columns.firstIndex(of: "at_war_with"))
    for (row, line) in zip(rows, cells) {
      #expect(line[war].text == (row.opponent >= 0 ? String(row.opponent) : ""))
      #expect(row.opponent < 0 || row.opponent != row.civilization)
    }
  }

  @Test("tracking changes nothing; switch rate 0 is today's run; untracked runs write no table and no new column")
  func trackingIsFree() throws {
    let plain = try galaxy(Self.busy, [])
    let tracked = try galaxy(
      Self.busy, ["game.dark_forest.trajectories=300", "game.dark_forest.worldview_switch_rate=0"])
    #expect(plain.resources == tracked.resources && plain.alive == tracked.alive)
    #expect(plain.counts.decisions == tracked.counts.decisions && plain.counts.battles == tracked.counts.battles)
    #expect(plain.counts.detections == tracked.counts.detections && tracked.counts.worldviewSwitches == 0)
    #expect(plain.trajectories.rows.isEmpty && tracked.trajectories.rows.count == 300 * tracked.steps.count)
    let a = try TestSupport.run(Self.busy)
    let b = try TestSupport.run(Self.busy, ["game.dark_forest.worldview_switch_rate=0"])
    #expect(a.summary.map(\.0) == b.summary.map(\.0))
    #expect(a.summary.map(\.1) == b.summary.map(\.1))
    #expect(a.tables.isEmpty && a["worldview_switches"] == nil)
    #expect(MemoryLayout<DarkForestRun.State>.stride == 104)
    // The resolved scenario (manifest.json, report.html) names the new keys only when a run sets them.
    var asked = DarkForestSpec()
    let plainText = String(decoding: try JSONEncoder().encode(asked), as: UTF8.self)
    #expect(plainText.contains("\"sample_interval\":10") && !plainText.contains("trajectories"))
    #expect(!plainText.contains("worldview") && !plainText.contains("\"growth\""))
    asked.trajectories = 3
    asked.growth = .allocation
    let askedText = String(decoding: try JSONEncoder().encode(asked), as: UTF8.self)
    #expect(askedText.contains("\"trajectories\":3") && askedText.contains("\"growth\":\"allocation\""))
  }

  @Test("a positive switch rate changes world views: counted, held in the state record, shown in trajectories.csv")
  func worldviewSwitches() throws {
    let overrides = ["game.dark_forest.worldview_switch_rate=0.5", "game.dark_forest.trajectories=300"]
    let run = try galaxy(Self.busy, overrides)
    #expect(run.counts.worldviewSwitches > 0)
    // The rate sets how readily: a tenth of it switches less often, and every epoch at most once.
    let rare = try galaxy(Self.busy, ["game.dark_forest.worldview_switch_rate=0.05"])
    #expect(rare.counts.worldviewSwitches > 0 && rare.counts.worldviewSwitches < run.counts.worldviewSwitches)
    #expect(run.counts.worldviewSwitches <= run.counts.decisions)
    let switched = (0..<300).filter { run.worldview(of: $0) != Int(run.population.segment[$0]) }
    #expect(!switched.isEmpty)
    for i in switched {
      // A switch sets the four stances to the adopted world view's means.
      let w = run.worldviews[run.worldview(of: i)]
      let s = run.states[i]
      #expect(s.aggression == w.aggression && s.trust == w.trust && s.caution == w.caution && s.openness == w.openness)
    }
    let result = try TestSupport.run(Self.busy, overrides)
    #expect(TestSupport.number(result, "worldview_switches") == Double(run.counts.worldviewSwitches))
    let (columns, cells) = try table(result, "trajectories")
    let (segment, worldview) = (try #require(columns.firstIndex(of: "segment")), columns.firstIndex(of: "worldview")!)
    let changed = cells.filter { $0[segment] != $0[worldview] }
    #expect(!changed.isEmpty)
    // At the horizon the column is the world view each civilization holds.
    let names = run.population.segments.map { Cell.string($0.name) }
    for (i, line) in cells.suffix(300).enumerated() { #expect(line[worldview] == names[run.worldview(of: i)]) }
    // Fixed world views: no switch, the column is the segment.
    let fixed = try TestSupport.run(Self.busy, ["game.dark_forest.trajectories=300"])
    #expect(try table(fixed, "trajectories").rows.allSatisfy { $0[segment] == $0[worldview] })
  }

  @Test("growth: allocation — a split chosen at each decision replaces the modes, and sets the growth rates")
  func allocation() throws {
    let run = try galaxy(Self.busy, ["game.dark_forest.growth=allocation"])
    // Every civilization that decided holds a split as its mode; none mobilised or developed.
    let decided = (0..<300).filter { run.states[$0].mode.split > 0 }
    #expect(decided.count > 100)
    #expect(
      (0..<300).allSatisfy {
        [.balanced, .mobilised, .developing].contains(run.states[$0].mode) == !decided.contains($0)
      })
    #expect((0..<300).allSatisfy { run.states[$0].mode != .mobilised && run.states[$0].mode != .developing })
    #expect(Set(decided.map { run.states[$0].mode }).count > 2)
    #expect((1...10).allSatisfy { DarkForestRun.Mode.split($0).split == $0 })
    for i in decided {
      let w = DarkForestRun.weights(ofSplit: run.states[i].mode.split)
      #expect(abs(w.military + w.technology + w.production + w.storage - 1) < 1e-12)
      let budget = 0.5 + 0.1 * Double(run.states[i].partners)
      #expect(abs(run.rate(.military, of: i) - budget * w.military) < 1e-12)
      #expect(abs(run.rate(.production, of: i) - budget * w.production) < 1e-12)
    }
    let modes = try galaxy(Self.busy, [])
    #expect((0..<300).allSatisfy { modes.states[$0].mode.split == 0 })
    #expect(modes.resources != run.resources)
  }

  @Test("Scenarios/cosmoagent.yaml: three civilizations, ten rounds, every one tracked; deterministic, also at CI size")
  func cosmoagent() throws {
    let file = TestSupport.repositoryRoot.path + "/Scenarios/cosmoagent.yaml"
    var written: [Data] = []
    for _ in 0..<2 {
      let folder = TestSupport.temporaryDirectory()
      let (result, files) = try RunFolder.execute(try ScenarioLoader.load(file: file), into: folder, report: false)
      #expect(files.contains("trajectories.csv") && files.contains(DataDictionary.fileName(for: "trajectories.csv")))
      let trajectories = try CSVTable(contentsOf: folder + "/trajectories.csv")
      #expect(trajectories.rows.count == 3 * 11)
      #expect(TestSupport.number(result, "civilizations") == 3 && TestSupport.number(result, "worldview_switches") > 0)
      written.append(TestSupport.bytes(folder + "/trajectories.csv") + TestSupport.bytes(folder + "/summary.csv"))
    }
    #expect(written[0] == written[1])
    let small = try ScenarioLoader.load(file: file, overrides: RobustnessTests.small(file, size: 200, rounds: 3))
    let result = try Experiment.run(small)
    #expect(try table(result, "trajectories").rows.count == 3 * 4)
  }
}
