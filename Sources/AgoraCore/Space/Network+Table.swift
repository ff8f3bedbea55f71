/// The network as a tidy edge list (`edges.csv`): one row per undirected edge, the smaller node first, so that
/// networkx's `from_pandas_edgelist` or igraph's `Graph.DataFrame` rebuilds it, and report.html draws it.
extension Network {
  /// The columns of `edges.csv` beyond the run's identifiers, for a model's declarations.
  public static let edgeColumns: [Column] = [
    Column("source", .integer, "the edge's first end: an agent_id, the smaller of the two").only(in: "edges"),
    Column("target", .integer, "the edge's other end: an agent_id, the larger of the two").only(in: "edges"),
  ]

  /// The `edges` table: the run's identifier cells `ids` (run_index, seed), then each edge's two ends.
  public func edgeTable(ids: [Cell]) -> (name: String, columns: [String], rows: [[Cell]]) {
    (
      name: "edges", columns: ["run_index", "seed", "source", "target"],
      rows: edges.map { ids + [.int($0.0), .int($0.1)] }
    )
  }
}
