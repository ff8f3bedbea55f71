import CGSL

/// The dark forest's pending events, ordered as AgoraCore's `EventQueue` orders them — by time, then priority, then
/// the order they were scheduled in — but with the detections of one emission kept together, as a wave.
///
/// An emission is detected by every civilization around the emitter that draws a detection, and each detection
/// arrives `distance / light_speed` later. Queued as one entry each, the detections made the queue grow with the
/// civilizations times their density, 64 bytes each. A wave keeps its receivers sorted by arrival, 4 bytes each (in
/// ``DarkForestWaves``), and has one entry for its next arrival (`fronts`: the emissions in flight), keyed by the
/// first sequence number of the emission's block and carrying the wave's news. Two emissions' blocks never
/// interleave, so each comparison comes out as it did when every detection had its own sequence number, and the
/// events come out in the same order. Events and fronts wait in calendars (``CalendarQueue``), which pop in a heap's
/// order without a heap's cache misses over millions of entries.
struct DarkForestAgenda {
  /// An event's entry: `order` is the priority in the top byte and the sequence number below it.
  struct Entry: TimedEntry {
    var time: Double
    var order: UInt64
    var item: Item
  }

  /// What an event's entry holds: an event, or the number of a fleet stored beside the heap.
  enum Item {
    case event(DarkForestRun.Event)
    case fleet(Int32)
  }

  /// A wave's entry: the arrival time of its next receiver `to`, the first sequence number of its block, its news
  /// (of `from`, its military then, emitted at `emitted` from `origin`), the receiver after `to` (`after`, -1 for
  /// none), and where the ones after that lie in ``DarkForestWaves``' buffer (`rest ..< end`). An arrival reads
  /// nothing else of the wave, and what the following one will read is known as soon as the entry is first in line
  /// (see ``upcoming``).
  struct WaveEntry: TimedEntry {
    var time: Double
    var order: UInt64
    var from: Int32, origin: Int32
    var military: Double, emitted: Double
    var to: Int32, after: Int32
    var rest: Int32, end: Int32
  }

  /// What ``next(until:)`` hands back.
  enum Due {
    case event(DarkForestRun.Event)
    case fleet(Fleet)
    case signal(Signal)
  }

  /// A fleet on its way: its strength at launch and the defender's military then.
  struct Fleet {
    var attacker: Int32, defender: Int32
    var strength: Double, launched: Double, defenderAtLaunch: Double
  }

  /// A signal reaching `to`: news of `from` (its military then), emitted at `emitted` from `origin` (the emitter, or
  /// the battle that revealed a striker).
  struct Signal {
    var to: Int32, from: Int32, origin: Int32
    var military: Double, emitted: Double
  }

  /// A detection drawn by ``DarkForestRun``, before its emission's wave is scheduled: its arrival time, its place
  /// among the emission's detections, and its receiver.
  struct Arrival {
    var time: Double
    var index: Int32
    var to: Int32
  }

  private(set) var now = 0.0
  private var events: CalendarQueue<Entry>
  /// The events scheduled for the current time at priority 0 (reactions to news), in the order they were scheduled,
  /// which is their order among themselves: they wait in line rather than in the calendar, and the first not yet
  /// removed, `immediate[head]`, is compared with the calendars' first entries.
  private var immediate: [Entry] = []
  private var head = 0
  private var fronts: CalendarQueue<WaveEntry>
  private var sequence: UInt64 = 0
  private var fleets = Slots<Fleet>()
  private var waves = DarkForestWaves()
  /// Where civilizations are and how fast signals travel: a wave's arrival times are computed again from them rather
  /// than stored.
  private let position: [Double]
  private let dimensions: Int
  private let lightSpeed: Double
  /// The most entries held at once (a wave counting once), and the most detections in flight.
  private(set) var peakEntries = 0, peakSignals = 0

