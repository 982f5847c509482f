// libFuzzer target 3 (notes): C2SP signed notes, checkpoints, cosignature lines and verifier
// keys. Built by Tests/Fuzz/run.sh; not part of `swift test`.
import LedgerCore
import LedgerCrypto

/// Fixed keys, so seeds made by Tests/Fuzz/make_seeds.py (same seeds, same names) carry valid
/// signatures and cosignatures and the fuzzer starts past the signature checks.
let logKey: NoteVerifierKey = {
    let key = try! Ed25519PrivateKey.fromSeed([UInt8](repeating: 0x4C, count: 32))
    return try! NoteVerifierKey(name: "fuzz.example/log", publicKey: key.publicKey)
}()
let witnessKey: CosignerKey = {
    let key = try! Ed25519PrivateKey.fromSeed([UInt8](repeating: 0x57, count: 32))
    return try! CosignerKey(name: "fuzz.example/witness", publicKey: key.publicKey)
}()
/// A real log key (docs/FORMAT.md §18) whose notes are in the seeds too.
let docsLogKey = try! NoteVerifierKey(parsing: "example.org/proofs+721cd784+AZ5pWqXctR/LFfLfSeS9/ONUW2AXxpdICJcYQqUe+7eh")

func checkCheckpointText(_ text: String, fromNote: Bool) {
    guard let checkpoint = try? Checkpoint.parse(text: text) else { return }
    fuzzCheck(checkpoint.text == text, "checkpoint text does not round-trip")
    fuzzCheck(checkpoint.size >= 0 && !checkpoint.origin.isEmpty, "bad size or origin")
    fuzzCheck((try? Checkpoint.parse(text: checkpoint.text)) == checkpoint, "parse(text) != checkpoint")
    if fromNote {
        // A note's text holds no control character but LF, so no line can hold an LF.
        fuzzCheck(!checkpoint.origin.utf8.contains(0x0A) && checkpoint.extensions.allSatisfy { !$0.utf8.contains(0x0A) && !$0.isEmpty },
                  "a checkpoint line holds a newline")
    }
}

func fuzzOne(_ bytes: [UInt8]) {
    if let note = try? SignedNote.parse(bytes) {
        fuzzCheck(Array(note.encoded.utf8) == bytes, "a parsed note does not re-encode to its bytes")
        fuzzCheck((1...SignedNote.maxSignatures).contains(note.signatures.count), "signature count \(note.signatures.count)")
        fuzzCheck(note.text.utf8.last == 0x0A, "note text does not end in a newline")
        fuzzCheck((try? SignedNote.parse(note.encoded)) == note, "parse(encoded) != note")
        checkCheckpointText(note.text, fromNote: true)
        for key in [logKey, docsLogKey] {
            if let verified = try? note.verify([key]) { fuzzCheck(verified == [key], "verify returned other keys") }
        }
        _ = try? witnessKey.verifyCosignature(on: note)
        _ = try? verifiedCosigners(of: note, among: [witnessKey])
        for key in [logKey, docsLogKey] {
            if let opened = try? Checkpoint.open(bytes, logKey: key) {
                fuzzCheck(opened.checkpoint.origin == key.name && opened.note == note, "Checkpoint.open result is inconsistent")
            }
        }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    checkCheckpointText(text, fromNote: false)
    if let key = try? NoteVerifierKey(parsing: text) {
        fuzzCheck(key.text == text, "verifier key text does not round-trip")
        fuzzCheck(key.keyID == NoteVerifierKey.keyID(name: key.name, publicKey: key.publicKey.raw), "key ID mismatch")
    }
    if let key = try? CosignerKey(parsing: text) {
        fuzzCheck(key.text == text, "witness key text does not round-trip")
    }
    if let signer = try? NoteSigner(parsingPrivate: text) {
        fuzzCheck((try? NoteVerifierKey(parsing: signer.verifierKey.text)) == signer.verifierKey, "signer's verifier key does not round-trip")
    }
}
