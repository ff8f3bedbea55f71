import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraModels
@testable import AgoraScenario

/// The dark forest at scale: its event queue keeps the detections of an emission together (a wave) and must pop
/// everything in exactly the order one entry a detection would; its grid must search the cells in the order the
/// detections are drawn in; and its memory must grow near linearly with the civilizations in a fixed region.
@Suite("Civilizations: dark forest at scale")
struct DarkForestScalingTests {
  /// Civilizations on an integer lattice (so that many distances, and arrival times, tie exactly).
  static func lattice(_ n: Int, side: Int, dimensions: Int, stream: RandomStream) -> [Double] {
    (0..<(n * dimensions)).map { _ in Double(stream.integer(below: side)) }
  }

  /// The agendas checked: a calendar of one bucket, of buckets a few entries wide, of buckets past most of the run
  /// (so the far heap takes the rest), and one that drops what comes after a horizon in the middle of the run.
  static let agendas: [(buckets: Int, span: Double, horizon: Double)] = [
    (1, 25, .infinity), (50, 25, .infinity), (400, 10, .infinity), (97, 25, 12),
  ]

  @Test(
    "the queue pops events and waves in the order of one entry a detection: by time, priority, then scheduling",
    arguments: [2, 3], agendas.indices)
  func agendaOrder(dimensions: Int, variant: Int) {
    let (buckets, span, horizon) = Self.agendas[variant]
    let stream = RandomStream(seed: UInt64(17 + dimensions))
    let n = 300
    let position = Self.lattice(n, side: 12, dimensions: dimensions, stream: stream)
    let grid = SpatialGrid(positions: position, dimensions: dimensions, region: 12, cell: 4)
    var agenda = DarkForestAgenda(
      position: position, dimensions: dimensions, lightSpeed: 1, span: span, buckets: buckets, horizon: horizon)
    /// What an entry is: an event (`a` its number) or the detection of wave `a` by civilization `b`.
    struct Item: Equatable { var wave: Bool, a: Int32, b: Int32 }
    var reference = EventQueue<Item>()
    var now = 0.0
    var popped = 0
    var waves: Int32 = 0
    var events: Int32 = 0
    var shuffler = Self.Generator(stream)
    func pop() {
      let mine = agenda.next(until: horizon)
      let theirs = reference.peekTime().map { $0 <= horizon } ?? false ? reference.pop() : nil
      var got: Item? = nil
      switch mine {
      case .event(.birth(let a))?: got = Item(wave: false, a: a, b: 0)
      case .signal(let s)?: got = Item(wave: true, a: s.from, b: s.to)
      case nil: got = nil
      default: Issue.record("an event that was never scheduled: \(String(describing: mine))")
      }
      #expect(got == theirs?.payload, "pop \(popped)")
      #expect(agenda.now == (theirs?.time ?? agenda.now))
      now = agenda.now
      popped += 1
    }
    for _ in 0..<4000 {
      switch stream.integer(below: 10) {
      case 0..<3:
        // An event at a whole time from now (ties with other events and with detections at whole distances).
        let time = now + Double(stream.integer(below: 4))
        let priority = UInt8(stream.integer(below: 3) == 0 ? 5 : 0)
        agenda.schedule(.birth(events), at: time, priority: priority)
        reference.push(Item(wave: false, a: events, b: 0), at: time, priority: Int32(priority))
        events += 1
      case 3..<5:
        // An emission from a random civilization, detected by a random subset, in a random order.
        let origin = stream.integer(below: n)
        var arrivals: [DarkForestAgenda.Arrival] = []
        for m in (0..<n).shuffled(using: &shuffler) where stream.uniform() < 0.2 {
          let j = grid.members[m]
          let away = DarkForestRun.distance(position, dimensions, origin, Int(j))
          let time = agenda.arrival(emitted: now, distance: away)
          arrivals.append(.init(time: time, index: Int32(arrivals.count), to: j))
          reference.push(Item(wave: true, a: waves, b: j), at: time)
        }
        agenda.schedule(wave: &arrivals, from: waves, origin: Int32(origin), military: 1, emitted: now)
        waves += 1
      default:
        pop()
      }
    }
    while let time = reference.peekTime(), time <= horizon { pop() }
    #expect(agenda.next(until: horizon) == nil)
    #expect(waves > 500 && popped > (horizon.isFinite ? 3_000 : 10_000))
    // The run's clock reaches about 21: past the calendar's span in the third agenda, past the horizon in the last.
    #expect(now > (horizon.isFinite ? horizon - 1 : 15))
  }

