import AgoraCore
import CGSL
import DequeModule
import Dispatch

/// Asynchronous play: Poisson wake-ups with decision latencies, on the event scheduler.
extension DivisionRun {
  enum AsyncEvent {
    case wake(Int32)
    case propose(Int32, Int32)
    case respond(Int32, Int32, Int32)
    case sample(Int)
  }

  mutating func runAsynchronous(events: InteractionSink?, progress: Progress?) throws {
    let n = population.count
    let horizon = Double(scenario.game.rounds)
    let spec = scenario.matching
    let wakeMean = 1 / spec.rate
    let matching = stream(.matching)
    let latency = stream(.latency)
    let latencyDistribution = spec.latency
    func delay() -> Double { max(0, latencyDistribution.sample(latency)) }
    let blocks = (n + Self.blockSize - 1) / Self.blockSize
    decisionStreams = (0..<blocks).map { stream(.decisions, $0) }
    let fixedRoles = game.spec.roles == .fixed
    let proposesWhenFixed = (0..<n).map(population.isEvenInSegment)
    var busy = [Bool](repeating: false, count: n)
    var waitingProposers = Deque<Int32>()
    var waitingResponders = Deque<Int32>()
    var waiting: Int32 = -1
    var simulation = Simulation<AsyncEvent>()
    for i in 0..<n { simulation.schedule(.wake(Int32(i)), at: matching.exponential(mean: wakeMean)) }
    simulation.schedule(.sample(1), at: min(spec.sampleInterval, horizon), priority: 1)
    var last = total
    while let event = simulation.next(until: horizon) {
      switch event {
      case .wake(let a):
        let i = Int(a)
        simulation.schedule(.wake(a), after: matching.exponential(mean: wakeMean))
        guard !busy[i] else { continue }
        busy[i] = true
        if fixedRoles {
          if proposesWhenFixed[i] {
            if let r = waitingResponders.popFirst() {
              simulation.schedule(.propose(a, r), after: delay())
            } else {
              waitingProposers.append(a)
            }
          } else if let p = waitingProposers.popFirst() {
            simulation.schedule(.propose(p, a), after: delay())
          } else {
            waitingResponders.append(a)
          }
        } else if waiting < 0 {
          waiting = a
        } else {
          let other = waiting
          waiting = -1
          let firstProposes = matching.integer(below: 2) == 0
          simulation.schedule(firstProposes ? .propose(other, a) : .propose(a, other), after: delay())
        }
      case .propose(let p, let r):
        let i = Int(p)
        languageModel?.locate(round: Int(simulation.now) + 1, group: -1)
        let k = propose(proposer: i, stream: decisionStreams[i / Self.blockSize])
        simulation.schedule(.respond(p, r, Int32(k)), after: game.responderDecides ? delay() : 0)
      case .respond(let p, let r, let k):
        let i = Int(p)
        let j = Int(r)
        languageModel?.locate(round: Int(simulation.now) + 1, group: -1)
        let accepted = respond(responder: j, offer: Int(k), stream: decisionStreams[j / Self.blockSize])
        resolve(proposer: i, responder: j, offer: Int(k), accepted: accepted)
        if lastOffers != nil { lastOffers![i] = shares[Int(k)] }
        busy[i] = false
        busy[j] = false
        try events?(
          interaction(time: simulation.now, proposer: i, responder: j, share: shares[Int(k)], accepted: accepted))
      case .sample(let s):
        let tally = total.minus(last)
        last = total
        recordStep(s, time: simulation.now, tally)
        let lastSample = simulation.now < horizon ? Int.max : s
        try setup?.recordAgents(
          step: s, last: lastSample, payoffs: { payoffs }, interactions: { interactions },
          values: { agentStepValues($0) })
        if tally.interactions > 0 { norm = tally.meanOffer }
        progress?(simulation.now / horizon)
        if simulation.now < horizon {
          simulation.schedule(.sample(s + 1), at: min(Double(s + 1) * spec.sampleInterval, horizon), priority: 1)
        }
      }
    }
  }
}