  /// The time after which nothing will be asked for (``next(until:)`` is never given a later one): what is due
  /// after it is not kept.
  private let horizon: Double

  /// An agenda whose calendars have `buckets` buckets over times `0 ..< span` (later entries wait in a heap), for a
  /// run that ends at `horizon`.
  init(
    position: [Double], dimensions: Int, lightSpeed: Double, span: Double, buckets: Int,
    horizon: Double = .infinity
  ) {
    (self.position, self.dimensions) = (position, dimensions)
    self.lightSpeed = lightSpeed
    self.horizon = horizon
    events = CalendarQueue(span: span, buckets: buckets)
    fronts = CalendarQueue(span: span, buckets: buckets)
  }

  /// When a signal travelling `d` from an emission at `emitted` arrives (as `Simulation.schedule(after:)` computes it).
  @inline(__always) func arrival(emitted: Double, distance d: Double) -> Double { emitted + max(0, d / lightSpeed) }

  /// Schedules `event` at `time` (not before now); a lower `priority` runs first among events at the same time.
  mutating func schedule(_ event: DarkForestRun.Event, at time: Double, priority: UInt8 = 0) {
    push(.event(event), at: time, priority: priority)
  }

  /// Schedules `event` `delay` time units from now.
  mutating func schedule(_ event: DarkForestRun.Event, after delay: Double) {
    push(.event(event), at: now + max(0, delay), priority: 0)
  }

  /// Schedules a fleet's arrival `delay` time units from now.
  mutating func schedule(_ fleet: Fleet, after delay: Double) {
    let time = now + max(0, delay)
    push(time <= horizon ? .fleet(fleets.insert(fleet)) : .fleet(-1), at: time, priority: 0)
  }

  /// Schedules the detections of an emission, `arrivals` in the order they were drawn (it sorts them by arrival):
  /// they take as many sequence numbers as they would have taken one at a time.
  mutating func schedule(
    wave arrivals: inout [Arrival], from: Int32, origin: Int32, military: Double, emitted: Double
  ) {
    guard !arrivals.isEmpty else { return }
    arrivals.sort { $0.time < $1.time || ($0.time == $1.time && $0.index < $1.index) }
    precondition(arrivals[0].time >= now, "cannot schedule an event in the past (\(arrivals[0].time) < \(now))")
    let order = sequence
    sequence &+= UInt64(arrivals.count)
    // The detections after the horizon never arrive.
    while let last = arrivals.last, last.time > horizon { arrivals.removeLast() }
    guard !arrivals.isEmpty else { return }
    let (rest, end) = waves.insert(arrivals, fronts: &fronts)
    fronts.insert(
      WaveEntry(
        time: arrivals[0].time, order: order, from: from, origin: origin, military: military, emitted: emitted,
        to: arrivals[0].to, after: arrivals.count > 1 ? arrivals[1].to : -1, rest: rest, end: end))
    peakSignals = max(peakSignals, waves.inFlight)
    peakEntries = max(peakEntries, events.count + fronts.count + immediate.count - head)
  }

  /// Removes the next event at or before `horizon` and advances the clock to it; nil when none is left in time.
  mutating func next(until horizon: Double) -> Due? {
    let wave = fronts.peek()
    let event = events.peek()
    if head < immediate.count {
      let e = immediate[head]
      if !(wave?.precedes(e) ?? false) && !(event?.precedes(e) ?? false) {
        guard e.time <= horizon else { return nil }
        head += 1
        if head == immediate.count {
          head = 0
          immediate.removeAll(keepingCapacity: true)
        }
        return due(e)
      }
    }
    if let w = wave, event.map({ w.precedes($0) }) ?? true {
      guard w.time <= horizon else { return nil }
      now = w.time
      return .signal(arrive(w))
    }
    guard let top = event, top.time <= horizon else { return nil }
    events.removeFirst()
    return due(top)
  }

