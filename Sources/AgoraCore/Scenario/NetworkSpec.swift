import Foundation

/// The network of `matching: {type: network}`: a generator and its parameters (drawn once per run from the
/// matching stream, so a seed gives the same network).
public struct NetworkSpec: Sendable, Codable, Hashable {
  /// The generator.
  public var generator: Generator = .wattsStrogatz
  /// Watts-Strogatz: each node's nearest neighbours on the ring (even).
  public var neighbours = 4
  /// Watts-Strogatz: the probability that a lattice edge is rewired.
  public var rewiring = 0.1
  /// Erdos-Renyi: the probability of each edge.
  public var probability = 0.01
  /// Barabasi-Albert: the edges each new node brings.
  public var attachments = 2
  /// `file`: the edge list's path, as written; a relative one is read from the scenario file's folder
  /// (``Foundation/CodingUserInfoKey/scenarioFolder``).
  public var file: String? = nil
  /// `file`: the network read from ``file`` when the scenario was decoded (not encoded: the path stands for it).
  public var loaded: Network? = nil

  /// The network generators.
  public enum Generator: String, Sendable, Codable, Hashable, CaseIterable {
    case wattsStrogatz = "watts_strogatz"
    case erdosRenyi = "erdos_renyi"
    case barabasiAlbert = "barabasi_albert"
    /// An edge list file (``Network/read(edgeList:nodes:)``): its nodes are the agents, ids 0 to n - 1.
    case file
  }

  enum CodingKeys: String, CodingKey, CaseIterable {
    case generator, neighbours, rewiring, probability, attachments, file
  }

  public init() {}

  /// The network over `nodes` agents, drawn from `stream`.
  public func network(nodes: Int, stream: RandomStream) -> Network {
    switch generator {
    case .wattsStrogatz: return .wattsStrogatz(nodes: nodes, neighbours: neighbours, rewiring: rewiring, stream: stream)
    case .erdosRenyi: return .erdosRenyi(nodes: nodes, probability: probability, stream: stream)
    case .barabasiAlbert: return .barabasiAlbert(nodes: nodes, attachments: attachments, stream: stream)
    case .file:
      // Decoding read the file and the scenario's check matched its nodes to the agents (``problem(nodes:)``).
      guard let loaded, loaded.nodeCount == nodes else {
        preconditionFailure("the edge list \(file ?? "") was not read, or has other nodes than the \(nodes) agents")
      }
      return loaded
    }
  }

  /// The most edges a network may have (each is stored twice, and played once a round).
  public static let maximumEdges = 50_000_000.0

  /// The number of edges the network has (Watts-Strogatz, Barabasi-Albert) or is expected to have (Erdos-Renyi).
  public func edges(nodes: Int) -> Double {
    let n = Double(nodes)
    switch generator {
    case .wattsStrogatz: return n * Double(neighbours) / 2
    case .erdosRenyi: return probability * n * (n - 1) / 2
    case .barabasiAlbert: return Double(attachments) * max(0, n - Double(attachments))
    case .file: return Double(loaded?.edgeCount ?? 0)
    }
  }

  /// Why this network cannot be drawn over `nodes` agents (`nil`: it can).
  public func problem(nodes: Int) -> (key: String, message: String)? {
    if generator == .file {
      guard let loaded else { return ("file", "no edge list was read; give its path") }
      guard loaded.nodeCount == nodes else {
        return (
          "file",
          "\(file ?? "the edge list") names nodes 0 to \(loaded.nodeCount - 1) (\(loaded.nodeCount) agents); the population has "
            + "\(nodes): set population.size to \(loaded.nodeCount)"
        )
      }
      return nil
    }
    let edges = edges(nodes: nodes)
    if edges > Self.maximumEdges {
      let key = generator == .erdosRenyi ? "probability" : generator == .wattsStrogatz ? "neighbours" : "attachments"
      return (key, "gives \(Int(edges)) edges over \(nodes) agents; at most \(Int(Self.maximumEdges))")
    }
    switch generator {
    case .wattsStrogatz where neighbours >= nodes:
      return ("neighbours", "must be below the population size \(nodes)")
    case .barabasiAlbert where attachments >= nodes:
      return ("attachments", "must be below the population size \(nodes)")
    default: return nil
    }
  }
}

extension NetworkSpec {
  public init(from decoder: any Decoder) throws {
    try decoder.checkKeys(CodingKeys.allCases.map(\.rawValue))
    let c = try decoder.container(keyedBy: CodingKeys.self)
    generator = try c.choice(.generator, default: .wattsStrogatz)
    neighbours = try c.value(.neighbours, default: 4, allowed: "an even integer from 2 to 1000") {
      $0 >= 2 && $0 <= 1000 && $0 % 2 == 0
    }
    rewiring = try c.value(.rewiring, default: 0.1, allowed: "a probability in [0, 1]") { $0 >= 0 && $0 <= 1 }
    probability = try c.value(.probability, default: 0.01, allowed: "a probability in (0, 1]") { $0 > 0 && $0 <= 1 }
    attachments = try c.value(.attachments, default: 2, allowed: "an integer from 1 to 1000") {
      (1...1000).contains($0)
    }
    file = try c.decodeIfPresent(String.self, forKey: .file).flatMap { $0.isEmpty ? nil : $0 }
    let path: [any CodingKey] = [AnyKey(stringValue: "matching"), AnyKey(stringValue: "network"), CodingKeys.file]
    if generator == .file {
      guard let file else {
        throw ScenarioIssue(path, "generator file reads an edge list: give its path (file: edges.txt)")
      }
      let folder = decoder.userInfo[.scenarioFolder] as? String ?? FileManager.default.currentDirectoryPath
      let resolved = file.hasPrefix("/") ? file : URL(fileURLWithPath: folder).appendingPathComponent(file).path
      do {
        loaded = try Network.read(edgeList: resolved)
      } catch {
        throw ScenarioIssue(path, value: file, error.description)
      }
    } else if let file {
      throw ScenarioIssue(
        path, value: file, "only generator: file reads an edge list (the generator is \(generator.rawValue))")
    }
  }
}

extension CodingUserInfoKey {
  /// The folder a scenario's relative paths are read from (its file's folder), given by the scenario loader.
  public static let scenarioFolder = CodingUserInfoKey(rawValue: "agora.scenario_folder")!
}
