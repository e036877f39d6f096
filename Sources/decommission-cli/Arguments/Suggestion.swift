/// Finds the known word closest to a mistyped one, for "did you mean" hints.
enum Suggestion {
    /// Returns the candidate nearest to `word`, or nil when none is close enough to be a typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { (candidate: $0, distance: editDistance(word, $0)) }
        guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
        // A third of the word may differ; beyond that a suggestion is more confusing than helpful.
        let limit = max(2, word.count / 3)
        if best.distance <= limit { return best.candidate }
        return candidates.first { $0.hasPrefix(word) && word.count >= 3 }
    }

    /// Returns the Levenshtein distance between two strings.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs), b = Array(rhs)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            previous = current
        }
        return previous[b.count]
    }
}