  /// What an event's entry, just removed, hands back; the clock moves to it.
  private mutating func due(_ entry: Entry) -> Due {
    now = entry.time
    switch entry.item {
    case .event(let event): return .event(event)
    case .fleet(let slot): return .fleet(fleets.remove(slot))
    }
  }

  /// The signal of the next receiver of the wave at the top of `fronts`; the wave moves on to its following receiver.
  private mutating func arrive(_ top: WaveEntry) -> Signal {
    waves.arrived()
    let signal = Signal(to: top.to, from: top.from, origin: top.origin, military: top.military, emitted: top.emitted)
    if top.after >= 0 {
      var wave = top
      wave.to = top.after
      wave.time = arrival(emitted: top.emitted, distance: distance(top.origin, top.after))
      if wave.rest < wave.end {
        wave.after = waves[wave.rest]
        wave.rest += 1
      } else {
        wave.after = -1
      }
      fronts.replaceFirst(with: wave)
    } else {
      fronts.removeFirst()
    }
    return signal
  }

  /// How many removals ahead the agenda asks for the memory of a detection, and of an event: about the time a
  /// fetch from memory takes, in entries handled (detections are twice as many, and quicker).
  static let detectionsAhead = 12, eventsAhead = 6

  /// What the next entries of the agenda are about: the receivers of two detections soon to arrive, and three
  /// events soon due: the first reaction waiting for now, and the events ``eventsAhead`` and half as many places on
  /// (-1 and nil for none).
  struct Upcoming {
    var receivers: (Int32, Int32) = (-1, -1)
    var events: (DarkForestRun.Event?, DarkForestRun.Event?, DarkForestRun.Event?) = (nil, nil, nil)
  }

  /// What comes a little later, so that the run can ask for the memory it will touch ahead of time: the detections
  /// ``detectionsAhead`` places on in the waves' sorted run and the first that came late for the current bucket, and
  /// the event ``eventsAhead`` places on and the first reaction waiting for now. The agenda asks for its own memory:
  /// those waves' origins, next positions and receivers.
  var upcoming: Upcoming {
    var next = Upcoming()
    position.withUnsafeBufferPointer { position in
      func wave(_ w: WaveEntry?) -> Int32 {
        guard let w else { return -1 }
        if w.after >= 0 {
          agora_prefetch(position.baseAddress! + Int(w.origin) * dimensions)
          agora_prefetch(position.baseAddress! + Int(w.after) * dimensions)
        }
        if w.rest < w.end { waves.prefetch(w.rest) }
        return w.to
      }
      next.receivers = (wave(fronts.lookahead(Self.detectionsAhead)), wave(fronts.firstLate))
    }
    if head < immediate.count, case .event(let e) = immediate[head].item { next.events.0 = e }
    if let entry = events.lookahead(Self.eventsAhead), case .event(let e) = entry.item { next.events.1 = e }
    if let entry = events.lookahead(Self.eventsAhead / 2), case .event(let e) = entry.item { next.events.2 = e }
    return next
  }

  /// The distance between civilizations `i` and `j`, computed as ``DarkForestRun/distance(_:_:)`` does.
  @inline(__always) private func distance(_ i: Int32, _ j: Int32) -> Double {
    DarkForestRun.distance(position, dimensions, Int(i), Int(j))
  }

  private mutating func push(_ item: Item, at time: Double, priority: UInt8) {
    precondition(time >= now, "cannot schedule an event in the past (\(time) < \(now))")
    precondition(sequence < 1 << 56, "more than 2^56 events")
    let entry = Entry(time: time, order: UInt64(priority) << 56 | sequence, item: item)
    sequence &+= 1
    guard time <= horizon else { return }
    // An event for now comes after everything else now scheduled before it: it waits in line, not in the heap.
    if time == now && priority == 0 {
      immediate.append(entry)
    } else {
      events.insert(entry)
    }
    peakEntries = max(peakEntries, events.count + fronts.count + immediate.count - head)
  }
}
