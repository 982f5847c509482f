// libFuzzer target 1 (json): the strict JSON parser, canonical re-encoding, and body documents
// (statement, response, signer, withhold). Built by Tests/Fuzz/run.sh; not part of `swift test`.
import LedgerCore
import LedgerCrypto

func fuzzOne(_ bytes: [UInt8]) {
    let parsed = try? JSONParser.parseCheckingCanonical(bytes)
    let body = try? Body(parsing: bytes)
    let stored = try? Body(stored: bytes)
    guard let (value, isCanonical) = parsed else {
        fuzzCheck(body == nil && stored == nil, "a body parsed from bytes the JSON parser refuses")
        fuzzCheck((try? JSONParser.parse(bytes)) == nil, "parse and parseCheckingCanonical disagree (refused)")
        return
    }
    fuzzCheck((try? JSONParser.parse(bytes)) == value, "parse and parseCheckingCanonical disagree")

    // Canonical form: parse(canonical(x)) == x, canonical is a fixed point and reads as canonical.
    let canonical = CanonicalJSON.encode(value)
    fuzzCheck(isCanonical == (canonical == bytes), "isCanonical is \(isCanonical) but encode(value) == bytes is \(canonical == bytes)")
    guard let (again, againCanonical) = try? JSONParser.parseCheckingCanonical(canonical) else {
        fatalError("fuzz invariant violated: the canonical encoding does not parse")
    }
    fuzzCheck(again == value, "parse(canonical(x)) != x")
    fuzzCheck(againCanonical, "the canonical encoding is not recognised as canonical")
    fuzzCheck(CanonicalJSON.encode(again) == canonical, "canonical(parse(canonical(x))) != canonical(x)")
    fuzzCheck((try? CanonicalJSON.canonicalize(bytes))?.canonical == canonical, "canonicalize disagrees with encode(parse)")

    // Body documents.
    if let body {
        fuzzCheck(body.canonical == canonical, "Body.canonical is not the canonical encoding")
        fuzzCheck(body.sha256 == SHA256.hash(canonical), "Body.sha256 is not the digest of the canonical bytes")
        guard let reread = try? Body(stored: body.canonical) else {
            fatalError("fuzz invariant violated: Body(stored:) refuses the canonical bytes of a valid body")
        }
        fuzzCheck(reread.document == body.document, "Body(stored: canonical) reads another document")
        fuzzCheck(reread.sha256 == body.sha256 && reread.kind == body.kind, "Body(stored: canonical) differs")
        _ = body.statement
    } else if bytes.count <= Body.maxBytes {
        fuzzCheck(stored == nil, "Body(stored:) accepts what Body(parsing:) refuses")
        fuzzCheck((try? Body(value: value)) == nil, "Body(value:) accepts what Body(parsing:) refuses")
    }
    if let stored {
        fuzzCheck(isCanonical && stored.canonical == bytes, "Body(stored:) accepted non-canonical bytes")
        fuzzCheck(body?.document == stored.document, "Body(stored:) and Body(parsing:) disagree")
    }
}
