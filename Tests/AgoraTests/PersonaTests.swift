import Testing

@testable import AgoraCore
@testable import AgoraLanguageModel

@Suite("Persona")
struct PersonaTests {
  /// Words that put a preference low, and words that put it high; a sentence must not mix them.
  static let lowWords = ["not at all", "hardly", "do not", "far less"]
  static let highWords = ["a great deal", "above all", "always", "very", "almost as much", "strongly"]

  static func has(_ sentence: String, _ words: [String]) -> Bool { words.contains { sentence.contains($0) } }

  @Test("every persona sentence follows its preference's direction at low, middle and high values")
  func directions() {
    for (preference, thresholds, levels) in Persona.sentences {
      #expect(levels.count == thresholds.count + 1, "\(preference)")
      let low = Persona.sentence(preference, 0)
      let middle = Persona.sentence(preference, (thresholds[0] + thresholds[1]) / 2)
      let high = Persona.sentence(preference, thresholds.last! + 1)
      #expect(Self.has(low, Self.lowWords) && !Self.has(low, Self.highWords), "\(preference): \(low)")
      #expect(!Self.has(middle, Self.lowWords) && !Self.has(middle, Self.highWords), "\(preference): \(middle)")
      #expect(Self.has(high, Self.highWords) && !Self.has(high, Self.lowWords), "\(preference): \(high)")
      #expect(Set([low, middle, high]).count == 3, "\(preference)")
      for sentence in levels {
        #expect(!(Self.has(sentence, Self.lowWords) && Self.has(sentence, Self.highWords)), "\(sentence)")
      }
    }
    #expect(!Persona.sentence(.patience, 0).contains("almost as much"))
    #expect(Persona.sentence(.patience, 0.95).contains("almost as much"))
  }

  @Test("the default agent's persona has one sentence per preference")
  func defaults() {
    let text = Persona.describe(Preference.allCases.map(\.defaultValue))
    for preference in Preference.allCases {
      #expect(text.contains(Persona.sentence(preference, preference.defaultValue)), "\(preference)")
    }
    #expect(text.contains("You are not at all patient: later payoffs count for you far less than payoffs now."))
  }
}