  @Test("a calendar pops in a heap's order, ties in time included, and its sort orders any bucket")
  func calendarOrder() {
    struct Entry: TimedEntry, Equatable { var time: Double, order: UInt64 }
    let stream = RandomStream(seed: 41)
    // Times on a coarse grid (many ties, ordered by `order`, scheduled out of order), some past the span.
    var calendar = CalendarQueue<Entry>(span: 50, buckets: 64)
    var heap = QuaternaryHeap<Entry>()
    var now = 0.0
    var orders = Array(UInt64(0)..<200_000)
    var shuffler = Self.Generator(stream)
    orders.shuffle(using: &shuffler)
    var next = 0
    var popped = 0
    for _ in 0..<150_000 {
      if stream.uniform() < 0.55 {
        let e = Entry(time: now + Double(stream.integer(below: 40)) / 8, order: orders[next])
        next += 1
        calendar.insert(e)
        heap.insert(e)
      } else if let mine = calendar.peek() {
        #expect(mine == heap.first)
        now = mine.time
        calendar.removeFirst()
        heap.removeFirst()
        popped += 1
      }
    }
    while let mine = calendar.peek() {
      #expect(mine == heap.first)
      calendar.removeFirst()
      heap.removeFirst()
      popped += 1
    }
    #expect(heap.count == 0 && calendar.isEmpty && popped > 60_000 && now > 60)
    // The quicksort behind a bucket that insertion sort gives up on (reversed, with ties in time).
    var entries: [Entry] = (0..<5000).map { k in
      let time = Double((5000 - k) / 7)
      return Entry(time: time, order: UInt64(10_000 - k))
    }
    entries.withUnsafeMutableBufferPointer { CalendarQueue<Entry>.sort($0) }
    #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.precedes($1) })
  }

  @Test("inline draws are the stream's: taus2 inline, kept or skipped, and any other generator through GSL")
  func uniformDraws() {
    for generator in [RandomGenerator.taus2, .mt19937] {
      let mine = RandomStream(generator: generator, seed: 99)
      let theirs = RandomStream(generator: generator, seed: 99)
      let coin = RandomStream(seed: 5)
      for round in 0..<200 {
        var draws = UniformDraws(mine)
        for _ in 0..<500 {
          let take = coin.uniform() < 0.7
          let u = draws.next(if: take)
          if take { #expect(u == theirs.uniform(), "round \(round)") }
        }
        #expect(draws.next() == theirs.uniform())
        draws.finish()
        // Between rounds the stream is drawn from directly: the inline state went back to it.
        #expect(mine.uniform() == theirs.uniform())
      }
    }
  }

  @Test("the bound of a detection's probability by squared distance is never below the probability")
  func squaredBounds() {
    let stream = RandomStream(seed: 7)
    let bounds = DarkForestRun.squaredBounds
    let last = Double(bounds.count - 1)
    for scale in [1.0, 50, 100, 1e-3, 7.5e5] {
      let steps = Double(DarkForestRun.squaredSteps) / (scale * scale)
      for k in 0..<20_000 {
        // Uniform over 20 scales, plus the edges of the bins.
        let edge = Double(k - 10_000) / Double(DarkForestRun.squaredSteps)
        let d = k < 10_000 ? stream.uniform() * 20 * scale : scale * edge.squareRoot()
        let s = d * d
        let k = DarkForestRun.boundIndex(s * steps, last: last)
        #expect(k == Int(min(last, s * steps).rounded(.toNearestOrEven)))
        let bound = bounds[k]
        #expect(exp(-s.squareRoot() / scale) <= bound, "distance \(d) at scale \(scale)")
      }
    }
  }

  @Test("a disc's cells hold every civilization within its radius, in the order of the cells around it")
  func gridDisc() {
    let stream = RandomStream(seed: 31)
    for dimensions in [2, 3] {
      let (n, region) = (3000, 100.0)
      let position = Self.galaxy(n, dimensions: dimensions, region: region, stream: stream)
      let grid = SpatialGrid(positions: position, dimensions: dimensions, region: region, cell: 20)
      for _ in 0..<200 {
        let i = stream.integer(below: n)
        let radius = [0.5, 5, 19.9, 20, 35][stream.integer(below: 5)]
        let near = { (rows: SpatialGrid.Rows) in
          rows.flatMap { $0.map { Int(grid.members[$0]) } }.filter {
            DarkForestRun.distance(position, dimensions, i, $0) <= radius
          }
        }
        let disc = near(grid.rows(overlapping: radius, around: i))
        let box = near(grid.rows(around: i, within: radius))
        let all = (0..<n).filter { DarkForestRun.distance(position, dimensions, i, $0) <= radius }
        #expect(disc == box && Set(disc) == Set(all))
        #expect(
          grid.rows(overlapping: radius, around: i).map(\.count).reduce(0, +)
            <= grid.rows(around: i, within: radius).map(\.count).reduce(0, +))
      }
    }
  }

