import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Sweep")
struct SweepTests {
  static let scenario = """
    name: tiny
    seed: 9
    game: {type: ultimatum, rounds: 4}
    population:
      size: 120
      segments:
        - {name: a, share: 0.5, decoding: {temperature: 0.2}}
        - {name: b, share: 0.5, decoding: {temperature: 0.4}}
    """

  func plan(_ spec: SweepSpec) throws -> SweepPlan {
    try SweepPlan(spec, template: ScenarioTemplate(yaml: SweepTests.scenario, source: "tiny.yaml"))
  }

  func gridSpec(repetitions: Int = 3, steps: Bool = true) -> SweepSpec {
    var spec = SweepSpec(scenario: "tiny.yaml")
    spec.parameters = [
      SweepParameter(key: "population.segments.0.decoding.temperature", domain: .values(["0.1", "0.5", "1.0"])),
      SweepParameter(key: "game.stake", domain: .values(["10", "100"])),
    ]
    spec.repetitions = repetitions
    spec.keep.steps = steps
    return spec
  }

  @Test("a grid is the full factorial, last parameter fastest, repetitions innermost")
  func gridExpansion() throws {
    let plan = try plan(gridSpec())
    #expect(plan.points.count == 6)
    #expect(plan.runCount == 18)
    #expect(plan.points[0] == ["0.1", "10"])
    #expect(plan.points[1] == ["0.1", "100"])
    #expect(plan.points[5] == ["1.0", "100"])
    let run = plan.run(7)
    #expect(run.point == 2 && run.repetition == 1)
    #expect(run.overrides == ["population.segments.0.decoding.temperature=0.5", "game.stake=10"])
    #expect(run.fields.map(\.0) == ["run_index", "seed", "point", "repetition", "temperature", "stake"])
  }

  @Test("stepped values are inclusive and free of binary noise")
  func stepped() {
    #expect(SweepParameter.stepped(from: 0.1, to: 0.5, step: 0.1) == ["0.1", "0.2", "0.3", "0.4", "0.5"])
    #expect(SweepParameter.stepped(from: 50, to: 150, step: 50) == ["50", "100", "150"])
    #expect(SweepParameter.stepped(from: 0, to: 1, step: 0.3) == ["0", "0.3", "0.6", "0.9"])
  }

  @Test("a Latin hypercube hits each of its N strata exactly once in every dimension")
  func latinHypercube() throws {
    let stream = SeedSequence(master: 3).stream(for: .design)
    for n in [1, 7, 50] {
      let points = SweepPlan.latinHypercube(samples: n, dimensions: 4, stream: stream)
      for d in 0..<4 {
        let strata = points.map { Int(($0[d] * Double(n)).rounded(.down)) }
        #expect(strata.sorted() == Array(0..<n))
      }
    }
    var spec = SweepSpec(scenario: "tiny.yaml")
    spec.design = .lhs
    spec.samples = 20
    spec.parameters = [
      SweepParameter(key: "game.stake", domain: .range(min: 10, max: 110, scale: .linear, integer: false)),
      SweepParameter(
        key: "population.segments.0.decoding.temperature",
        domain: .range(min: 0.01, max: 1, scale: .log, integer: false)
      ),
    ]
    let plan = try plan(spec)
    #expect(plan.points.count == 20)
    let stakes = plan.points.map { Int(((Double($0[0])! - 10) / 100 * 20).rounded(.down)) }
    #expect(stakes.sorted() == Array(0..<20))
    let temperatures = plan.points.map { Int((log(Double($0[1])! / 0.01) / log(100) * 20).rounded(.down)) }
    #expect(temperatures.sorted() == Array(0..<20))
    #expect(try self.plan(spec).points == plan.points, "the same sweep seed gives the same design")
    spec.seed = 4
    #expect(try self.plan(spec).points != plan.points)
  }

  @Test("integer ranges cover every integer in equal strata; random designs stay in range")
  func integerAndRandom() throws {
    let p = SweepParameter(key: "k", domain: .range(min: 1, max: 4, scale: .linear, integer: true))
    #expect([0, 0.24, 0.25, 0.5, 0.74, 0.75, 0.999].map { p.value(at: $0) } == ["1", "1", "2", "3", "3", "4", "4"])
    var spec = SweepSpec(scenario: "tiny.yaml")
    spec.design = .random
    spec.samples = 200
    spec.parameters = [
      SweepParameter(key: "game.rounds", domain: .range(min: 1, max: 3, scale: .linear, integer: true))
    ]
    let plan = try plan(spec)
    let counts = Dictionary(grouping: plan.points.map { $0[0] }, by: { $0 }).mapValues(\.count)
    #expect(Set(counts.keys) == ["1", "2", "3"])
    #expect(counts.values.allSatisfy { $0 > 40 })
  }

