import AgoraCore

/// Schelling's segregation model (Schelling 1971) on a ``GridSpace``, as Mesa's and the ABMFrameworksComparison
/// benchmark's model runs it: the population's agents are placed on uniformly random distinct cells, one per cell,
/// each of its segment's type. Each step every agent acts once, in a new uniformly random order, on the grid as the
/// agents before it left it: it counts the agents of its own type in its neighbourhood, is happy with at least
/// `homophily` of them, and
/// - `threshold`: when unhappy, moves to a uniformly random empty cell (its own cell is not empty while it chooses);
/// - `decoder`: chooses among staying and `candidates` empty cells sampled without replacement, with
///   `U(x) = self_weight [s(x) >= homophily] + conformity s(x)/o(x) - move_cost [x != here]` (s, o: like and all
///   neighbours it would have at x, itself left out; the share is 0 with no neighbour), through its segment's decoder
///   (the salient option is the threshold rule's: staying when happy, else the first sampled cell).
public struct SchellingRun {
  public let scenario: ScenarioSpec
  public let population: Population
  let parameters: SchellingParameters
  let seeds: SeedSequence
  let decoding: [DecodingParameters]
  var decoder = ChoiceDecoder(capacity: 16)
  var utilities: [Double]
  /// The decoder rule's options: the agent's cell, then the sampled empty cells.
  var options: [Int]
  /// The language-model agents of the run, when a segment has `policy: llm` (with the decoder rule).
  public var languageModel: (any ExternalDeciders)? = nil

  public private(set) var grid: GridSpace
  let stencil: GridStencil
  var counts: NeighbourCounts
  /// Steps in which each agent was happy when it acted (its payoff), and how often it moved.
  public private(set) var happySteps: [Int32]
  public private(set) var moved: [Int32]
  /// The placement (step 0), then one record per step.
  public private(set) var initial: SchellingStep
  public private(set) var steps: [SchellingStep] = []

  public init(scenario: ScenarioSpec, population: Population, seeds: SeedSequence) {
    self.scenario = scenario
    self.population = population
    self.seeds = seeds
    let p = SchellingRun.parameters(scenario)
    parameters = p
    decoding = population.segments.map(\.decoding)
    utilities = [Double](repeating: 0, count: p.candidates + 1)
    options = [Int](repeating: 0, count: p.candidates + 1)
    let n = population.count
    var grid = GridSpace(width: p.width, height: p.height, torus: p.torus, agents: n)
    let stencil = grid.stencil(p.neighbourhood, radius: p.radius)
    var counts = NeighbourCounts(cells: grid.cellCount, types: population.segments.count)
    // Uniformly random distinct cells: the first n of a shuffled list of every cell.
    var cells = (0..<Int32(grid.cellCount)).map { $0 }
    seeds.stream(for: .environment, generator: scenario.generator).shuffle(&cells)
    for i in 0..<n {
      grid.place(i, at: Int(cells[i]))
      counts.arrive(Int(population.segment[i]), at: Int(cells[i]), grid: grid, stencil: stencil)
    }
    self.grid = grid
    self.stencil = stencil
    self.counts = counts
    happySteps = [Int32](repeating: 0, count: n)
    moved = [Int32](repeating: 0, count: n)
    var placement = SchellingStep(step: 0, segments: population.segments.count)
    for i in 0..<n {
      let t = Int(population.segment[i])
      if counts.of(t, around: grid.position(of: i)!) >= p.homophily {
        placement.happy += 1
        placement.happyBySegment[t] += 1
      }
    }
    // `measure` reads the run, so every property is set (the placement's counts) before it fills the indices.
    initial = placement
    measure(&placement)
    initial = placement
  }

