/// Values stored in reusable numbered slots: the fleets and waves that a dark forest's event queue holds by number.
struct Slots<Value> {
  private var values: [Value?] = []
  private var free: [Int32] = []

  /// Stores `value` in a free slot and returns its number.
  mutating func insert(_ value: Value) -> Int32 {
    if let slot = free.popLast() {
      values[Int(slot)] = value
      return slot
    }
    values.append(value)
    return Int32(values.count - 1)
  }

  /// Takes the value out of `slot`, which becomes free.
  mutating func remove(_ slot: Int32) -> Value {
    guard let value = values[Int(slot)] else { preconditionFailure("slot \(slot) is empty") }
    values[Int(slot)] = nil
    free.append(slot)
    return value
  }

  subscript(slot: Int32) -> Value {
    get {
      guard let value = values[Int(slot)] else { preconditionFailure("slot \(slot) is empty") }
      return value
    }
    _modify { yield &values[Int(slot)]! }
  }
}