  @Test("run seeds derive from the sweep seed and the run index, and are distinct")
  func seeds() throws {
    let plan = try plan(gridSpec(repetitions: 50))
    let seeds = (0..<plan.runCount).map { plan.run($0).seed }
    #expect(Set(seeds).count == plan.runCount)
    #expect(plan.run(17).seed == SweepPlan.runSeed(sweepSeed: 9, runIndex: 17))
    #expect(SweepPlan.runSeed(sweepSeed: 9, runIndex: 17) != SweepPlan.runSeed(sweepSeed: 10, runIndex: 17))
  }

  @Test("a range in a grid design, clashing names and an empty design are refused")
  func planErrors() throws {
    var spec = SweepSpec(scenario: "tiny.yaml")
    spec.parameters = [
      SweepParameter(key: "game.stake", domain: .range(min: 1, max: 2, scale: .linear, integer: false))
    ]
    #expect(throws: ScenarioIssue.self) { try plan(spec) }
    spec = gridSpec()
    spec.parameters.append(SweepParameter(key: "x.stake", domain: .values(["1"])))
    #expect(throws: ScenarioIssue.self) { try plan(spec) }
    spec = gridSpec()
    spec.parameters[0].domain = .values(["-1"])
    let runner = { try SweepRunner(plan: try plan(spec), directory: TestSupport.temporaryDirectory(), jobs: 1) }
    #expect(throws: SweepError.self) { try runner() }
  }

  @Test("colliding default names get longer, readable names")
  func names() {
    let names = SweepParameter.disambiguated([
      SweepParameter(key: "population.segments.0.decoding.temperature", domain: .values(["1"])),
      SweepParameter(key: "population.segments.1.decoding.temperature", domain: .values(["1"])),
      SweepParameter(key: "game.stake", domain: .values(["1"])),
    ]).map(\.name)
    #expect(names == ["segments_0_decoding_temperature", "segments_1_decoding_temperature", "stake"])
  }

