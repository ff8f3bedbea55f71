import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraModels
@testable import AgoraOutput
@testable import AgoraScenario
@testable import AgoraSweep

@Suite("Scheduler")
struct SchedulerTests {
  @Test("events pop in (time, priority, insertion) order, matching a sorted reference")
  func orderingMatchesReference() {
    let stream = RandomStream(seed: 1)
    var queue = EventQueue<Int>()
    var reference: [(Double, Int32, Int)] = []
    for id in 0..<20_000 {
      let time = Double(stream.integer(below: 50))  // many ties in time
      let priority = Int32(stream.integer(below: 3))
      queue.push(id, at: time, priority: priority)
      reference.append((time, priority, id))
    }
    reference.sort { a, b in a.0 != b.0 ? a.0 < b.0 : (a.1 != b.1 ? a.1 < b.1 : a.2 < b.2) }
    var popped: [Int] = []
    while let (_, id) = queue.pop() { popped.append(id) }
    #expect(popped == reference.map(\.2))
  }

  @Test("interleaved pushes and pops keep the order")
  func interleaved() {
    let stream = RandomStream(seed: 2)
    var queue = EventQueue<Double>()
    var last = -Double.infinity
    for _ in 0..<1000 { queue.push(0, at: stream.uniform() * 10) }
    for _ in 0..<50_000 {
      let (t, _) = queue.pop()!
      #expect(t >= last)
      last = t
      queue.push(0, at: t + stream.exponential(mean: 1))
    }
  }

  @Test("cancelled events never run; the others all do")
  func cancellation() {
    var queue = EventQueue<Int>()
    var ids: [EventID] = []
    for i in 0..<100 { ids.append(queue.push(i, at: Double(i % 10))) }
    for i in stride(from: 0, to: 100, by: 3) { queue.cancel(ids[i]) }
    queue.cancel(ids[0])
    var seen = Set<Int>()
    while let (_, i) = queue.pop() { seen.insert(i) }
    #expect(seen == Set((0..<100).filter { $0 % 3 != 0 }))
    let drained = queue.isEmpty
    #expect(drained)
    let late = queue.push(7, at: 1)
    queue.cancel(late)
    let empty = queue.isEmpty
    #expect(empty, "a queue holding only a cancelled event is empty")
  }

  @Test("run(until:) stops at the horizon and leaves later events pending")
  func horizon() {
    var simulation = Simulation<Int>()
    for t in 1...10 { simulation.schedule(t, at: Double(t)) }
    var ran: [Int] = []
    simulation.run(until: 5.5) { sim, e in
      ran.append(e)
      if e == 2 { sim.schedule(100, after: 0.25) }
    }
    #expect(ran == [1, 2, 100, 3, 4, 5])
    #expect(simulation.now == 5.5)
    #expect(simulation.pendingCount == 5)
  }

  @Test("an M/M/1 queue's mean wait matches rho / (mu - lambda) within 3% over 10^6 customers")
  func mm1() {
    let queue = SingleServerQueue(arrivalRate: 0.5, serviceRate: 1)
    let observed = queue.simulate(customers: 1_000_000, seed: 11).meanWait
    #expect(queue.expectedWait == 1)
    #expect(abs(observed - queue.expectedWait) / queue.expectedWait < 0.03, "mean wait \(observed)")
  }
}