  public mutating func run(progress: ((Double) -> Void)? = nil) {
    let rounds = scenario.game.rounds
    let activation = seeds.stream(for: .matching, generator: scenario.generator)
    let relocation = seeds.stream(for: .environment, index: 1, generator: scenario.generator)
    let decisions = seeds.stream(for: .decisions, generator: scenario.generator)
    let homophily = parameters.homophily
    var order = (0..<Int32(population.count)).map { $0 }
    for step in 1...rounds {
      languageModel?.locate(round: step, group: -1)
      activation.shuffle(&order)
      var record = SchellingStep(step: step, segments: population.segments.count)
      for a in order {
        let i = Int(a)
        let t = Int(population.segment[i])
        let here = grid.position(of: i)!
        let happy = counts.of(t, around: here) >= homophily
        if happy {
          record.happy += 1
          record.happyBySegment[t] += 1
          happySteps[i] += 1
        }
        let target: Int?
        switch parameters.rule {
        case .threshold: target = happy ? nil : grid.randomEmptyCell(relocation)
        case .decoder:
          target = decide(i, type: t, at: here, happy: happy, relocation: relocation, decisions: decisions)
        }
        guard let target else { continue }
        counts.leave(t, at: here, grid: grid, stencil: stencil)
        grid.move(i, to: target)
        counts.arrive(t, at: target, grid: grid, stencil: stencil)
        record.moves += 1
        record.movesBySegment[t] += 1
        moved[i] += 1
      }
      measure(&record)
      assert(grid.invariantsHold, "step \(step): the grid's invariants do not hold")
      assert(
        counts
          == NeighbourCounts.recount(
            grid: grid, stencil: stencil, types: population.segment, count: population.segments.count),
        "step \(step): the neighbour counts drifted from a recount")
      steps.append(record)
      progress?(Double(step) / Double(rounds))
    }
  }

  /// The decoder rule: agent `i` (of type `t`, on `here`) chooses among staying and sampled empty cells; returns the
  /// cell it moves to, or nil when it stays.
  mutating func decide(
    _ i: Int, type t: Int, at here: Int, happy: Bool, relocation: RandomStream, decisions: RandomStream
  ) -> Int? {
    let p = parameters
    let empty = grid.emptyCount
    let m = min(p.candidates, empty)
    options[0] = here
    if m == empty {
      for k in 0..<m { options[k + 1] = grid.emptyCell(k) }
    } else {
      var k = 1
      while k <= m {
        let cell = grid.emptyCell(relocation.integer(below: empty))
        if !options[1..<k].contains(cell) {
          options[k] = cell
          k += 1
        }
      }
    }
    let (selfWeight, conformity) = (population.value(.selfWeight, of: i), population.value(.conformity, of: i))
    var like = [Int](repeating: 0, count: languageModel == nil ? 0 : m + 1)
    var around = like
    for k in 0...m {
      let cell = options[k]
      var s = counts.of(t, around: cell)
      var o = counts.all(around: cell)
      if k > 0 && grid.areNeighbours(here, cell, p.neighbourhood, radius: p.radius) {
        s -= 1
        o -= 1
      }
      let share = o > 0 ? Double(s) / Double(o) : 0
      utilities[k] = selfWeight * (s >= p.homophily ? 1 : 0) + conformity * share - (k > 0 ? p.moveCost : 0)
      if !like.isEmpty { (like[k], around[k]) = (s, o) }
    }
    let rules = languageModel == nil ? "" : self.rules(type: t)
    let choice = choose(i, options: m + 1, salient: happy || m == 0 ? 0 : 1, stream: decisions) {
      DecisionPrompt(
        kind: "schelling.move", rules: rules,
        question: "Now \(like[0]) of your \(around[0]) neighbours are of your group. Do you stay or move?",
        options: ["stay"]
          + (1..<(m + 1)).map {
            "move to an empty cell where \(like[$0]) of \(around[$0]) neighbours are of your group"
          })
    }
    return choice == 0 ? nil : options[choice]
  }

  /// The rules as told to a language-model agent of type `t`.
  func rules(type t: Int) -> String {
    let p = parameters
    let shape = p.neighbourhood == .moore ? "within \(p.radius) cells in any direction" : "within \(p.radius) steps"
    return "You live on a \(p.width) x \(p.height) grid"
      + (p.torus ? " that wraps around at its edges" : "")
      + ", one household a cell, in the group '\(population.segments[t].name)'. Your neighbours are the households "
      + "\(shape). You are content with at least \(p.homophily) neighbours of your own group."
      + (p.moveCost > 0 ? " Moving has a cost." : "")
  }
}
