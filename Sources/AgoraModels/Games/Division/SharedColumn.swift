/// Confined to the division family (its kernel writes it from worker threads); nothing outside holds one.
/// A fixed-size column of plain values in one allocation, shared by every copy of the struct that holds it.
///
/// Worker threads playing different blocks of a round hold copies of the run and write different agents' entries
/// of the same column; no element is written by two threads in one parallel section, so no lock is needed.
final class SharedColumn<Element: BitwiseCopyable>: @unchecked Sendable {
  let buffer: UnsafeMutableBufferPointer<Element>

  init(repeating value: Element, count: Int) {
    buffer = .allocate(capacity: count)
    buffer.initialize(repeating: value)
  }

  deinit { buffer.deallocate() }

  var count: Int { buffer.count }

  @inlinable
  subscript(_ i: Int) -> Element {
    get { buffer[i] }
    set { buffer[i] = newValue }
  }

  /// A new column with the same values.
  func copy() -> SharedColumn { SharedColumn(copying: buffer) }

  init(copying values: UnsafeMutableBufferPointer<Element>) {
    buffer = .allocate(capacity: values.count)
    _ = buffer.initialize(fromContentsOf: values)
  }

  /// The values, copied into an array.
  var array: [Element] { Array(buffer) }
}
