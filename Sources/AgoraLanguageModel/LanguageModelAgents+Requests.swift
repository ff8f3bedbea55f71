import AgoraCore
import Foundation

/// Requests and replies: the JSON body of a request, the parsing of a reply, and asking for a batch of decisions.
extension LanguageModelAgents {
  /// The canonical JSON body of one request: attempt `attempt` of sample `sample` of a decision seeded `seed`.
  func body(
    _ spec: LanguageModelSpec, _ messages: (system: String, user: String), allowed: [Int], seed decision: UInt64,
    sample: Int, attempt: Int, asksMessage: Bool = false
  ) -> Data {
    let seed = SeedSequence.mix(decision ^ (UInt64(sample) << 32 | UInt64(attempt))) & 0x7FFF_FFFF
    var properties: [String: Any] = ["choice": ["type": "integer", "enum": allowed]]
    if spec.reason { properties["reason"] = ["type": "string", "maxLength": 120] }
    if asksMessage { properties["message"] = ["type": "string", "maxLength": spec.messageChars] }
    let schema: [String: Any] = [
      "type": "object", "properties": properties, "required": ["choice"], "additionalProperties": false,
    ]
    var object: [String: Any] = [
      "model": spec.model,
      "messages": [["role": "system", "content": messages.system], ["role": "user", "content": messages.user]],
      "temperature": spec.temperature, "top_p": spec.topP, "max_tokens": spec.maxTokens, "seed": seed,
    ]
    switch spec.responseFormat {
    case .jsonSchema:
      object["response_format"] = [
        "type": "json_schema", "json_schema": ["name": "decision", "schema": schema, "strict": true],
      ]
    case .jsonObject: object["response_format"] = ["type": "json_object", "schema": schema]
    case .none: break
    }
    return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
      ?? Data()
  }

