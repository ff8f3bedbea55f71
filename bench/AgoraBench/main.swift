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
  enum Event { case arrival, departure }
  let lambda = 0.5
  let mu = 1.0
  let arrivals = RandomStream(seed: 11)
  let services = RandomStream(seed: 12)
  var simulation = Simulation<Event>()
  var waiting: [Double] = []
  var head = 0
  var busy = false
  var arrived = 0
  var served = 0
  var totalWait = 0.0
  let time = seconds {
    simulation.schedule(.arrival, at: arrivals.exponential(mean: 1 / lambda))
    while served < customers, let event = simulation.next() {
      switch event {
      case .arrival:
        arrived += 1
        if arrived < customers { simulation.schedule(.arrival, after: arrivals.exponential(mean: 1 / lambda)) }
        if busy {
          waiting.append(simulation.now)
        } else {
          busy = true
          served += 1
          simulation.schedule(.departure, after: services.exponential(mean: 1 / mu))
        }
      case .departure:
        if head < waiting.count {
          totalWait += simulation.now - waiting[head]
          head += 1
          served += 1
          simulation.schedule(.departure, after: services.exponential(mean: 1 / mu))
        } else {
          busy = false
        }
      }
    }
  }
  let expected = (lambda / mu) / (mu - lambda)
  let observed = totalWait / Double(customers)
  print(
    String(
      format: "mm1: %d customers, mean wait %.4f (analytic %.4f, error %.2f%%), %d events in %.3f s = %.2f M events/s",
      customers, observed, expected, 100 * abs(observed - expected) / expected, simulation.processed, time,
      Double(simulation.processed) / time / 1e6))
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
