import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

/// Run seeds of sweeps lie below 2^53, so that the `seed` column reads exactly as int64 and float64 (polars, pyarrow,
/// pandas, R); they still derive from the sweep seed and the run index, and old plans keep their 64-bit seeds.
@Suite("Sweep seeds")
struct SweepSeedTests {
  func plan(repetitions: Int, seed: UInt64 = 9) throws -> SweepPlan {
    var spec = SweepSpec(scenario: "tiny.yaml")
    spec.seed = seed
    spec.parameters = [SweepParameter(key: "game.stake", domain: .values(["10", "100"]))]
    spec.repetitions = repetitions
    return try SweepPlan(spec, template: ScenarioTemplate(yaml: SweepTests.scenario, source: "tiny.yaml"))
  }

  @Test("run seeds are below 2^53, exact as doubles, distinct, and fixed by the sweep seed")
  func below53Bits() throws {
    let plan = try plan(repetitions: 50_000)
    #expect(plan.seedBits == 53)
    let seeds = (0..<plan.runCount).map { plan.run($0).seed }
    #expect(seeds.allSatisfy { $0 < 1 << 53 })
    #expect(seeds.allSatisfy { UInt64(exactly: Double($0)) == $0 && Int64(exactly: $0) != nil })
    #expect(Set(seeds).count == plan.runCount)
    #expect(seeds.max()! >= 1 << 52 && seeds.min()! < 1 << 45, "the seeds spread over the whole 53-bit range")
    for i in [0, 17, 99_999] {
      let key = SeedSequence(master: 9).seed(for: .run)
      #expect(plan.run(i).seed == SeedSequence.mix53(UInt64(i) &+ key))
      #expect(plan.run(i).fields[1].1 == .string(String(plan.run(i).seed)))
      #expect(
        SweepPlan.runSeed(sweepSeed: 9, runIndex: i, bits: 64)
          == SeedSequence(master: 9, runIndex: UInt64(i)).seed(for: .run))
    }
    #expect(try self.plan(repetitions: 50_000).run(4321).seed == plan.run(4321).seed, "fixed by the sweep seed")
    #expect(try self.plan(repetitions: 50_000, seed: 10).run(4321).seed != plan.run(4321).seed)
  }

  @Test("mix53 is a bijection of [0, 2^53): no two inputs share an output, across the wrap too")
  func mix53() {
    let top: UInt64 = 1 << 53
    let inputs =
      Array(0..<UInt64(100_000)) + Array((top - 100_000)..<top)
      + (0..<100_000).map { SeedSequence.mix(UInt64($0)) >> 11 }
    let outputs = inputs.map(SeedSequence.mix53)
    #expect(outputs.allSatisfy { $0 < top })
    #expect(Set(outputs).count == Set(inputs).count)
    #expect(SeedSequence.mix53(top + 5) == SeedSequence.mix53(5), "inputs are taken modulo 2^53")
    let flips = (0..<53).map { bit in (SeedSequence.mix53(12345) ^ SeedSequence.mix53(12345 ^ 1 << bit)).nonzeroBitCount
    }
    #expect(flips.allSatisfy { $0 >= 5 }, "one flipped input bit changes many output bits: \(flips)")
  }

  @Test("a sweep.json without seed_bits (an earlier Agora) keeps its 64-bit run seeds; a new one stores 53")
  func storedPlans() throws {
    let plan = try plan(repetitions: 4)
    let data = try JSONEncoder().encode(plan)
    var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(json["seed_bits"] as? Int == 53)
    #expect(try JSONDecoder().decode(SweepPlan.self, from: data) == plan)
    json["seed_bits"] = nil
    let old = try JSONDecoder().decode(SweepPlan.self, from: JSONSerialization.data(withJSONObject: json))
    #expect(old.seedBits == 64)
    #expect(old.run(3).seed == SeedSequence(master: 9, runIndex: 3).seed(for: .run))
    #expect(old != plan && plan.difference(from: old).contains("64-bit there"))
    json["seed_bits"] = 32
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(SweepPlan.self, from: JSONSerialization.data(withJSONObject: json))
    }
  }

  @Test("a scenario's own seed is the one typed, up to 2^64 - 1")
  func scenarioSeedAsTyped() throws {
    let yaml = SweepTests.scenario.replacingOccurrences(of: "size: 120", with: "size: 20")
    let spec = try ScenarioLoader.load(yaml: yaml, overrides: ["seed=18446744073709551615"])
    #expect(spec.seed == .max)
    let result = try Experiment.run(spec)
    #expect(result["seed"] == .string("18446744073709551615"))
  }

  @Test("agora sweep writes seeds below 2^53 in every file, and run --from-sweep gives the same row")
  func sweepFiles() throws {
    let folder = TestSupport.temporaryDirectory()
    let scenario = folder + "/tiny.yaml"
    try SweepTests.scenario.replacingOccurrences(of: "size: 120", with: "size: 30")
      .write(toFile: scenario, atomically: true, encoding: .utf8)
    let out = folder + "/sweep"
    let (status, output) = try TestSupport.agora(
      [
        "sweep", scenario, "--grid", "game.stake=10,100", "--seeds", "6", "--seed", "18446744073709551557",
        "--keep-steps", "--keep-agents", "--out", out, "--quiet",
      ])
    #expect(status == 0, "\(output)")
    var seen = Set<UInt64>()
    for file in ["summary.csv", "steps.csv", "segments.csv", "agents.csv"] {
      let table = try CSVTable(contentsOf: "\(out)/\(file)")
      let column = try #require(table.columns.firstIndex(of: "seed"), "\(file) has a seed column")
      let seeds = table.rows.map { UInt64($0[column]) }
      #expect(!seeds.isEmpty && seeds.allSatisfy { $0 != nil && $0! < 1 << 53 }, "\(file)")
      seen.formUnion(seeds.compactMap { $0 })
    }
    #expect(seen.count == 12, "one seed per run, the same in every file")
    let rerun = try TestSupport.agora(["run", "--from-sweep", out, "--run-index", "7", "--quiet"])
    #expect(rerun.status == 0, "\(rerun.output)")
    let lines = { (path: String) in String(decoding: TestSupport.bytes(path), as: UTF8.self).split(separator: "\n") }
    #expect(lines(out + "/runs/run-7/summary.csv")[1] == lines(out + "/summary.csv")[8])
    let seven = SweepPlan.runSeed(sweepSeed: 18_446_744_073_709_551_557, runIndex: 7)
    #expect(lines(out + "/runs/run-7/summary.csv")[1].hasPrefix("7,\(seven),"))
  }
}
