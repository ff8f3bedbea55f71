import Agora

/// Schelling's segregation model as the ABMFrameworksComparison benchmark declares it: a width x height grid (not
/// toroidal), one agent per cell, two groups of equal size; each step every agent, in a new random order, counts
/// the agents of its own group within Chebyshev `radius`; with fewer than `minHappy` it is unhappy and moves to a
/// uniformly random empty cell. Agents are entities with an id, a position, a group and a happy flag.
struct Schelling {
  let width: Int
  let height: Int
  let radius: Int
  let minHappy: Int
  var position: [Int32]
  var group: [UInt8]
  var happy: [Bool]
  var cell: [Int32]
  var empties: [Int32]
  var slotOfEmpty: [Int32]
  let stream: RandomStream

  init(width: Int, height: Int, agents: Int, radius: Int, minHappy: Int, seed: UInt64) {
    self.width = width
    self.height = height
    self.radius = radius
    self.minHappy = minHappy
    stream = RandomStream(seed: seed)
    var cells = (0..<Int32(width * height)).map { $0 }
    stream.shuffle(&cells)
    cell = [Int32](repeating: -1, count: width * height)
    position = Array(cells.prefix(agents))
    group = (0..<agents).map { UInt8($0 % 2) }
    happy = [Bool](repeating: false, count: agents)
    for (id, c) in position.enumerated() { cell[Int(c)] = Int32(id) }
    empties = Array(cells.dropFirst(agents))
    slotOfEmpty = [Int32](repeating: -1, count: width * height)
    for (slot, c) in empties.enumerated() { slotOfEmpty[Int(c)] = Int32(slot) }
  }

  /// One step: every agent in random order; returns the number of happy agents.
  mutating func step() -> Int {
    var order = (0..<Int32(position.count)).map { $0 }
    stream.shuffle(&order)
    var happyCount = 0
    for a in order {
      let id = Int(a)
      let here = Int(position[id])
      let x = here % width
      let y = here / width
      var same = 0
      for yy in max(0, y - radius)...min(height - 1, y + radius) {
        for xx in max(0, x - radius)...min(width - 1, x + radius) where xx != x || yy != y {
          let other = cell[yy * width + xx]
          if other >= 0 && group[Int(other)] == group[id] { same += 1 }
        }
      }
      happy[id] = same >= minHappy
      if happy[id] {
        happyCount += 1
        continue
      }
      let slot = stream.integer(below: empties.count)
      let target = Int(empties[slot])
      cell[target] = a
      cell[here] = -1
      position[id] = Int32(target)
      empties[slot] = Int32(here)
      slotOfEmpty[here] = Int32(slot)
      slotOfEmpty[target] = -1
    }
    return happyCount
  }
}
