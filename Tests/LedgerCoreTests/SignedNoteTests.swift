import LedgerCore
import LedgerCrypto
import XCTest

/// C2SP signed-note and tlog-checkpoint, against Go's sumdb/note vectors and a real sum.golang.org checkpoint.
final class SignedNoteTests: XCTestCase {
    var v: [String: Any]!

    override func setUpWithError() throws { v = try Fixtures.json("signed_notes.json") }
    func s(_ k: String) -> String { v[k] as! String }

    func testVerifierKeysParseAndRoundTrip() throws {
        for k in ["peter_vkey", "enoch_vkey", "sumdb_vkey"] {
            let key = try NoteVerifierKey(parsing: s(k))
            XCTAssertEqual(key.text, s(k))
        }
        for bad in v["bad_vkeys"] as! [String] { XCTAssertThrowsError(try NoteVerifierKey(parsing: bad), bad) }
    }

    /// Go's mangling test: every proper prefix and every single-byte change of a key must be refused.
    func testMangledVerifierKeysAreRefused() throws {
        let key = Array(s("peter_vkey").utf8)
        for i in 0..<key.count {
            XCTAssertThrowsError(try NoteVerifierKey(parsing: String(decoding: key[..<i], as: UTF8.self)))
            var changed = key
            changed[i] &+= 1
            if let text = String(validating: changed, as: UTF8.self) {
                XCTAssertThrowsError(try NoteVerifierKey(parsing: text), "byte \(i) changed")
            }
        }
    }

    /// Ed25519 is deterministic: signing Go's text with Go's test seed gives Go's exact signature line.
    func testSigningMatchesGoVectorByteForByte() throws {
        let signer = try NoteSigner(parsingPrivate: s("peter_skey"))
        XCTAssertEqual(signer.verifierKey.text, s("peter_vkey"))
        XCTAssertEqual(try signer.signatureLine(for: s("text")), s("peter_sig_line"))
        XCTAssertEqual(try signer.sign(s("text")), s("text") + "\n" + s("peter_sig_line"))
    }

    func testOpenGoNoteWithBothSignatures() throws {
        let note = try SignedNote.parse(s("text") + "\n" + s("peter_sig_line") + s("enoch_sig_line"))
        XCTAssertEqual(note.text, s("text"))
        let peter = try NoteVerifierKey(parsing: s("peter_vkey")), enoch = try NoteVerifierKey(parsing: s("enoch_vkey"))
        XCTAssertEqual(try note.verify([peter, enoch]).map(\.name), ["PeterNeumann", "EnochRoot"])
        XCTAssertEqual(try note.verify([enoch]).map(\.name), ["EnochRoot"], "unknown signatures are ignored")
        let sumdb = try NoteVerifierKey(parsing: s("sumdb_vkey"))
        XCTAssertThrowsError(try note.verify([sumdb])) { XCTAssertTrue("\($0)".contains("not signed by")) }
    }

    func testRealSumGolangOrgCheckpointVerifies() throws {
        let key = try NoteVerifierKey(parsing: s("sumdb_vkey"))
        for text in v["sumdb_checkpoints"] as! [String] {
            let note = try SignedNote.parse(text)
            XCTAssertEqual(try note.verify([key]).count, 1)
            let cp = try Checkpoint.parse(text: note.text)
            XCTAssertEqual(cp.origin, "go.sum database tree")
            XCTAssertEqual(cp.size, 49_189_689)
            XCTAssertEqual(cp.text, note.text)
            XCTAssertEqual(note.encoded, text, "re-encoding gives the same bytes")
        }
    }

    /// The C2SP spec's checkpoint example is a relabelled sum.golang.org checkpoint (see SOURCES.md).
    func testC2SPExampleIsARelabelledSumdbCheckpoint() throws {
        let example = try SignedNote.parse(s("c2sp_checkpoint_example"))
        let cp = try Checkpoint.parse(text: example.text)
        XCTAssertEqual(cp.origin, "example.com/behind-the-sofa")
        let relabelled = "go.sum database tree\n" + example.text.split(separator: "\n", maxSplits: 1)[1]
        let sig = example.signatures[0]
        let key = try NoteVerifierKey(parsing: s("sumdb_vkey"))
        XCTAssertEqual(sig.keyID, key.keyID)
        XCTAssertTrue(key.publicKey.verify(signature: sig.signature, message: Array(relabelled.utf8)))
        XCTAssertNoThrow(try SignedNote.parse(s("c2sp_signed_note_example")))
    }