  /// `n` positions drawn uniformly in a region of side `region`, `dimensions` coordinates each (the grid tests').
  static func galaxy(_ n: Int, dimensions: Int, region: Double, stream: RandomStream) -> [Double] {
    (0..<(n * dimensions)).map { _ in stream.uniform() * region }
  }

  /// A `RandomNumberGenerator` over a stream, for `shuffled(using:)`.
  struct Generator: RandomNumberGenerator {
    let stream: RandomStream
    init(_ stream: RandomStream) { self.stream = stream }
    mutating func next() -> UInt64 {
      UInt64(stream.uniform() * 0x1_0000_0000) << 32 | UInt64(stream.uniform() * 0x1_0000_0000)
    }
  }

  @Test("the grid's rows hold the civilizations of the cells within reach, in the order of the cells' index and of id")
  func gridOrder() {
    let stream = RandomStream(seed: 29)
    for dimensions in [2, 3] {
      let (n, region) = (2000, 100.0)
      let position = Self.galaxy(n, dimensions: dimensions, region: region, stream: stream)
      for cell in [7.0, 30.0, 100.0, 250.0] {
        let grid = SpatialGrid(positions: position, dimensions: dimensions, region: region, cell: cell)
        for _ in 0..<20 {
          let i = stream.integer(below: n)
          let radius = [cell / 2, cell, 2.5 * cell, 10 * region][stream.integer(below: 4)]
          let rows = grid.rows(around: i, within: radius).flatMap { $0.map { Int(grid.members[$0]) } }
          #expect(
            rows
              == Self.near(
                i, within: radius, position: position, dimensions: dimensions, cell: grid.cell,
                side: grid.side))
          for m in grid.rows(around: i, within: radius).joined() {
            let j = Int(grid.members[m])
            for k in 0..<dimensions { #expect(grid.coordinates[m * dimensions + k] == position[j * dimensions + k]) }
          }
        }
      }
    }
  }

  /// The civilizations in the cells within `radius` of civilization `i`, by a walk over every cell index in order.
  static func near(
    _ i: Int, within radius: Double, position: [Double], dimensions: Int, cell: Double, side: Int
  ) -> [Int] {
    func home(_ j: Int) -> [Int] { (0..<dimensions).map { min(side - 1, Int(position[j * dimensions + $0] / cell)) } }
    let reach = radius / cell < Double(side) ? Int((radius / cell).rounded(.up)) : side
    let center = home(i)
    let n = position.count / dimensions
    var cells: [Int: [Int]] = [:]
    for j in 0..<n {
      let h = home(j)
      guard zip(h, center).allSatisfy({ abs($0 - $1) <= reach }) else { continue }
      let index = h.reversed().reduce(0) { $0 * side + $1 }
      cells[index, default: []].append(j)
    }
    return cells.keys.sorted().flatMap { cells[$0]! }
  }

