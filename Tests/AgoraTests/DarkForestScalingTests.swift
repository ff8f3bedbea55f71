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

  @Test(
    "the queue pops events and waves in the order of one entry a detection: by time, priority, then scheduling",
    arguments: [2, 3])
  func agendaOrder(dimensions: Int) {
    let stream = RandomStream(seed: UInt64(17 + dimensions))
    let n = 300
    let position = Self.lattice(n, side: 12, dimensions: dimensions, stream: stream)
    let grid = SpatialGrid(positions: position, dimensions: dimensions, region: 12, cell: 4)
    var agenda = DarkForestAgenda(position: position, dimensions: dimensions, lightSpeed: 1, capacity: 16)
    /// What an entry is: an event (`a` its number) or the detection of wave `a` by civilization `b`.
    struct Item: Equatable { var wave: Bool, a: Int32, b: Int32 }
    var reference = EventQueue<Item>()
    var now = 0.0
    var popped = 0
    var waves: Int32 = 0
    var events: Int32 = 0
    var shuffler = Self.Generator(stream)
    func pop() {
      let mine = agenda.next(until: .infinity)
      let theirs = reference.pop()
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
    while !reference.isEmpty { pop() }
    #expect(agenda.next(until: .infinity) == nil)
    #expect(waves > 500 && popped > 10_000)
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
      let n = 2000
      let region = 100.0
      let position = (0..<(n * dimensions)).map { _ in stream.uniform() * region }
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
    #expect(detections(small) > 3, "the check needs many detections in flight")
    #expect(detections(large) > 1.6 * detections(small), "the detections in flight grow with the density")
    let ratio = Double(large.footprintBytes) / Double(small.footprintBytes)
    // 4 bytes a detection in flight: their growth adds a tenth to the doubling (at 32 bytes it would add 60%).
    #expect(ratio > 1.9 && ratio < 2.2, "the structures grew \(ratio) times")
  }
}