    func testGoTreeNoteBodyRootIsLeafHashOfHelloWorld() throws {
        let cp = try Checkpoint.parse(text: s("go_tree_note_body"))
        XCTAssertEqual(cp.size, 123_456_789_012)
        XCTAssertEqual(cp.root, MerkleHash.leaf(Array("hello world".utf8)))
        XCTAssertEqual(cp.text, s("go_tree_note_body"))
    }

    func testMalformedNotesAreRefused() throws {
        let text = s("text"), line = s("peter_sig_line")
        let peter = try NoteVerifierKey(parsing: s("peter_vkey"))
        let cases: [(String, String)] = [
            ("no blank line", text + line),
            ("no final newline", text + "\n" + line.dropLast()),
            ("control character", "If you\u{07} think\n\n" + line),
            ("no signatures", text + "\n"),
            ("bad prefix", text + "\n- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"),
            ("short signature", text + "\n\u{2014} PeterNeumann AAAA\n"),
            ("name with space", text + "\n\u{2014} Peter Neumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"),
            ("101 signatures", text + "\n" + String(repeating: s("enoch_sig_line"), count: 101)),
        ]
        for (what, note) in cases {
            XCTAssertThrowsError(try SignedNote.parse(note).verify([peter]), what)
        }
        XCTAssertThrowsError(try SignedNote.parse(Array(text.utf8) + [0x0A, 0xFF, 0x0A]), "invalid UTF-8")
        // A corrupted signature by a known key rejects the note even if another known key signed.
        var sig = Array(Base64.decode(String(line.split(separator: " ")[2].dropLast()))!)
        sig[10] ^= 1
        let corrupted = text + "\n\u{2014} PeterNeumann \(Base64.encode(sig))\n" + s("enoch_sig_line")
        XCTAssertThrowsError(try SignedNote.parse(corrupted).verify([peter, try NoteVerifierKey(parsing: s("enoch_vkey"))]))
        // 100 signatures are accepted (we must accept at least 16).
        XCTAssertNoThrow(try SignedNote.parse(text + "\n" + String(repeating: s("enoch_sig_line"), count: 99) + line))
        // The text splits at the last blank line: a note whose text has a blank line still opens.
        let signer = try NoteSigner(parsingPrivate: s("peter_skey"))
        let twoParagraphs = "para one\n\npara two\n"
        XCTAssertEqual(try SignedNote.parse(try signer.sign(twoParagraphs)).text, twoParagraphs)
    }

    func testMalformedCheckpointsAreRefused() throws {
        let root = MerkleHash.emptyRoot.base64
        for bad in ["origin\n5\n", "\n5\n\(root)\n", "o\n05\n\(root)\n", "o\n-1\n\(root)\n", "o\n+5\n\(root)\n",
                    "o\n5\nAAAA\n", "o\n5\n\(root)\n\n", "o\n5\n\(root)"] {
            XCTAssertThrowsError(try Checkpoint.parse(text: bad), bad)
        }
        XCTAssertEqual(try Checkpoint.parse(text: "o\n0\n\(root)\next\n").extensions, ["ext"])
    }

    func testCheckpointOpenChecksOriginAndKey() throws {
        let key = try Ed25519PrivateKey.generate()
        let signer = try NoteSigner(name: "example.org/log", privateKey: key)
        let cp = Checkpoint(origin: "example.org/log", size: 3, root: MerkleHash.emptyRoot)
        let note = try signer.sign(cp.text)
        XCTAssertEqual(try Checkpoint.open(Array(note.utf8), logKey: signer.verifierKey).checkpoint, cp)
        let other = try NoteSigner(name: "example.org/log", privateKey: try Ed25519PrivateKey.generate())
        XCTAssertThrowsError(try Checkpoint.open(Array(note.utf8), logKey: other.verifierKey))
        let wrongOrigin = try signer.sign(Checkpoint(origin: "example.org/other", size: 3, root: MerkleHash.emptyRoot).text)
        XCTAssertThrowsError(try Checkpoint.open(Array(wrongOrigin.utf8), logKey: signer.verifierKey)) {
            XCTAssertEqual($0 as? CheckpointError, .wrongOrigin(found: "example.org/other", expected: "example.org/log"))
        }
    }
}
