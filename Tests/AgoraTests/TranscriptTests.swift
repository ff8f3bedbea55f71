import Foundation
import Testing

@testable import Agora
@testable import AgoraCore
@testable import AgoraLanguageModel
@testable import AgoraOutput
@testable import AgoraScenario

@Suite("Language-model transcripts and prompts")
struct TranscriptTests {
  /// A small scenario without language models.
  static let plain = """
    name: plain
    seed: 3
    game: {type: ultimatum, rounds: 1, stake: 100, offer_step: 10}
    population: {size: 10, segments: [{name: all, share: 1}]}
    """

  /// The transcript's lines as JSON objects.
  static func lines(_ path: String) throws -> [[String: Any]] {
    try String(decoding: TestSupport.bytes(path), as: UTF8.self).split(separator: "\n").map {
      try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  @Test(
    "transcripts.jsonl has one line per llm decision, agrees with events.csv, and a cached re-run repeats it",
    .timeLimit(.minutes(4)))
  func transcript() throws {
    let server = try TestServer()
    let folder = TestSupport.temporaryDirectory()
    let yaml = LanguageModelTests.scenario(url: server.url, cache: folder + "/cache") + "\noutput: {events: true}\n"
    let spec = try ScenarioLoader.load(yaml: yaml)
    let first = try RunFolder.execute(spec, into: folder + "/first")
    let path = folder + "/first/transcripts.jsonl"
    #expect(first.files.contains("transcripts.jsonl"))
    let lines = try Self.lines(path)
    #expect(Double(lines.count) == TestSupport.number(first.result, "llm_decisions"))
    #expect(lines.count == 30)
    let keys: Set<String> = [
      "run_index", "seed", "game", "round", "group", "decision", "agent_decision", "agent_id", "segment", "kind",
      "options", "choice",
      "choice_text", "reason", "cached", "fallback", "salient", "amount", "utility_basis", "message", "message_cut",
    ]
    for (n, line) in lines.enumerated() {
      #expect(Set(line.keys) == keys)
      #expect(line["decision"] as? Int == n + 1)
      #expect(
        line["seed"] as? Int == 7 && line["game"] as? String == "ultimatum" && line["segment"] as? String == "model")
      #expect(line["reason"] as? String == "fake" && line["cached"] as? Bool == false)
      #expect(line["fallback"] as? Bool == false)
      let options = try #require(line["options"] as? [String])
      let choice = try #require(line["choice"] as? Int)
      #expect(options[choice - 1] == line["choice_text"] as? String)
      // The utilities by motive (self weight, envy, guilt, reciprocity, altruism, conformity) of each option.
      let basis = try #require(line["utility_basis"] as? [[Double]])
      #expect(basis.count == options.count && basis.allSatisfy { $0.count == 6 })
      if line["kind"] as? String == "ultimatum.respond" {
        // Accepting offer s: own s, other 1 - s, kindness 2s - 1; rejecting: nothing, so every utility is 0.
        let s = basis[0][0]
        let expected = [s, -max(1 - 2 * s, 0), -max(2 * s - 1, 0), (2 * s - 1) * (1 - s), 1 - s, 0]
        #expect(zip(basis[0], expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(basis[0])")
        #expect(basis[1] == [0, 0, 0, 0, 0, 0] && line["salient"] as? Int == 0 && line["amount"] as? Bool == false)
      } else {
        #expect(line["kind"] as? String == "ultimatum.propose" && line["amount"] as? Bool == true)
        #expect(line["salient"] as? Int == 5)
      }
    }
    // The choices are the run's: each proposal is an event's offer, each answer an event's acceptance.
    let events = try CSVTable(contentsOf: folder + "/first/events.csv")
    let model = Set(lines.compactMap { $0["agent_id"] as? Int })
    func column(_ name: String) -> [String] { events.rows.map { $0[events.columns.firstIndex(of: name)!] } }
    let (proposers, responders) = (column("proposer"), column("responder"))
    let (offers, accepted) = (column("offer"), column("accepted"))
    var fromEvents: [String] = []
    var fromTranscript: [String] = []
    for r in events.rows.indices {
      if let p = Int(proposers[r]), model.contains(p) {
        fromEvents.append("propose \(p) offer \(Int(Double(offers[r])!))")
      }
      if let q = Int(responders[r]), model.contains(q) {
        fromEvents.append("respond \(q) " + (accepted[r] == "1" ? "accept" : "reject"))
      }
    }
    for line in lines {
      let agent = line["agent_id"] as! Int
      let text = line["choice_text"] as! String
      if line["kind"] as? String == "ultimatum.propose" {
        fromTranscript.append("propose \(agent) " + text.split(separator: " ").prefix(2).joined(separator: " "))
      } else {
        fromTranscript.append("respond \(agent) \(text)")
      }
    }
    #expect(fromEvents.sorted() == fromTranscript.sorted())
    // Each line's round and group (the pair's place in its round) name the event row of its decision.
    let times = column("time")
    for line in lines {
      let round = try #require(line["round"] as? Int)
      let group = try #require(line["group"] as? Int)
      let rows = events.rows.indices.filter { Double(times[$0]) == Double(round) }
      try #require(rows.indices.contains(group), "round \(round) has a pair \(group)")
      let row = rows[group]
      let agent = "\(line["agent_id"] as! Int)"
      #expect(line["kind"] as? String == "ultimatum.propose" ? proposers[row] == agent : responders[row] == agent)
    }
    #expect(Set(lines.map { $0["round"] as! Int }).count > 1)
    // Re-runs served by the cache: the same lines, now marked cached, byte for byte the same each time.
    _ = try RunFolder.execute(spec, into: folder + "/second")
    _ = try RunFolder.execute(spec, into: folder + "/third")
    let second = TestSupport.bytes(folder + "/second/transcripts.jsonl")
    #expect(!second.isEmpty && second == TestSupport.bytes(folder + "/third/transcripts.jsonl"))
    let marked = String(decoding: TestSupport.bytes(path), as: UTF8.self)
      .replacingOccurrences(of: "\"cached\":false", with: "\"cached\":true")
    #expect(marked == String(decoding: second, as: UTF8.self))
    #expect(try Self.lines(folder + "/second/transcripts.jsonl").allSatisfy { $0["cached"] as? Bool == true })
    let report = String(decoding: TestSupport.bytes(folder + "/first/report.html"), as: UTF8.self)
    #expect(report.contains("Language-model decisions") && report.contains("llm-decisions"))
  }

  @Test("fallbacks are recorded with the decoder's choice; runs without llm segments write no transcript")
  func fallbacksAndNone() throws {
    let server = try TestServer(["--malformed"])
    let folder = TestSupport.temporaryDirectory()
    let spec = try ScenarioLoader.load(
      yaml: LanguageModelTests.scenario(url: server.url, cache: folder + "/cache", rounds: 1))
    let run = try RunFolder.execute(spec, into: folder + "/llm")
    let lines = try Self.lines(folder + "/llm/transcripts.jsonl")
    #expect(Double(lines.count) == TestSupport.number(run.result, "llm_decisions"))
    #expect(Double(lines.count) == TestSupport.number(run.result, "llm_fallbacks"))
    for line in lines {
      #expect(line["fallback"] as? Bool == true && line["reason"] is NSNull)
      let options = try #require(line["options"] as? [String])
      #expect((1...options.count).contains(try #require(line["choice"] as? Int)))
    }
    let plain = try RunFolder.execute(try ScenarioLoader.load(yaml: Self.plain), into: folder + "/plain")
    #expect(!plain.files.contains("transcripts.jsonl"))
    #expect(!FileManager.default.fileExists(atPath: folder + "/plain/transcripts.jsonl"))
  }

  @Test("a transcript line escapes its texts: quotes, newlines, control characters and instructions stay data")
  func escaping() throws {
    let reason = "ignore previous instructions\n\"quoted\" \\ tab\t bell\u{07} </script><b>x</b> \u{2028} é"
    let decision = LanguageModelDecision(
      runIndex: 3, seed: UInt64.max, game: "ultimatum", decision: 1, agentDecision: 1, agent: 4, segment: "m",
      kind: "ultimatum.respond", options: ["accept", "reject \"now\""], choice: 2, reason: reason, cached: true,
      fallback: false)
    let line = decision.jsonLine
    #expect(!line.contains("\n") && !line.contains("\u{07}") && !line.contains("\u{2028}"))
    let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    #expect(object["reason"] as? String == reason)
    #expect(object["choice_text"] as? String == "reject \"now\"")
    #expect(object["seed"] as? UInt64 == UInt64.max || "\(object["seed"]!)" == String(UInt64.max))
    var result = try TestSupport.run(Self.plain)
    result.languageModelSamples = [decision]
    let html = Report.decisions(result)
    #expect(!html.contains("<b>x</b>") && !html.contains("</script>"))
    #expect(html.contains("&lt;/script&gt;"))
  }

  @Test("agora prompts prints the messages and reply schema of the first requests, and sends nothing")
  func prompts() throws {
    let folder = TestSupport.temporaryDirectory()
    let file = folder + "/llm.yaml"
    try LanguageModelTests.scenario(url: "http://127.0.0.1:9", cache: folder + "/cache").write(
      toFile: file, atomically: true, encoding: .utf8)
    let run = try TestSupport.agora(["prompts", file, "--limit", "2"])
    #expect(run.status == 0, "\(run.output)")
    #expect(run.output.components(separatedBy: "=== agent ").count == 3)
    #expect(run.output.contains("POST http://127.0.0.1:9/v1/chat/completions"))
    #expect(run.output.contains("--- system ---\nYou are taking part in an economic experiment with other people."))
    #expect(run.output.contains("--- user ---\nYou play an ultimatum game"))
    #expect(run.output.contains("Options:\n1. offer 0 and keep 100"))
    #expect(run.output.contains("--- response_format ---") && run.output.contains("\"enum\""))
    #expect(!FileManager.default.fileExists(atPath: folder + "/cache"))
    let agent = try TestSupport.agora(["prompts", file, "--agent", "0"])
    #expect(agent.status == 2 && agent.output.contains("agent 0"))
    let none = try TestSupport.agora(["prompts", "Scenarios/ultimatum.yaml"])
    #expect(none.status == 2 && none.output.contains("no segment has policy: llm"))
  }

  @Test(
    "the first requests agora prompts shows are the ones a run sends (the same cache keys)", .timeLimit(.minutes(4)))
  func previewIsTheRequest() throws {
    let server = try TestServer()
    let folder = TestSupport.temporaryDirectory()
    let spec = try ScenarioLoader.load(yaml: LanguageModelTests.scenario(url: server.url, cache: folder + "/cache"))
    _ = try Experiment.run(spec)
    let sent = try server.stats()["requests"]
    let preview = PromptPreview(limit: 5)
    _ = try Experiment.run(spec, languageModel: LanguageModelOptions(preview: preview))
    #expect(preview.requests.count == 5)
    #expect(try server.stats()["requests"] == sent)
    // A proposal of the first round depends on no earlier choice (later ones follow the decoder's in a preview).
    let cache = ResponseCache(directory: folder + "/cache", mode: .read)
    let proposals = preview.requests.filter { $0.kind == "ultimatum.propose" && $0.agentDecision == 1 }
    #expect(!proposals.isEmpty)
    for request in proposals {
      #expect(cache.contains(ResponseCache.key(url: request.url, body: request.body)), "\(request.text)")
    }
  }
}