  @Test("a sweep file reads lists, steps, ranges, names, fixed values, metrics and keep; typos are named")
  func sweepFile() throws {
    let spec = try SweepSpec.parse(
      yaml: """
        scenario: tiny.yaml
        seed: 5
        design: lhs
        samples: 8
        repetitions: 2
        set: {population.size: 50}
        parameters:
          population.segments.0.decoding.temperature: [0.1, 0.2]
          game.stake: {from: 10, to: 30, step: 10, name: pot}
          game.offer_step: {min: 0.5, max: 2, scale: log}
        metrics: [efficiency, gini]
        keep: {steps: true}
        """)
    #expect(spec.seed == 5 && spec.design == .lhs && spec.samples == 8 && spec.repetitions == 2)
    #expect(spec.overrides == ["population.size=50"])
    #expect(spec.parameters.map(\.name) == ["temperature", "pot", "offer_step"])
    #expect(spec.parameters[1].domain == .values(["10", "20", "30"]))
    #expect(spec.parameters[2].domain == .range(min: 0.5, max: 2, scale: .log, integer: false))
    #expect(spec.metrics == ["efficiency", "gini"] && spec.keep.steps && spec.keep.segments)
    #expect(throws: ScenarioIssue.self) {
      try SweepSpec.parse(yaml: "scenario: a.yaml\nparameters: {a: [1]}\nrepetition: 3")
    }
    do {
      _ = try SweepSpec.parse(yaml: "scenario: a.yaml\nparameters: {game.stake: {min: 1, maks: 3}}")
      Issue.record("accepted a misspelt key")
    } catch {
      #expect(error.path == "parameters.game.stake.maks")
      #expect(error.message.contains("did you mean 'max'"))
    }
  }

  @Test("summary rows are sorted by run index, identical for 1 and 2 threads and for 3 shards merged")
  func runnerDeterminism() throws {
    let plan = try plan(gridSpec())
    let one = TestSupport.temporaryDirectory()
    let two = TestSupport.temporaryDirectory()
    let sharded = TestSupport.temporaryDirectory()
    let outcome = try SweepRunner(plan: plan, directory: one, jobs: 1).run()
    #expect(outcome.ran == 18 && outcome.merged.contains("summary.csv"))
    _ = try SweepRunner(plan: plan, directory: two, jobs: 2).run()
    for i in 0..<3 {
      let o = try SweepRunner(plan: plan, directory: sharded, jobs: 2, shard: SweepShard(index: i, count: 3)).run()
      #expect(o.ran == 6)
      #expect(o.merged.isEmpty == (i < 2), "the last shard to finish merges")
    }
    try? FileManager.default.removeItem(atPath: sharded + "/summary.csv")
    _ = try SweepRunner.merge(directory: sharded)
    for file in ["summary.csv", "steps.csv", "segments.csv"] {
      #expect(TestSupport.bytes("\(one)/\(file)") == TestSupport.bytes("\(two)/\(file)"), "\(file)")
      #expect(TestSupport.bytes("\(one)/\(file)") == TestSupport.bytes("\(sharded)/\(file)"), "\(file)")
    }
    let table = try CSVTable(contentsOf: one + "/summary.csv")
    #expect(table.rows.map { Int($0[0])! } == Array(0..<18))
    #expect(Array(table.columns.prefix(6)) == ["run_index", "seed", "point", "repetition", "temperature", "stake"])
    // Swept values are the values the run resolved, typed by the keys' declarations (a stake is a double).
    #expect(table.rows[7][5] == "10.0" && table.rows[7][4] == "0.5")
    let steps = try CSVTable(contentsOf: one + "/steps.csv")
    #expect(steps.rows.count == 18 * 4)
  }

  @Test("a sweep resumes after a crash: torn rows are dropped, finished runs are not redone, output is the same")
  func resume() throws {
    let plan = try plan(gridSpec())
    let whole = TestSupport.temporaryDirectory()
    _ = try SweepRunner(plan: plan, directory: whole, jobs: 2).run()
    let crashed = TestSupport.temporaryDirectory()
    _ = try SweepRunner(plan: plan, directory: crashed, jobs: 2).run()
    for name in ["summary.csv", "steps.csv", "segments.csv"] {
      try FileManager.default.removeItem(atPath: "\(crashed)/\(name)")
    }
    let summaryPart = crashed + "/parts/summary.local.0.csv"
    let stepsPart = crashed + "/parts/steps.local.0.csv"
    let summaryScan = try PartScan(path: summaryPart)
    let keep = summaryScan.records[9].range.upperBound
    let lastKept = summaryScan.records[9].run
    truncate(summaryPart, off_t(keep + 7))
    let stepsScan = try PartScan(path: stepsPart)
    let stepsEnd = stepsScan.records.last { $0.run == lastKept }!.range.upperBound
    truncate(stepsPart, off_t(stepsEnd + 150))
    #expect(try SweepRunner.finishedRuns(in: crashed).count == 10)
    let outcome = try SweepRunner(plan: plan, directory: crashed, jobs: 2).run()
    #expect(outcome.ran == 8 && outcome.skipped == 10)
    for file in ["summary.csv", "steps.csv", "segments.csv"] {
      #expect(TestSupport.bytes("\(whole)/\(file)") == TestSupport.bytes("\(crashed)/\(file)"), "\(file)")
    }
    var other = gridSpec()
    other.repetitions = 4
    #expect(throws: SweepError.self) { try SweepRunner(plan: try self.plan(other), directory: crashed, jobs: 1) }
  }

  @Test("metrics: keeps the listed columns; an unknown one is named with the columns available")
  func metrics() throws {
    var spec = gridSpec(repetitions: 1, steps: false)
    spec.metrics = ["efficiency", "gini"]
    let directory = TestSupport.temporaryDirectory()
    _ = try SweepRunner(plan: try plan(spec), directory: directory, jobs: 2).run()
    let table = try CSVTable(contentsOf: directory + "/summary.csv")
    #expect(
      table.columns == ["run_index", "seed", "point", "repetition", "temperature", "stake", "efficiency", "gini"])
    spec.metrics = ["efficency"]
    let runner = try SweepRunner(plan: try plan(spec), directory: TestSupport.temporaryDirectory(), jobs: 1)
    do {
      _ = try runner.run()
      Issue.record("accepted an unknown metric")
    } catch {
      #expect(error.description.contains("did you mean 'efficiency'"))
    }
  }

  @Test("kept tables are tidy: events and a world's own table carry the swept values on every row, with dictionaries")
  func keptTablesAreTidy() throws {
    var spec = SweepSpec(scenario: "tiny.yaml")
    spec.parameters = [SweepParameter(key: "game.stake", domain: .values(["10", "20"]))]
    spec.repetitions = 2
    spec.keep = SweepKeep(steps: true, events: true)
    let folder = TestSupport.temporaryDirectory()
    _ = try SweepRunner(plan: try plan(spec), directory: folder, jobs: 2).run()
    let steps = try CSVTable(contentsOf: folder + "/steps.csv")
    #expect(Array(steps.columns.prefix(6)) == ["run_index", "seed", "point", "repetition", "stake", "step"])
    #expect(steps.rows.count == 4 * 4)
    let events = try CSVTable(contentsOf: folder + "/events.csv")
    let stake = try #require(events.columns.firstIndex(of: "stake"))
    let offer = try #require(events.columns.firstIndex(of: "offer"))
    // 120 agents: 60 pairs a round, 4 rounds, 4 runs; every offer is within its run's stake.
    #expect(events.rows.count == 60 * 4 * 4)
    #expect(events.rows.allSatisfy { Double($0[offer])! <= Double($0[stake])! })
    #expect(Set(events.rows.map { $0[stake] }) == ["10.0", "20.0"])
    for file in ["steps.csv", "events.csv", "segments.csv", "summary.csv"] {
      #expect(FileManager.default.fileExists(atPath: "\(folder)/\(DataDictionary.fileName(for: file))"), "\(file)")
    }

    let commons = """
      name: village
      game: {type: commons, rounds: 3, commons: {village_size: 5}}
      population: {size: 20, segments: [{name: a, share: 1}]}
      """
    var kept = SweepSpec(scenario: "village.yaml")
    kept.parameters = [SweepParameter(key: "game.commons.fine", domain: .values(["0", "2"]))]
    kept.keep.keep("villages")
    let template = try ScenarioTemplate(yaml: commons, source: "village.yaml")
    let villagesFolder = TestSupport.temporaryDirectory()
    _ = try SweepRunner(plan: try SweepPlan(kept, template: template), directory: villagesFolder, jobs: 1).run()
    let villages = try CSVTable(contentsOf: villagesFolder + "/villages.csv")
    #expect(Array(villages.columns.prefix(6)) == ["run_index", "seed", "point", "repetition", "fine", "village"])
    #expect(villages.rows.count == 2 * 4)

    var wrong = SweepSpec(scenario: "village.yaml")
    wrong.repetitions = 2
    wrong.keep.events = true
    #expect(throws: ScenarioIssue.self) { try SweepPlan(wrong, template: template) }
    wrong.keep = SweepKeep(tables: ["villages"])
    #expect(throws: ScenarioIssue.self) { try self.plan(wrong) }
  }

  @Test("--keep all keeps every table the runs write: a game's events and offers, a world's villages, not its events")
  func keepAll() throws {
    var spec = SweepSpec(scenario: "tiny.yaml")
    spec.parameters = [SweepParameter(key: "game.stake", domain: .values(["10", "20"]))]
    spec.keep.keep("all")
    let plan = try plan(spec)
    #expect(plan.keep == SweepKeep(steps: true, agents: true, segments: true, events: true, tables: ["offers"]))
    let folder = TestSupport.temporaryDirectory()
    _ = try SweepRunner(plan: plan, directory: folder, jobs: 2).run()
    for file in ["steps", "agents", "segments", "events", "offers"] {
      let table = try CSVTable(contentsOf: "\(folder)/\(file).csv")
      #expect(table.columns.contains("stake") && !table.rows.isEmpty, "\(file).csv")
      #expect(FileManager.default.fileExists(atPath: "\(folder)/\(DataDictionary.fileName(for: file + ".csv"))"))
    }
    let commons = """
      name: village
      game: {type: commons, rounds: 3, commons: {village_size: 5}}
      population: {size: 20, segments: [{name: a, share: 1}]}
      """
    var world = SweepSpec(scenario: "village.yaml")
    world.parameters = [SweepParameter(key: "game.commons.fine", domain: .values(["0", "2"]))]
    world.keep.keep("all")
    let worldPlan = try SweepPlan(world, template: try ScenarioTemplate(yaml: commons, source: "village.yaml"))
    #expect(worldPlan.keep.events == false && worldPlan.keep.tables == ["villages"] && worldPlan.keep.agents)
  }

  @Test("a run re-run alone from the sweep reproduces its summary row byte for byte")
  func rerunAlone() throws {
    let plan = try plan(gridSpec())
    let directory = TestSupport.temporaryDirectory()
    _ = try SweepRunner(plan: plan, directory: directory, jobs: 2).run()
    let stored = try SweepRunner.storedPlan(in: directory)
    #expect(stored == plan)
    let run = stored.run(13)
    let spec = try stored.spec(ofRun: 13, template: try stored.template())
    let alone = directory + "/alone"
    _ = try RunFolder.execute(
      spec, into: alone, runIndex: 13, summaryRow: { try stored.summaryRow(run, $0) },
      rowColumns: stored.fieldColumns(model: stored.baseModel()?.model))
    let sweepLines = String(decoding: TestSupport.bytes(directory + "/summary.csv"), as: UTF8.self).split(
      separator: "\n")
    let aloneLines = String(decoding: TestSupport.bytes(alone + "/summary.csv"), as: UTF8.self).split(separator: "\n")
    #expect(aloneLines[0] == sweepLines[0])
    #expect(aloneLines[1] == sweepLines[14])
  }

  @Test("a Slurm job script fixes its shard count; failed tasks are named and listed as sbatch --array wants them")
  func slurmScript() throws {
    var job = SlurmJob(
      name: "t", shards: 8, command: ["/opt/agora", "sweep", "a b.yaml", "--out", "Results/t"],
      workingDirectory: "/home/me/project", sweepDirectory: "/home/me/project/Results/t")
    job.arrayParallelism = 4
    let script = job.script
    #expect(script.contains("#SBATCH --array=0-7%4\n"))
    #expect(script.contains("shards=8\n"))
    #expect(script.contains(" --shard \"${SLURM_ARRAY_TASK_ID}/${shards}\" "))
    #expect(!script.contains("SLURM_ARRAY_TASK_COUNT"))
    #expect(script.contains("exec /opt/agora sweep 'a b.yaml' --out Results/t "))
    #expect(script.contains("[ -f /home/me/project/Results/t/sweep.json ] || {"))
    #expect(job.scriptPath == "/home/me/project/Results/t/slurm/sweep.sbatch")
    let shape = try #require(SlurmJob.arrayShape(ofScript: script))
    #expect(shape.shards == 8 && shape.parallelism == 4)
    job.arrayParallelism = nil
    #expect(SlurmJob.arrayShape(ofScript: job.script).map { [$0.shards, $0.parallelism ?? 0] } == [8, 0])
    #expect(SlurmJob.arrayShape(ofScript: "#!/bin/bash\necho hi\n") == nil)

    // Run i belongs to task i mod 8.
    #expect(SlurmJob.tasks(owning: [2, 10, 18, 5, 7, 15, 16], shards: 8) == [0, 2, 5, 7])
    #expect(SlurmJob.arrayList([5, 0, 1, 2, 7, 8, 2]) == "0-2,5,7-8")
    #expect(SlurmJob.arrayList([3], parallelism: 4) == "3")
    #expect(SlurmJob.arrayList([0, 1, 2, 3, 4, 6], parallelism: 4) == "0-4,6%4")
    #expect(
      SlurmJob.resubmitCommand(tasks: [1, 3], scriptPath: "/my runs/slurm/sweep.sbatch")
        == "sbatch --array=1,3 '/my runs/slurm/sweep.sbatch'")
  }

  @Test("a sweep's clean-up removes this host's dead or own temporary transcripts and leaves another host's alone")
  func staleTranscripts() throws {
    let folder = TestSupport.temporaryDirectory()
    let transcripts = folder + "/" + SweepRunner.transcriptFolder
    try FileManager.default.createDirectory(atPath: transcripts, withIntermediateDirectories: true)
    let host = TranscriptFiles.host
    let names = [
      "run-1.jsonl.tmp-\(host).\(getpid())", "run-2.jsonl.tmp-\(host).2147483646",
      "run-3.jsonl.tmp-another-node.2147483646", "run-4.jsonl",
    ]
    for name in names { try Data("x".utf8).write(to: URL(fileURLWithPath: "\(transcripts)/\(name)")) }
    #expect(TranscriptFiles.temporaryName(for: "a/b.jsonl") == "a/b.jsonl.tmp-\(host).\(getpid())")
    SweepFolderLock.removeStaleTemporaryFiles(in: folder)
    let left = try FileManager.default.contentsOfDirectory(atPath: transcripts).sorted()
    #expect(left == ["run-3.jsonl.tmp-another-node.2147483646", "run-4.jsonl"])
  }
}
