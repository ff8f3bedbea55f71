import AgoraCore
import Foundation

/// The run: every civilization's birth, then events in order of time until the horizon.
extension DarkForestRun {
  /// Runs the galaxy to the horizon (`progress` is told the share of time done at each sample).
  public mutating func run(progress: ((Double) -> Void)? = nil) {
    let n = population.count
    let horizon = Double(scenario.game.rounds)
    let births = seeds.stream(for: .environment, index: 2, generator: scenario.generator)
    let nature = seeds.stream(for: .environment, index: 3, generator: scenario.generator)
    let decisions = seeds.stream(for: .decisions, generator: scenario.generator)
    var agenda = DarkForestAgenda(
      position: position, dimensions: spec.dimensions, lightSpeed: spec.lightSpeed, span: max(1, horizon),
      buckets: Self.buckets(spec, civilizations: n, horizon: horizon), horizon: horizon)
    for i in 0..<n {
      let t = births.uniform() < spec.initialShare ? 0 : births.uniform() * horizon
      agenda.schedule(.birth(Int32(i)), at: t)
    }
    agenda.schedule(.sample, at: 0, priority: 5)
    var lastSample = -1.0
    while let due = agenda.next(until: horizon) {
      let now = agenda.now
      prefetch(agenda.upcoming)
      switch due {
      case .event(.birth(let a)):
        let i = Int(a)
        setAlive(i, true)
        bornAt[i] = now
        states[i].updated = now
        counts.born += 1
        agenda.schedule(.decide(a), after: nature.exponential(mean: 1 / spec.decisionRate))
        scheduleLeak(a, agenda: &agenda, nature: nature)
        if spec.breakthroughRate > 0 {
          agenda.schedule(.breakthrough(a), after: nature.exponential(mean: 1 / spec.breakthroughRate))
        }
      case .event(.decide(let a)), .event(.react(let a)):
        let i = Int(a)
        guard states[i].alive else { continue }
        advance(i, to: now)
        guard states[i].alive else { continue }
        decide(i, now: now, agenda: &agenda, stream: decisions, nature: nature)
        if spec.growth == .allocation { allocate(i, stream: decisions) }
        if case .event(.decide) = due {
          agenda.schedule(.decide(a), after: nature.exponential(mean: 1 / spec.decisionRate))
        }
      case .event(.leak(let a)):
        let i = Int(a)
        guard states[i].alive else { continue }
        advance(i, to: now)
        guard states[i].alive else { continue }
        emit(from: i, at: now, scale: spec.detectionScale, agenda: &agenda, nature: nature)
        counts.leaks += 1
        scheduleLeak(a, agenda: &agenda, nature: nature)
      case .event(.breakthrough(let a)):
        let i = Int(a)
        guard states[i].alive else { continue }
        advance(i, to: now)
        states[i].techCap *= DarkForestRun.breakthroughGain
        counts.breakthroughs += 1
        agenda.schedule(.breakthrough(a), after: nature.exponential(mean: 1 / spec.breakthroughRate))
      case .signal(let signal):
        arrive(signal, at: now, agenda: &agenda)
      case .fleet(let fleet):
        resolve(fleet, at: now, agenda: &agenda)
      case .event(.request(let to, let from)):
        answer(Int(to), from: Int(from), at: now, agenda: &agenda, stream: decisions)
      case .event(.reply(let to, let from, let accepted)):
        counts.requestsAnswered += 1
        let i = Int(to)
        let j = Int(from)
        guard accepted, states[i].alive, states[j].alive else { continue }
        advance(i, to: now)
        advance(j, to: now)
        guard states[i].alive, states[j].alive else { continue }
        counts.alliances += 1
        states[i].partners += 1
        states[j].partners += 1
        union(i, j)
      case .event(.sample):
        sample(now)
        lastSample = now
        progress?(now / horizon)
        if now + spec.sampleInterval <= horizon {
          agenda.schedule(.sample, at: now + spec.sampleInterval, priority: 5)
        }
      }
    }
    peakPending = agenda.peakEntries
    peakSignals = agenda.peakSignals
    if lastSample < horizon { sample(horizon) }
    for i in 0..<n where alive[i] { advance(i, to: horizon) }
  }

  /// The buckets of the agenda's calendars over the horizon: about a thousand events a bucket (at the rate of the
  /// civilizations' own events), so that the heap of the current bucket stays in cache.
  static func buckets(_ spec: DarkForestSpec, civilizations n: Int, horizon: Double) -> Int {
    let events = Double(n) * spec.eventsPerCivilization(horizon: horizon) * max(1, horizon)
    return Int(min(Double(1 << 22), max(1, events / 1024)))
  }

  /// Schedules civilization `a`'s next leak, at a rate that grows with its technology and visibility.
  mutating func scheduleLeak(_ a: Int32, agenda: inout DarkForestAgenda, nature: RandomStream) {
    let i = Int(a)
    let rate = spec.leakRate * (self[.technology, of: i] / Resource.technology.baseCapacity) * states[i].visibility
    guard rate > 0 else { return }
    agenda.schedule(.leak(a), after: nature.exponential(mean: 1 / rate))
  }
}