  /// The 0-based option of a reply, or `nil` when it is not JSON with an integer `choice` among the 1-based
  /// `allowed` numbers.
  static func parseChoice(_ content: String, allowed: [Int]) -> Int? {
    let text = json(content)
    struct Reply: Decodable {
      let choice: Int

      init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let n = try? c.decode(Int.self, forKey: .choice) {
          choice = n
        } else if let n = Int(try c.decode(String.self, forKey: .choice).trimmingCharacters(in: .whitespaces)) {
          choice = n
        } else {
          throw DecodingError.dataCorruptedError(forKey: .choice, in: c, debugDescription: "not a number")
        }
      }

      enum CodingKeys: String, CodingKey { case choice }
    }
    let value = try? JSONDecoder().decode(Reply.self, from: Data(text.utf8)).choice
    guard let v = value, allowed.contains(v) else { return nil }
    return v - 1
  }

  /// A reply's text without surrounding blanks and Markdown code fences.
  static func json(_ content: String) -> String {
    var text = content.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.hasPrefix("```") {
      text = text.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("```") }.joined(separator: "\n")
    }
    return text
  }

  /// The `message` a reply wrote (kept as data, whatever it says), or `nil` when it wrote none.
  static func parseMessage(_ content: String) -> String? {
    struct Reply: Decodable { let message: String? }
    return (try? JSONDecoder().decode(Reply.self, from: Data(json(content).utf8)))?.message
  }

  /// The `reason` a reply gave (kept as data, whatever it says), or `nil` when it gave none.
  static func parseReason(_ content: String) -> String? {
    struct Reply: Decodable { let reason: String? }
    return (try? JSONDecoder().decode(Reply.self, from: Data(json(content).utf8)))?.reason
  }

  /// Asks for every sample of every item, up to the segments' concurrency at once, and records the resolutions.
  func resolve(_ items: [Pending]) {
    struct Job {
      let item: Int
      let sample: Int
    }
    let jobs = items.enumerated().flatMap { n, item in (0..<item.samples).map { Job(item: n, sample: $0) } }
    guard !jobs.isEmpty else { return }
    var outcomes = [Int?](repeating: nil, count: jobs.count)
    var tallies = [LanguageModelUsage](repeating: LanguageModelUsage(), count: jobs.count)
    var errors = [LanguageModelError?](repeating: nil, count: jobs.count)
    var lastReply = [String](repeating: "", count: jobs.count)
    let workers = min(jobs.count, items.map { segments[$0.segment]!.spec.concurrency }.max() ?? 1)
    final class Cursor: @unchecked Sendable {
      var next = 0
      let lock = NSLock()
      func take() -> Int {
        lock.withLock {
          defer { next += 1 }; return next
        }
      }
    }
    let cursor = Cursor()
    outcomes.withUnsafeMutableBufferPointer { outcomesBuffer in
      tallies.withUnsafeMutableBufferPointer { talliesBuffer in
        errors.withUnsafeMutableBufferPointer { errorsBuffer in
          lastReply.withUnsafeMutableBufferPointer { lastBuffer in
            nonisolated(unsafe) let outcomes = outcomesBuffer
            nonisolated(unsafe) let tallies = talliesBuffer
            nonisolated(unsafe) let errors = errorsBuffer
            nonisolated(unsafe) let last = lastBuffer
            let work: @Sendable (Int) -> Void = { _ in
              while true {
                let j = cursor.take()
                guard j < jobs.count else { return }
                let item = items[jobs[j].item]
                let segment = self.segments[item.segment]!
                for attempt in 0...segment.spec.retries {
                  let body = self.body(
                    segment.spec, item.messages, allowed: item.allowed, seed: item.seed, sample: jobs[j].sample,
                    attempt: attempt, asksMessage: item.asksMessage)
                  let key = ResponseCache.key(url: segment.client.url, body: body)
                  let reply: ChatReply
                  if let cached = segment.cache.lookup(key) {
                    reply = cached
                    tallies[j].cacheHits += 1
                  } else {
                    do throws(LanguageModelError) {
                      let (fresh, latency, retried) = try segment.client.complete(body)
                      reply = fresh
                      tallies[j].requests += 1
                      tallies[j].httpRetries += retried
                      tallies[j].latency += latency
                      try segment.cache.store(key, url: segment.client.url, body: body, reply: fresh)
                    } catch {
                      errors[j] = error
                      return
                    }
                  }
                  tallies[j].replies += 1
                  tallies[j].promptTokens += reply.promptTokens
                  tallies[j].completionTokens += reply.completionTokens
                  last[j] = reply.content
                  if let k = LanguageModelAgents.parseChoice(reply.content, allowed: item.allowed) {
                    outcomes[j] = k
                    break
                  }
                  tallies[j].invalidReplies += 1
                }
              }
            }
            if workers == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: work) }
          }
        }
      }
    }
    for j in jobs.indices {
      usage.add(tallies[j])
      if let error = errors[j], failure == nil { failure = error }
    }
    var start = 0
    for item in items {
      let mine = start..<(start + item.samples)
      start += item.samples
      let choices = mine.compactMap { outcomes[$0] }
      let segment = segments[item.segment]!
      let firstValid = mine.first { outcomes[$0] != nil }
      let message = item.asksMessage ? firstValid.flatMap { Self.parseMessage(lastReply[$0]) } : nil
      answers[item.key] = Answer(
        reason: firstValid.flatMap { Self.parseReason(lastReply[$0]) },
        message: message.map { String($0.prefix(segment.spec.messageChars)) },
        messageCut: (message?.count ?? 0) > segment.spec.messageChars,
        cached: mine.allSatisfy { tallies[$0].requests == 0 && errors[$0] == nil })
      if choices.isEmpty {
        resolved[item.key] = .failed
        if segment.spec.onError == .fail && failure == nil {
          failure = .invalidReplies(
            kind: item.kind, agent: item.agent, attempts: segment.spec.retries + 1, last: lastReply[mine.lowerBound])
        }
      } else {
        resolved[item.key] = resolution(of: item, choices: choices)
      }
    }
  }

  /// What valid choices come to: the choice itself, or (archetype mode) the distribution of the samples' choices.
  func resolution(of item: Pending, choices: [Int]) -> Resolution {
    guard !segments[item.segment]!.archetypePersonas.isEmpty else { return .choice(choices[0]) }
    var p = [Double](repeating: 0, count: item.options)
    for k in choices { p[k] += 1 / Double(choices.count) }
    return .distribution(p)
  }

  /// What the cache alone answers for `item`, attempt by attempt as ``resolve(_:)`` would ask: `nil` unless every
  /// sample reaches a valid choice through cached replies only. An estimate follows these answers, so that after a
  /// real run it walks the run's own path and counts its requests as cached.
  func cachedResolution(of item: Pending) -> Resolution? {
    let segment = segments[item.segment]!
    var choices: [Int] = []
    var firstValid: String? = nil
    for sample in 0..<item.samples {
      var choice: Int? = nil
      for attempt in 0...segment.spec.retries {
        let body = self.body(
          segment.spec, item.messages, allowed: item.allowed, seed: item.seed, sample: sample, attempt: attempt,
          asksMessage: item.asksMessage)
        guard let reply = segment.cache.lookup(ResponseCache.key(url: segment.client.url, body: body)) else {
          return nil
        }
        choice = LanguageModelAgents.parseChoice(reply.content, allowed: item.allowed)
        if choice != nil {
          firstValid = firstValid ?? reply.content
          break
        }
      }
      guard let choice else { return nil }
      choices.append(choice)
    }
    // The answer's words too, so that an estimate after a real run passes on the run's messages.
    if answers[item.key] == nil, let content = firstValid {
      let message = item.asksMessage ? Self.parseMessage(content) : nil
      answers[item.key] = Answer(
        reason: Self.parseReason(content), message: message.map { String($0.prefix(segment.spec.messageChars)) },
        messageCut: (message?.count ?? 0) > segment.spec.messageChars, cached: true)
    }
    return resolution(of: item, choices: choices)
  }

  /// Asks the segments' servers to tokenize the estimate's sampled prompts (`/tokenize`, llama.cpp's, or
  /// `/extras/tokenize`, llama-cpp-python's); stops at the first server that has no such endpoint or fails, leaving
  /// the estimate a range.
  func measureTokens() {
    var bytes = 0
    var tokens = 0
    var endpoint: String? = nil
    for sample in estimate.tokenSamples {
      guard let client = segments[sample.segment]?.client, let (count, name) = client.tokenize(sample.text) else {
        return
      }
      bytes += sample.text.utf8.count
      tokens += count
      endpoint = name
    }
    guard bytes > 0 else { return }
    (estimate.measuredBytes, estimate.measuredTokens, estimate.tokenizer) = (bytes, tokens, endpoint)
  }
}