  /// A galaxy of the memory check: the shipped file's model, denser and with slower light so that many detections
  /// are in flight at once (about 10 a civilization at 5,000), at `size` civilizations in the same region.
  func galaxy(_ size: Int) throws -> DarkForestRun {
    let spec = try ScenarioLoader.load(
      file: TestSupport.repositoryRoot.appendingPathComponent("Scenarios/dark-forest.yaml").path,
      overrides: [
        "population.size=\(size)", "game.dark_forest.region=2000", "game.dark_forest.light_speed=25",
        "game.dark_forest.fleet_speed=2.5", "game.rounds=15",
      ])
    let seeds = SeedSequence(master: spec.seed)
    var run = DarkForestRun(
      scenario: spec, population: Population(spec: spec.population, seeds: seeds, generator: spec.generator),
      seeds: seeds)
    run.run()
    return run
  }

  /// The shipped file's galaxy at `size` civilizations and its density (its region's side grows as the square root
  /// of the civilizations, as an agent-based model is scaled; or `region`), over `rounds` time units.
  func denseGalaxy(_ size: Int, region: Double? = nil, rounds: Int = 20) throws -> DarkForestRun {
    let side = region ?? 10_000 * (Double(size) / 100_000).squareRoot()
    let spec = try ScenarioLoader.load(
      file: TestSupport.repositoryRoot.appendingPathComponent("Scenarios/dark-forest.yaml").path,
      overrides: ["population.size=\(size)", "game.dark_forest.region=\(side)", "game.rounds=\(rounds)"])
    let seeds = SeedSequence(master: spec.seed)
    var run = DarkForestRun(
      scenario: spec, population: Population(spec: spec.population, seeds: seeds, generator: spec.generator),
      seeds: seeds)
    run.run()
    return run
  }

  @Test("at constant density, 4x the civilizations make as many detections, entries and bytes each; crowded, not")
  func constantDensity() throws {
    let small = try denseGalaxy(2_000)
    let large = try denseGalaxy(8_000)
    func per(_ run: DarkForestRun) -> [String: Double] {
      let n = Double(run.population.count)
      return [
        "detections": Double(run.counts.detections) / n, "queue entries": Double(run.peakPending) / n,
        "detections in flight": Double(run.peakSignals) / n, "bytes": Double(run.footprintBytes) / n,
      ]
    }
    let (a, b) = (per(small), per(large))
    #expect(a["detections"]! > 5 && a["detections in flight"]! > 0.5, "the check needs detections: \(a)")
    for (key, value) in a {
      // A quadratic term (detections, or entries, growing with the density) would make this 4 (or 2 for a square
      // root of it).
      #expect(abs(b[key]! / value - 1) < 0.2, "\(key) a civilization: \(value) at 2,000, \(b[key]!) at 8,000")
    }
    // The same four times the civilizations in the small galaxy's region: about four times the detections each.
    let crowded = per(try denseGalaxy(8_000, region: 10_000 * (2_000.0 / 100_000).squareRoot()))
    #expect(crowded["detections"]! > 3 * a["detections"]!, "crowded: \(crowded), sparse: \(a)")
  }

  @Test("in a fixed region, twice the civilizations take about twice the memory: the queue's entries stay bounded")
  func nearLinearMemory() throws {
    let small = try galaxy(2_500)
    let large = try galaxy(5_000)
    let perCivilization = { (run: DarkForestRun) in Double(run.peakPending) / Double(run.population.count) }
    // Every living civilization has its next decision, leak and breakthrough pending, the unborn their births, a few
    // their requests, replies and fleets (about 5 entries in all): a detection queued as an entry of its own would
    // add the detections in flight, which double per civilization.
    #expect(perCivilization(small) < 6 && perCivilization(large) < 6)
    #expect(
      perCivilization(large) < 1.1 * perCivilization(small),
      "entries a civilization: \(perCivilization(small)), then \(perCivilization(large))")
    let detections = { (run: DarkForestRun) in Double(run.peakSignals) / Double(run.population.count) }
    #expect(detections(small) > 2.5, "the check needs many detections in flight")
    #expect(detections(large) > 1.6 * detections(small), "the detections in flight grow with the density")
    let ratio = Double(large.footprintBytes) / Double(small.footprintBytes)
    // 4 bytes a detection in flight: their growth adds a tenth to the doubling (at 32 bytes it would add 60%).
    #expect(ratio > 1.9 && ratio < 2.2, "the structures grew \(ratio) times")
  }
}
