import LedgerCompare
import LedgerCore
import LedgerCrypto
import LedgerStorage

/// `/entries/{seq}`: the statement, its signer and source, the inclusion proof against the latest
/// checkpoint, and the shell commands that check all of it without trusting this server.
enum EntryPage {
    struct Input {
        let entry: StoredEntry
        let signerKey: Ed25519PublicKey?
        let proof: InclusionProof
        let root: Digest
        let checkpoint: String
        let base: String
        let origin: String
        /// The archived page the statement's `source.sha256` names, if this ledger holds it.
        var archivedSource: Int64? = nil
        /// A statement's standing: the entries answering it, and its marks from the history model
        /// (nil when its platform's history is past the service's limit).
        var answers: [LinkRow] = []
        var marks: [Mark]? = nil
    }

    static func render(_ i: Input) -> String {
        let e = i.entry
        let leafHash = MerkleHash.leaf(e.leaf)
        var body = "<h1>Entry \(e.seq)</h1>\n"
        if let s = e.parsedStatement {
            body += standing(i) + statementSection(s, entry: e, archivedSource: i.archivedSource)
        } else if let bytes = e.body {
            body += otherSection(bytes, entry: e)
        } else {
            body += "<p>This statement's body is <strong>withheld</strong> by a signed notice; its digest, signature and proofs remain valid.</p>"
        }
        body += """
            <h2>Signer</h2>
            <p><strong>\(HTML.escape(e.signer))</strong>\(e.signer == SignerName.log ? " (the log key)" : ""), appended \(HTML.escape(e.time)).</p>
            \(i.signerKey.flatMap { try? $0.pem() }.map { "<pre>\(HTML.escape($0))</pre>" } ?? "")
            <h2>Leaf</h2>
            <pre class="wrap">\(HTML.escape(String(decoding: e.leaf, as: UTF8.self)))</pre>
            <p>Leaf hash <span class="hash">\(leafHash.hex)</span></p>
            <h2>Inclusion proof</h2>
            <p>In the tree of \(i.proof.size) entries with root <span class="hash">\(i.root.base64)</span>:</p>
            <ol>\(i.proof.hashes.map { "<li class=\"hash\">\($0.base64)</li>" }.joined())</ol>
            <pre>\(HTML.escape(i.checkpoint))</pre>
            <h2>Check it yourself</h2>
            <pre>\(HTML.escape(commands(i)))</pre>
            """
        return HTMLPage.document(title: "Entry \(e.seq)", origin: i.origin, body: body)
    }

    /// Where a statement stands, in words, each linking the entry behind it: retracted or
    /// amended, disputed or endorsed by whom, contradicted by which figures, its quoted page
    /// changed since when (`ledger history` gives the same marks).
    static func standing(_ i: Input) -> String {
        func entry(_ seq: Int64) -> String { HTML.link("/entries/\(seq)", "seq \(seq)") }
        var lines = i.answers.map { a in
            "\(ComparePage.verb(a.kind)) by \(HTML.escape(a.signer)) in \(entry(a.seq))" + (a.kind == .retraction ? ": no longer a claim" : "")
        }
        lines += (i.marks ?? []).map(ComparePage.sentence)
        if i.marks == nil { lines.append("its platform's history is too long to mark here: <code>ledger history</code> gives its marks") }
        guard !lines.isEmpty else { return "<p id=\"standing\">Standing: <strong>live</strong>, unanswered and uncontradicted.</p>\n" }
        return "<h2 id=\"standing\">Standing</h2><ul class=\"marks\">" + lines.map { "<li>\($0)</li>" }.joined() + "</ul>\n"
    }

    /// A response, signer event or withhold notice as a card: what it does, who signed it, the
    /// entry it is about (linked), then its body as stored.
    private static func otherSection(_ bytes: [UInt8], entry e: StoredEntry) -> String {
        let signer = "<strong>\(HTML.escape(e.signer))</strong>" + (e.signer == SignerName.log ? " (the log key)" : "")
        var card: String
        switch (try? Body(stored: bytes))?.document {
        case .response(let r)?:
            let source = r.source.url.map { HTML.externalLink($0, r.source.title) } ?? HTML.escape(r.source.title ?? "")
            card = "<p>\(signer) <strong>\(r.stance == .dispute ? "disputes" : "endorses")</strong> the statement at "
                + HTML.link("/entries/\(r.targetSeq)", "seq \(r.targetSeq)") + ":</p>"
                + "<blockquote class=\"quote\" lang=\"\(HTML.escape(r.language))\">\(HTML.escape(r.reason))</blockquote>"
                + "<p>Source: \(source)<br><span class=\"meta\">archived copy SHA-256 <span class=\"hash\">\(r.source.sha256.hex)</span></span></p>"
        case .signer(let ev)?:
            card = "<p>\(signer) <strong>\(ev.action == .add ? "registers" : "revokes")</strong> the signer <strong>\(HTML.escape(ev.name))</strong>.</p>"
        case .withhold(let w)?:
            card = "<p>\(signer) <strong>withholds</strong> the body of " + HTML.link("/entries/\(w.seq)", "seq \(w.seq)")
                + ": \(HTML.escape(w.reason))</p>"
        case .archive(let d)?:
            return DocumentPages.card(d, seq: e.seq, signer: e.signer)
        default:
            card = "<p>A <strong>\(HTML.escape(e.kind))</strong> entry signed by \(signer).</p>"
        }
        return card + "<details><summary>Body as stored</summary><pre class=\"wrap\">\(HTML.escape(String(decoding: bytes, as: UTF8.self)))</pre></details>"
    }

