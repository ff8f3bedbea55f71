extension DarkForestRun {
  /// What a civilization's growth and decisions read and write, in one record: its resources at `updated`, its
  /// technology capacity, visibility, worldview (its preferences as the decisions read them), partners and mode.
  ///
  /// An event used to read a dozen arrays of a million civilizations, a cache miss each; the record is two or three
  /// neighbouring cache lines. The growth rates are not stored: they follow from the mode and the partners
  /// (``rate(_:)``), computed as they were when stored.
  struct State {
    var military = 0.0, technology = 0.0, production = 0.0, consumption = 0.0, storage = 0.0
    var updated = 0.0
    var techCap = Resource.technology.baseCapacity
    var visibility = 0.5
    /// The worldview: aggression = envy, trust = reciprocity, caution = risk aversion, openness = honesty, each
    /// clamped to [0, 2].
    var aggression = 0.0, trust = 0.0, caution = 0.0, openness = 0.0
    var partners: Int32 = 0
    var mode = Mode.balanced
    /// Whether the civilization is alive (as ``DarkForestRun/alive``, kept here for the events that read the rest).
    var alive = false
    /// The world view it holds now: the index of the segment whose stance it took (its own segment's until it
    /// switches; the low 8 bits, as switching is refused beyond 256 segments). It fits in the record's padding.
    var worldview: UInt8 = 0

    /// Resource `r`.
    subscript(r: Resource) -> Double {
      @inline(__always) get {
        switch r {
        case .military: return military
        case .technology: return technology
        case .production: return production
        case .consumption: return consumption
        case .storage: return storage
        }
      }
      @inline(__always) set {
        switch r {
        case .military: military = newValue
        case .technology: technology = newValue
        case .production: production = newValue
        case .consumption: consumption = newValue
        case .storage: storage = newValue
        }
      }
    }

    /// The growth rate of resource `r`: the growth budget, raised by each partner, split by the mode (or the split
    /// chosen) among military, technology, production and storage; consumption grows at its own fixed rate.
    @inline(__always) func rate(_ r: Resource, budget: Double, cooperation: Double) -> Double {
      let weights: (military: Double, technology: Double, production: Double, storage: Double)
      switch mode {
      case .balanced: weights = (0.25, 0.25, 0.25, 0.25)
      case .mobilised: weights = (0.6, 0.1, 0.2, 0.1)
      case .developing: weights = (0.1, 0.3, 0.4, 0.2)
      default: weights = DarkForestRun.weights(ofSplit: mode.split)
      }
      let total = budget + cooperation * Double(partners)
      switch r {
      case .military: return total * weights.military
      case .technology: return total * weights.technology
      case .production: return total * weights.production
      case .storage: return total * weights.storage
      case .consumption: return DarkForestRun.consumptionRate
      }
    }
  }
}
