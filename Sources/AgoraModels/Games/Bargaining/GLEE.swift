import AgoraCore

/// GLEE's rules for its own metric columns (`analyze/metrics.py`), shared by the bargaining, negotiation and
/// persuasion games' `glee_*` metrics.
enum GLEE {
  /// `value` clipped to GLEE's range for a metric (its `metrics_range`), as GLEE clips each configuration's value;
  /// NaN (no game where the metric is defined) stays NaN.
  static func clip(_ value: Double, _ lower: Double, _ upper: Double = .infinity) -> Double {
    value.isNaN ? value : Swift.min(upper, Swift.max(lower, value))
  }
}
