import AgoraCore

/// Epstein & Axtell's Sugarscape with rules G_alpha and M (Growing Artificial Societies, 1996, ch. II) on a
/// ``GridSpace``: the population's agents start on uniformly random distinct cells of the book's two-peak landscape
/// (``SugarLandscape``, every cell full), each with a vision, a metabolism and an initial sugar drawn uniformly from
/// their ranges. Each step every living agent, in a new uniformly random order, moves by rule M (see
/// ``target(of:at:)``), harvests all the sugar of the cell it ends on and burns its metabolism, and starves when its
/// sugar falls to zero or below; with `replacement` each agent that starved is then replaced by a new random one on a
/// random empty cell; last every cell grows back `growback` units up to its capacity (rule G_alpha).
public struct SugarscapeRun {
  public let scenario: ScenarioSpec
  public let population: Population
  let parameters: SugarscapeParameters
  let seeds: SeedSequence
  let decoding: [DecodingParameters]
  var decoder: ChoiceDecoder
  /// A decision's options: the agent's cell first, then the free cells it sees, nearest first; their utilities
  /// (sugar) and where each lies (`distance * 4 + direction`, for the prompt).
  var utilities: [Double]
  var options: [Int]
  var reach: [Int32]
  /// Whether a cell can be seen twice in one look (a torus narrower than twice the largest vision).
  let wraps: Bool
  /// The language-model agents of the run, when a segment has `policy: llm` (with the decoder rule).
  public var languageModel: (any ExternalDeciders)? = nil

  public internal(set) var grid: GridSpace
  public internal(set) var landscape: SugarLandscape
  /// Each agent's sugar (at death: what it held when it starved, zero or below), vision and metabolism. An agent that
  /// starved and was replaced is the new agent from then on.
  public internal(set) var wealth: [Int]
  public internal(set) var vision: [Int32]
  public internal(set) var metabolism: [Int32]
  public internal(set) var alive: [Bool]
  /// The step each agent was born at (0 for the first agents) and the step it starved at (-1: alive).
  public internal(set) var born: [Int32]
  public internal(set) var died: [Int32]
  /// Each agent's sugar accounts: what it was born with, what it harvested and what it burned, over its life.
  public internal(set) var endowment: [Int]
  public internal(set) var harvested: [Int]
  public internal(set) var burned: [Int]
  /// The placement (step 0), then one record per step.
  public private(set) var initial: SugarscapeStep
  public private(set) var steps: [SugarscapeStep] = []

  /// The activation order, the agents drawn (vision, metabolism, sugar, the newborns' cells) and the moves' draws.
  let activation: RandomStream
  let genomes: RandomStream
  let movement: RandomStream
  var order: [Int32]
  /// The agents that starved in the step being played, in order (scratch).
  var starved: [Int32]
  /// Scratch for the Gini coefficient of wealth.
  var amounts: [Double]
  var sorter = AmountSorter()

  public init(scenario: ScenarioSpec, population: Population, seeds: SeedSequence) {
    self.init(scenario: scenario, population: population, seeds: seeds, landscape: nil)
  }

  /// A run on `landscape` (its size must be the parameters' grid), or on the book's when nil.
  init(scenario: ScenarioSpec, population: Population, seeds: SeedSequence, landscape: SugarLandscape?) {
    self.scenario = scenario
    self.population = population
    self.seeds = seeds
    let p = SugarscapeRun.parameters(scenario)
    parameters = p
    decoding = population.segments.map(\.decoding)
    let most = 1 + 4 * p.visionMax
    decoder = ChoiceDecoder(capacity: most)
    utilities = [Double](repeating: 0, count: most)
    options = [Int](repeating: 0, count: most)
    reach = [Int32](repeating: 0, count: most)
    wraps = p.torus && 2 * p.visionMax >= min(p.width, p.height)
    let land = landscape ?? .book(width: p.width, height: p.height)
    precondition(land.width == p.width && land.height == p.height, "a landscape of another size than the grid")
    self.landscape = land
    let n = population.count
    var grid = GridSpace(width: p.width, height: p.height, torus: p.torus, agents: n)
    // Uniformly random distinct cells: the first n of a shuffled list of every cell.
    var cells = (0..<Int32(grid.cellCount)).map { $0 }
    seeds.stream(for: .environment, generator: scenario.generator).shuffle(&cells)
    for i in 0..<n { grid.place(i, at: Int(cells[i])) }
    self.grid = grid
    wealth = [Int](repeating: 0, count: n)
    vision = [Int32](repeating: 0, count: n)
    metabolism = [Int32](repeating: 0, count: n)
    alive = [Bool](repeating: true, count: n)
    born = [Int32](repeating: 0, count: n)
    died = [Int32](repeating: -1, count: n)
    endowment = [Int](repeating: 0, count: n)
    harvested = endowment
    burned = endowment
    activation = seeds.stream(for: .matching, generator: scenario.generator)
    genomes = seeds.stream(for: .environment, index: 1, generator: scenario.generator)
    movement = seeds.stream(for: .decisions, generator: scenario.generator)
    order = (0..<Int32(n)).map { $0 }
    starved = []
    starved.reserveCapacity(n)
    amounts = [Double](repeating: 0, count: n)
    initial = SugarscapeStep(step: 0, segments: population.segments.count)
    for i in 0..<n { draw(i) }
    var placement = initial
    measure(&placement)
    initial = placement
  }