    private static func statementSection(_ s: Statement, entry e: StoredEntry, archivedSource: Int64?) -> String {
        var rows: [(String, String)] = [
            ("platform", HTML.link("/platforms/\(s.platform)", s.platform)),
            ("category", HTML.escape(s.category.rawValue)),
            ("published", HTML.date(s.published.description)),
        ]
        if let d = s.takesEffect { rows.append(("takes effect", HTML.date(d.description))) }
        if !s.products.isEmpty { rows.append(("products", HTML.escape(s.products.joined(separator: ", ")))) }
        if let p = s.period { rows.append(("period", HTML.date(p.start.description) + " to " + HTML.date(p.end.description))) }
        if let summary = s.summary { rows.append(("summary", HTML.escape(summary))) }
        if let speaker = s.speaker { rows.append(("speaker", HTML.escape(speaker))) }
        if !s.recipients.isEmpty { rows.append(("recipients", HTML.escape(s.recipients.joined(separator: ", ")))) }
        if !s.dataKinds.isEmpty { rows.append(("data kinds", HTML.escape(s.dataKinds.joined(separator: ", ")))) }
        if !s.figures.isEmpty { rows.append(("figures", HTMLPage.figureLines(s.figures))) }
        if !s.assertions.isEmpty { rows.append(("says it", HTML.escape(s.assertions.map(Words.assertion).joined(separator: "; ")))) }
        if let sup = s.supersedes {
            rows.append(("supersedes", "\(HTML.escape(sup.kind.rawValue)) of \(HTML.link("/entries/\(sup.seq)", "seq \(sup.seq)"))"))
        }
        var source = s.source.url.map { HTML.externalLink($0, s.source.title) } ?? HTML.escape(s.source.title ?? "")
        source += "<br><span class=\"meta\">retrieved \(HTML.escape(s.source.retrievedAt.secondsText)); archived copy SHA-256 "
        source += "<span class=\"hash\">\(s.source.sha256.hex)</span></span>"
        if let archive = s.source.archiveURL { source += "<br>" + HTML.externalLink(archive, "archived copy") }
        if let seq = archivedSource {
            source += "<br>the page as archived in this ledger, which the quote is checked against: " + HTML.link("/entries/\(seq)", "seq \(seq)")
        }
        rows.append(("source", source))
        let table = rows.map { "<tr><th>\($0.0)</th><td>\($0.1)</td></tr>" }.joined(separator: "\n")
        return """
            <blockquote class="quote" lang="\(HTML.escape(s.language))">\(HTML.escape(s.quote).replacingOccurrences(of: "\n", with: "<br>"))</blockquote>
            <table>\(table)</table>
            """
    }

    /// Shell commands (curl, sha256sum, openssl, python3) that re-derive every claim on the page.
    static func commands(_ i: Input) -> String {
        let e = i.entry
        let seq = e.seq
        var out = """
            BASE=\(i.base)
            curl -s $BASE/v1/entries/\(seq)/leaf > leaf.json
            { printf '\\0'; cat leaf.json; } | sha256sum          # leaf hash: \(MerkleHash.leaf(e.leaf).hex)

            """
        if e.body != nil {
            let key = e.signer == SignerName.log ? "the log's key (GET /v1/signers: log_key; or keys/log.pub)" : "\(e.signer)'s key shown above"
            out += """
                curl -s $BASE/v1/entries/\(seq)/body > body.json
                sha256sum body.json                                  # body_sha256: \(Hex.encode(e.bodySHA256))
                # the signature: save \(key) as signer.pub, then
                { printf 'disclosure-ledger/v1 \(e.kind)\\n'; openssl dgst -sha256 -binary body.json; } > msg.bin
                grep -o '"sig":"[^"]*"' leaf.json | cut -d'"' -f4 | openssl base64 -d -A > sig.bin
                openssl pkeyutl -verify -pubin -inkey signer.pub -rawin -in msg.bin -sigfile sig.bin

                """
        }
        out += """
            # the receipt: leaf, body, the latest signed checkpoint and the inclusion proof in its tree;
            # `ledger-verify receipt receipt.json --log-key LOG_KEY` checks all of it at once
            curl -s "$BASE/v1/receipt/\(seq)" > receipt.json
            # by hand: the inclusion proof (RFC 9162 §2.1.3.2) leads from the leaf hash to the root
            python3 - receipt.json <<'EOF'
            import base64, hashlib, json, sys
            h = lambda b: hashlib.sha256(b).digest()
            rc = json.load(open(sys.argv[1])); p = rc["inclusion_proof"]; r = h(b"\\0" + rc["leaf"].encode())
            fn, sn = p["leaf_index"], p["tree_size"] - 1
            for x in map(base64.b64decode, p["inclusion_path"]):
                if fn & 1 or fn == sn:
                    r = h(b"\\1" + x + r)
                    while fn and not fn & 1: fn >>= 1; sn >>= 1
                else:
                    r = h(b"\\1" + r + x)
                fn >>= 1; sn >>= 1
            print("root", base64.b64encode(r).decode(), "OK" if sn == 0 and base64.b64encode(r).decode() == p["root"] else "MISMATCH")
            EOF
            # that root is the one the log signed (docs/FORMAT.md §10); log.pub is the log's key,
            # pinned out of band (or: GET /v1/signers, log_public_key_pem)
            python3 -c 'import json; print(json.load(open("receipt.json"))["checkpoint"], end="")' > note.txt
            head -n 3 note.txt > text.bin; sed -n 5p note.txt | cut -d' ' -f3 | openssl base64 -d -A | tail -c 64 > sig.bin
            openssl pkeyutl -verify -pubin -inkey log.pub -rawin -in text.bin -sigfile sig.bin
            """
        return out
    }
}
