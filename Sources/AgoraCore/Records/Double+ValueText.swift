extension Double {
  /// The number as a value text (docs tables, sweep columns): integers without a decimal point, others in Swift's
  /// shortest round-trip form.
  public var valueText: String {
    if self == rounded(), abs(self) < 1e15 { return String(Int(self)) }
    return "\(self)"
  }
}