  /// Gives agent `i` a new vision, metabolism and sugar, uniform over their ranges, and fresh accounts.
  mutating func draw(_ i: Int) {
    let p = parameters
    vision[i] = Int32(p.visionMin + genomes.integer(below: p.visionMax - p.visionMin + 1))
    metabolism[i] = Int32(p.metabolismMin + genomes.integer(below: p.metabolismMax - p.metabolismMin + 1))
    wealth[i] = p.endowmentMin + genomes.integer(below: p.endowmentMax - p.endowmentMin + 1)
    endowment[i] = wealth[i]
    harvested[i] = 0
    burned[i] = 0
  }

  public mutating func run(progress: ((Double) -> Void)? = nil) {
    let rounds = scenario.game.rounds
    for step in 1...rounds {
      self.step()
      progress?(Double(step) / Double(rounds))
    }
  }

  /// Plays one step: every living agent moves, harvests and eats in a new random order; the starved are replaced
  /// (with `replacement`); the cells grow back; the step is measured.
  public mutating func step() {
    let t = steps.count + 1
    languageModel?.locate(round: t, group: -1)
    activation.shuffle(&order)
    var record = SugarscapeStep(step: t, segments: population.segments.count)
    starved.removeAll(keepingCapacity: true)
    for a in order {
      let i = Int(a)
      guard alive[i] else { continue }
      let here = grid.position(of: i)!
      let cell = target(of: i, at: here)
      if cell != here {
        grid.move(i, to: cell)
        record.moves += 1
      }
      let gain = landscape.harvest(cell)
      let burn = Int(metabolism[i])
      harvested[i] += gain
      burned[i] += burn
      wealth[i] += gain - burn
      guard wealth[i] <= 0 else { continue }
      alive[i] = false
      died[i] = Int32(t)
      grid.remove(i)
      record.deaths += 1
      record.deathsBySegment[Int(population.segment[i])] += 1
      starved.append(a)
    }
    if parameters.replacement {
      for a in starved {
        let i = Int(a)
        // A death frees a cell, so there is always an empty one.
        grid.place(i, at: grid.randomEmptyCell(genomes)!)
        draw(i)
        alive[i] = true
        born[i] = Int32(t)
        died[i] = -1
        record.births += 1
      }
    }
    landscape.grow(parameters.growback)
    measure(&record)
    assert(grid.invariantsHold && grid.placed == record.alive, "step \(t): the grid's invariants do not hold")
    assert(
      (0..<landscape.sugar.count).allSatisfy {
        landscape.sugar[$0] >= 0 && landscape.sugar[$0] <= landscape.capacity[$0]
      },
      "step \(t): a cell holds more sugar than its capacity")
    steps.append(record)
  }

  /// Fills `record`'s census of the living: how many (by segment), their sugar and its Gini coefficient, their mean
  /// vision and metabolism.
  mutating func measure(_ record: inout SugarscapeStep) {
    var (count, total, sight, burn) = (0, 0, 0, 0)
    for i in 0..<population.count where alive[i] {
      amounts[count] = Double(wealth[i])
      count += 1
      total += wealth[i]
      sight += Int(vision[i])
      burn += Int(metabolism[i])
      record.aliveBySegment[Int(population.segment[i])] += 1
    }
    record.alive = count
    record.totalWealth = total
    guard count > 0 else { return }
    record.meanVision = Double(sight) / Double(count)
    record.meanMetabolism = Double(burn) / Double(count)
    record.gini = amounts.withUnsafeBufferPointer { x in
      (try? Inequality.gini(UnsafeBufferPointer(rebasing: x[0..<count]), threads: 1, sorter: &sorter)) ?? .nan
    }
  }
}
