/// The dark forest's pending events, ordered as AgoraCore's `EventQueue` orders them — by time, then priority, then
/// the order they were scheduled in — but with the detections of one emission kept together, as a wave.
///
/// An emission is detected by every civilization around the emitter that draws a detection, and each detection
/// arrives `distance / light_speed` later. Queued as one entry each, the detections made the queue grow with the
/// civilizations times their density, 64 bytes each. A wave keeps its receivers sorted by arrival, 4 bytes each (in
/// ``DarkForestWaves``), and has one entry for its next arrival in a heap of waves (`fronts`, small: the emissions in
/// flight), keyed by the first sequence number of the emission's block. Two emissions' blocks never interleave, so
/// each comparison comes out as it did when every detection had its own sequence number, and the events come out in
/// the same order.
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

  /// A wave's entry: the arrival time of its next receiver, and the first sequence number of its block.
  struct WaveEntry: TimedEntry {
    var time: Double
    var order: UInt64
    var slot: Int32
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
  private var events = QuaternaryHeap<Entry>()
  /// The events scheduled for the current time at priority 0 (reactions to news), in the order they were scheduled,
  /// which is their order among themselves: they wait in line rather than in the heap, and the first not yet removed,
  /// `immediate[head]`, is compared with the heaps' first entries.
  private var immediate: [Entry] = []
  private var head = 0
  private var fronts = QuaternaryHeap<WaveEntry>()
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

  init(position: [Double], dimensions: Int, lightSpeed: Double, capacity: Int) {
    (self.position, self.dimensions) = (position, dimensions)
    self.lightSpeed = lightSpeed
    events.reserveCapacity(capacity)
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
    push(.fleet(fleets.insert(fleet)), at: now + max(0, delay), priority: 0)
  }

  /// Schedules the detections of an emission, `arrivals` in the order they were drawn (it sorts them by arrival):
  /// they take as many sequence numbers as they would have taken one at a time.
  mutating func schedule(
    wave arrivals: inout [Arrival], from: Int32, origin: Int32, military: Double, emitted: Double
  ) {
    guard !arrivals.isEmpty else { return }
    arrivals.sort { $0.time < $1.time || ($0.time == $1.time && $0.index < $1.index) }
    precondition(arrivals[0].time >= now, "cannot schedule an event in the past (\(arrivals[0].time) < \(now))")
    let slot = waves.insert(from: from, origin: origin, military: military, emitted: emitted, arrivals: arrivals)
    fronts.insert(WaveEntry(time: arrivals[0].time, order: sequence, slot: slot))
    sequence &+= UInt64(arrivals.count)
    peakSignals = max(peakSignals, waves.inFlight)
    peakEntries = max(peakEntries, events.count + fronts.count + immediate.count - head)
  }

  /// Removes the next event at or before `horizon` and advances the clock to it; nil when none is left in time.
  mutating func next(until horizon: Double) -> Due? {
    if head < immediate.count {
      let e = immediate[head]
      if !(fronts.first?.precedes(e) ?? false) && !(events.first?.precedes(e) ?? false) {
        guard e.time <= horizon else { return nil }
        head += 1
        if head == immediate.count { (head, immediate) = (0, []) }
        return due(e)
      }
    }
    if let w = fronts.first, events.first.map({ w.precedes($0) }) ?? true {
      guard w.time <= horizon else { return nil }
      now = w.time
      return .signal(arrive(w))
    }
    guard let top = events.first, top.time <= horizon else { return nil }
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
    let (w, to, following) = waves.advance(top.slot)
    let signal = Signal(to: to, from: w.from, origin: w.origin, military: w.military, emitted: w.emitted)
    if let following {
      fronts.replaceFirst(
        with: WaveEntry(
          time: arrival(emitted: w.emitted, distance: distance(w.origin, following)), order: top.order,
          slot: top.slot))
    } else {
      waves.remove(top.slot)
      fronts.removeFirst()
    }
    return signal
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
    // An event for now comes after everything else now scheduled before it: it waits in line, not in the heap.
    if time == now && priority == 0 {
      immediate.append(entry)
    } else {
      events.insert(entry)
    }
    peakEntries = max(peakEntries, events.count + fronts.count + immediate.count - head)
  }
}
