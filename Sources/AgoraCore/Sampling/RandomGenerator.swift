import CGSL

/// A GSL generator algorithm, chosen by its GSL name (`taus2`, `mt19937`, `ranlxd2`, ...).
public struct RandomGenerator: Sendable, Hashable, CustomStringConvertible {
  /// The GSL name of the algorithm.
  public let name: String

  /// The default: small state and about three times faster per draw than `mt19937`.
  public static let taus2 = RandomGenerator(uncheckedName: "taus2")
  public static let mt19937 = RandomGenerator(uncheckedName: "mt19937")

  private init(uncheckedName: String) { self.name = uncheckedName }

  /// The generator GSL knows by `name`, or `nil`.
  public init?(name: String) {
    guard RandomGenerator.gslType(named: name) != nil else { return nil }
    self.name = name
  }

  public var description: String { name }

  /// Every generator name this GSL build offers.
  public static var availableNames: [String] {
    var names: [String] = []
    guard var cursor = gsl_rng_types_setup() else { return names }
    while let type = cursor.pointee {
      names.append(String(cString: type.pointee.name))
      cursor += 1
    }
    return names
  }

  static func gslType(named name: String) -> UnsafePointer<gsl_rng_type>? {
    switch name {
    case "taus2": return agora_rng_taus2()
    case "mt19937": return agora_rng_mt19937()
    default: break
    }
    guard var cursor = gsl_rng_types_setup() else { return nil }
    while let type = cursor.pointee {
      if String(cString: type.pointee.name) == name { return type }
      cursor += 1
    }
    return nil
  }
}
