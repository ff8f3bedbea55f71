import Agora
import Foundation

// Release-build benchmarks: `swift run -c release AgoraBench [mm1|hold|ultimatum|all]`.
// Each prints what it measured and how long it took; nothing here is a unit test.

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// M/M/1 on the scheduler: 10^6 customers, lambda 0.5, mu 1; the mean wait in queue is rho / (mu - lambda) = 1.
func mm1(customers: Int = 1_000_000) {
  let queue = SingleServerQueue(arrivalRate: 0.5, serviceRate: 1)
  var run = (meanWait: 0.0, events: 0)
  let time = seconds { run = queue.simulate(customers: customers, seed: 11) }
  let expected = queue.expectedWait
  print(
    String(
      format: "mm1: %d customers, mean wait %.4f (analytic %.4f, error %.2f%%), %d events in %.3f s = %.2f M events/s",
      customers, run.meanWait, expected, 100 * abs(run.meanWait - expected) / expected, run.events, time,
      Double(run.events) / time / 1e6))
}

/// The classic hold model: 10^5 pending events, 10^7 hold operations (pop one, push one at now + Exp(1)).
func hold(pending: Int = 100_000, operations: Int = 10_000_000) {
  let stream = RandomStream(seed: 3)
  var queue = EventQueue<Int32>()
  for i in 0..<pending { queue.push(Int32(i), at: stream.exponential(mean: 1)) }
  let time = seconds {
    for _ in 0..<operations {
      let (t, e) = queue.pop()!
      queue.push(e, at: t + stream.exponential(mean: 1))
    }
  }
  print(
    String(
      format: "hold: %d pending, %d operations in %.3f s = %.2f M ops/s", pending, operations, time,
      Double(operations) / time / 1e6))
}

/// Population throughput: the ultimatum scenario at a given size and rounds.
func ultimatum(size: Int, rounds: Int) throws {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  let spec = try ScenarioLoader.load(
    file: root.appendingPathComponent("Scenarios/ultimatum.yaml").path,
    overrides: ["population.size=\(size)", "game.rounds=\(rounds)"])
  let result = try Experiment.run(spec)
  var interactions = 0
  if case .int(let n)? = result["interactions"] { interactions = n }
  let decisions = 2 * interactions
  print(
    String(
      format: "ultimatum: %d agents, %d rounds, %d decisions in %.3f s = %.2f M decisions/s", size, rounds, decisions,
      result.seconds, Double(decisions) / result.seconds / 1e6))
}

let which = CommandLine.arguments.dropFirst().first ?? "all"
if which == "mm1" || which == "all" { mm1() }
if which == "hold" || which == "all" { hold() }
if which == "ultimatum" || which == "all" {
  try ultimatum(size: 100_000, rounds: 50)
}
