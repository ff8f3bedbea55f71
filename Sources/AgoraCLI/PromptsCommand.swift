import Agora
import ArgumentParser
import Foundation

/// `agora prompts`: prints the requests a scenario's language-model agents would send first (system and user
/// messages, reply format, parameters), built by the run's own request code and sent nowhere.
struct PromptsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prompts",
    abstract: "Print the first requests a scenario's policy: llm agents would send, sending nothing.",
    discussion: """
      Plays the run with the decoder in the models' place (no server, no key and no cache needed) and prints the \
      exact system and user messages, the JSON schema of the reply and the sampling parameters of the first \
      decisions. Decisions after the first follow the decoder's choices, so their histories may differ from a real \
      run's.
      """)

  @OptionGroup var scenario: ScenarioOptions

  @Option(help: "Only this agent's decisions (an agent id of a policy: llm segment; default: any llm agent).")
  var agent: Int?

  @Option(help: "How many requests to print.")
  var limit: Int = 3

  func validate() throws {
    guard limit >= 1 else { throw ValidationError("--limit \(limit): expected 1 or more") }
    if let agent, agent < 0 { throw ValidationError("--agent \(agent): expected an agent id, 0 or more") }
  }

  func run() throws {
    let spec = try scenario.load()
    guard spec.population.segments.contains(where: { $0.policy == .llm }) else {
      Terminal.error("\(scenario.file): no segment has policy: llm, so no agent would ask a language model")
      throw ExitCode(2)
    }
    let preview = PromptPreview(agent: agent, limit: limit)
    do {
      _ = try Experiment.run(spec, languageModel: LanguageModelOptions(cache: .off, preview: preview))
    } catch {
      Terminal.error("\(error)")
      throw ExitCode.failure
    }
    let requests = preview.requests
    guard !requests.isEmpty else {
      let who = agent.map { "agent \($0) (is it in a policy: llm segment?)" } ?? "no llm agent"
      Terminal.error("\(spec.name): \(who) made no decision in the run")
      throw ExitCode(2)
    }
    print(requests.map(\.text).joined(separator: "\n\n"))
  }
}
