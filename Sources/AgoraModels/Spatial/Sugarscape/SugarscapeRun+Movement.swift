import AgoraCore

/// Rule M: where an agent moves.
extension SugarscapeRun {
  /// The four lattice directions, as steps along x and y (north is up) and by name.
  static let dx = [0, 1, 0, -1]
  static let dy = [-1, 0, 1, 0]
  static let directionNames = ["north", "east", "south", "west"]

  /// The 24 orders of the four directions, four entries each: an agent looks in one of them, drawn uniformly.
  static let directionOrders: [Int] = {
    var orders: [Int] = []
    for a in 0..<4 {
      for b in 0..<4 where b != a {
        for c in 0..<4 where c != a && c != b { orders += [a, b, c, 6 - a - b - c] }
      }
    }
    return orders
  }()

  /// The cell agent `i` (on `here`) moves to (`here` when it stays). Its options are its own cell, then the free
  /// cells at distance 1 to its vision in the four lattice directions, by distance and, at one distance, in a
  /// uniformly random order of the directions (one draw); each option's utility is the sugar on it. Rule M
  /// (`classic`) takes the first option with the most sugar: the nearest, a random one of the nearest on a tie, and
  /// staying when no visible cell holds more than its own. The `decoder` rule hands the same options to the segment's
  /// decoder with that choice as the salient option, so temperature 0 (argmax, ties to the first) is rule M exactly.
  mutating func target(of i: Int, at here: Int) -> Int {
    let (width, height) = (grid.width, grid.height)
    let (x0, y0) = (here % width, here / width)
    let first = movement.integer(below: 24) * 4
    options[0] = here
    utilities[0] = Double(landscape.sugar[here])
    reach[0] = 0
    var m = 1
    var best = 0
    for d in 1...Int(vision[i]) {
      for k in 0..<4 {
        let direction = Self.directionOrders[first + k]
        var x = x0 + Self.dx[direction] * d
        var y = y0 + Self.dy[direction] * d
        if grid.torus {
          x = ((x % width) + width) % width
          y = ((y % height) + height) % height
        } else if x < 0 || x >= width || y < 0 || y >= height {
          continue
        }
        let cell = y * width + x
        guard grid.isEmpty(cell), !wraps || !options[1..<m].contains(cell) else { continue }
        options[m] = cell
        utilities[m] = Double(landscape.sugar[cell])
        reach[m] = Int32(d * 4 + direction)
        if utilities[m] > utilities[best] { best = m }
        m += 1
      }
    }
    guard parameters.rule == .decoder, m > 1 else { return options[best] }
    let s = Int(population.segment[i])
    var choices: [String] = []
    var rules = ""
    if languageModel != nil && population.segments[s].policy == .llm {
      rules = self.rules(for: i)
      choices = (0..<m).map { k in
        let (d, direction) = (Int(reach[k]) / 4, Int(reach[k]) % 4)
        let sugar = Int(utilities[k])
        return k == 0
          ? "stay where you are: \(sugar) sugar here"
          : "move \(d) cell\(d == 1 ? "" : "s") \(Self.directionNames[direction]): \(sugar) sugar there"
      }
    }
    let held = wealth[i]
    let choice = choose(i, options: m, salient: best, stream: movement) {
      DecisionPrompt(
        kind: "sugarscape.move", rules: rules,
        question: "You hold \(held) sugar. Where do you go this step?", options: choices)
    }
    return options[choice]
  }

  /// The rules as told to a language-model agent `i`.
  func rules(for i: Int) -> String {
    let p = parameters
    return "You live on a \(p.width) x \(p.height) grid" + (p.torus ? " that wraps around at its edges" : "")
      + ", one person a cell. Each cell holds sugar, up to its capacity (0 to 4), and grows back \(p.growback) a step. "
      + "Each step you may move to a free cell up to \(vision[i]) cells north, east, south or west, or stay; you "
      + "collect all the sugar of the cell you end on and eat \(metabolism[i]). With no sugar left you starve."
  }
}
