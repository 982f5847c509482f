import LedgerCore

/// A change between two claims of one category, said the way a reader follows a timeline:
/// "withdrawn: has never disclosed user data to law-enforcement", "widened: may disclose … (now
/// also to courts)", "condition changed: … → …". Figures are said by `Changes.FigureDelta`.
enum ChangeWords {
    static func describe(before: FieldValues, after: FieldValues, changedFields: [String]) -> [String] {
        var out: [String] = []
        // A statement without assertions (a report of figures) says nothing of the policy: it
        // withdraws nothing. Assertions pair up by what they are about: action and polarity.
        guard !after.assertions.isEmpty else { return changedFields.contains("quote") ? ["quote reworded"] : [] }
        func key(_ a: Assertion) -> String { a.action.rawValue + " " + a.polarity.rawValue }
        var unmatched = before.assertions
        for a in after.assertions {
            if let i = unmatched.firstIndex(of: a) {
                unmatched.remove(at: i)
            } else if let i = unmatched.firstIndex(where: { key($0) == key(a) }) {
                out.append(compare(unmatched[i], a))
                unmatched.remove(at: i)
            } else if let i = unmatched.firstIndex(where: { $0.action == a.action && $0.recipient == a.recipient }) {
                out.append("changed: \"\(Words.assertion(unmatched[i]))\" is now \"\(Words.assertion(a))\"")
                unmatched.remove(at: i)
            } else {
                out.append("new: \(Words.assertion(a))")
            }
        }
        out += unmatched.map { "withdrawn: \(Words.assertion($0))" }
        if let r = scope(before.recipients, after.recipients) { out.append("recipients " + r) }
        if changedFields.contains("quote") { out.append("quote reworded") }
        return out
    }

    /// Two assertions of one action and polarity: what widened or narrowed.
    static func compare(_ a: Assertion, _ b: Assertion) -> String {
        var notes: [String] = []
        if let r = scope(a.recipient.map { [$0] } ?? [], b.recipient.map { [$0] } ?? []) { notes.append("recipient " + r) }
        if let d = scope(a.dataKinds, b.dataKinds, hierarchy: false) { notes.append("data " + d) }
        switch (a.jurisdiction, b.jurisdiction) {
        case (let x?, nil): notes.append("widened from \(x) to everywhere")
        case (nil, let y?): notes.append("narrowed to \(y)")
        case (let x?, let y?) where x != y: notes.append("moved from \(x) to \(y)")
        default: break
        }
        if a.condition != b.condition {
            notes.append("condition changed from \"\(a.condition ?? "none")\" to \"\(b.condition ?? "none")\"")
        }
        return "changed: \(Words.assertion(b)) (\(notes.joined(separator: "; ")))"
    }

    /// "widened (now also …)", "narrowed (no longer …)" or "changed (…)"; nil when equal.
    /// With `hierarchy`, a broader recipient counts as widening.
    static func scope(_ a: [String], _ b: [String], hierarchy: Bool = true) -> String? {
        guard Set(a) != Set(b) else { return nil }
        func covered(_ x: String, by list: [String]) -> Bool {
            list.contains { hierarchy ? RecipientHierarchy.isWithin(x, $0) : $0 == x || $0 == "any-user-data" }
        }
        let wider = a.allSatisfy { covered($0, by: b) }
        let narrower = b.allSatisfy { covered($0, by: a) }
        let added = b.filter { !a.contains($0) }, removed = a.filter { !b.contains($0) }
        var detail: [String] = []
        if !added.isEmpty { detail.append("now " + added.joined(separator: ", ")) }
        if !removed.isEmpty { detail.append("no longer " + removed.joined(separator: ", ")) }
        let word = wider && !narrower ? "widened" : narrower && !wider ? "narrowed" : "changed"
        return "\(word) (\(detail.joined(separator: "; ")))"
    }
}
