import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerQuery
import LedgerStorage
import LedgerText

/// `ledger source`: platforms' own pages archived in the ledger as `document` entries
/// (docs/FORMAT.md §5c), with the text statements quote from.
struct SourceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "source", abstract: "Archive platforms' pages (policies, reports, FAQs) in the ledger and read them back.",
        subcommands: [Add.self, List.self, Show.self, Diff.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Archive a fetched page: its bytes, where and when it was fetched, and its text, signed and appended.",
            discussion: """
                The text is extracted by the rules disclosure-text/v1 (HTML through libxml2: the page's main \
                content, without scripts, styles or navigation; Unicode NFC; whitespace collapsed). Prints \
                "SEQ LEAF_HASH" and what was archived. At most 3 MiB of content.
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "The signer's private key.") var key: String
        @Option(help: "The address the page was fetched from.") var url: String
        @Option(help: "The platform the page is about.") var platform: String
        @Option(help: "privacy-policy, terms, transparency-report, faq, law-enforcement-guidelines, blog-post, news-report or third-party-record.") var type: String
        @Option(help: "When it was fetched, or with --transcribed when the copy was read (UTC, to the second: 2024-09-10T12:00:00Z); default now.") var retrievedAt: String?
        @Flag(help: "The file is text an editor transcribed from an archived copy of the page (text/plain, beginning with a header that names the copy), not the page as --url served it.") var transcribed = false
        @Option(help: "text/html or text/plain; default from the file's extension (.html, .htm, .txt).") var mediaType: String?
        @Option(help: "The charset the server named, if any (else the page's own declaration or UTF-8).") var charset: String?
        @Argument(help: "The page as fetched.") var file: String

        func run() throws {
            try runReportingErrors {
                let platform = try QueryOptions.platform(self.platform)
                let type = try DocumentOptions.type(self.type)
                let media = try mediaTypeOfFile()
                let retrieved = try retrievedAt.map { text -> Timestamp in
                    guard let t = Timestamp(text), t.secondsText == text else { throw CLIError.usage("--retrieved-at: a UTC time to the second, like 2024-09-10T12:00:00Z") }
                    return t
                } ?? Timestamp(millis: Timestamp.now().wholeSeconds * 1000)
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
                guard size <= ArchivedDocument.maxContentBytes else { throw TextError.tooLarge(bytes: size) }
                let content = try readFile(file)
                let text = try TextExtraction.text(of: content, mediaType: media, charset: charset)
                guard !transcribed || media == .plain else { throw CLIError.usage("--transcribed: the file must be text/plain (an editor's text, not a page as served)") }
                let document = ArchivedDocument(capture: transcribed ? .transcribed : .fetched, platform: platform, type: type, url: url, retrievedAt: retrieved, mediaType: media, content: content, text: text)
                let body: Body
                do { body = try Body(value: document.json) } catch { throw CLIError.input("\(file): \(error)") }
                let signingKey = try KeyFiles.readPrivate(key)
                let (store, logKey) = try KeyFiles.openForWriting(global)
                let signer = try KeyFiles.signer(of: signingKey, at: key, in: store, logKeyAllowed: false)
                let appended = try store.append([try PendingEntry.sign(body, origin: .file(file), signer: signer, key: signingKey)], logKey: logKey)[0]
                print("\(appended.seq) \(appended.leafHash.hex)")
                printError("archived \(platform) \(type.rawValue) \(transcribed ? "transcribed from a copy of" : "from") \(url) as seq \(appended.seq): \(content.count) bytes, \(text.unicodeScalars.count) characters of text")
            }
        }

        func mediaTypeOfFile() throws -> ArchivedDocument.MediaType {
            if let mediaType {
                guard let m = ArchivedDocument.MediaType(rawValue: mediaType) else { throw CLIError.usage("--media-type: text/html or text/plain") }
                return m
            }
            switch (file as NSString).pathExtension.lowercased() {
            case "html", "htm": return .html
            case "txt": return .plain
            default: throw CLIError.usage("--media-type: give text/html or text/plain (\(file) has no .html, .htm or .txt extension)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "The archived pages, oldest first, one line each (tab-separated), optionally of one platform.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Only this platform's pages.") var platform: String?

        func run() throws {
            try runReportingErrors {
                let platform = try self.platform.map(QueryOptions.platform)
                let store = try LedgerStore(path: global.ledger, readonly: true)
                var out = Output()
                out.line(["SEQ", "RETRIEVED", "PLATFORM", "TYPE", "CAPTURE", "SHA256", "URL"].joined(separator: "\t"))
                var after: Int64?
                // A page of rows at a time, no body read: memory stays that of one page.
                while true {
                    let page = try DocumentQuery.versions(store, platform: platform, after: after)
                    for d in page {
                        out.line([String(d.seq), d.retrievedAt, d.platform, d.documentType, d.capture.rawValue, d.contentSHA256.hex, d.url].joined(separator: "\t"))
                    }
                    try out.flush()
                    guard page.count == DocumentQuery.pageSize, let last = page.last else { break }
                    after = last.seq
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "One archived page: what it is, or (--text) its text, or (--quote) whether a quote is in it.",
            discussion: "With --quote, exit status 1 when the quote is not in the text (compared as disclosure-text/v1 normalises both); the nearest passage is printed.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print the extracted text.") var text = false
        @Flag(help: "Print the content as archived (the fetched bytes).") var content = false
        @Option(help: "Say whether this quote is in the page's text.") var quote: String?
        @Argument(help: "The document entry's seq.") var seq: Int64

        func run() throws {
            try runReportingErrors {
                let store = try LedgerStore(path: global.ledger, readonly: true)
                let d = try DocumentQuery.page(store, seq: seq)
                if content {
                    FileHandle.standardOutput.write(Data(d.content))
                } else if text {
                    print(d.text)
                } else if let quote {
                    switch QuoteCheck.check(quote, in: d.text) {
                    case .found:
                        print("seq \(seq): the quote is in the text of \(d.url) as retrieved \(d.retrievedAt.secondsText)")
                    case .notFound(let nearest):
                        print("seq \(seq): the quote is not in the text of \(d.url) as retrieved \(d.retrievedAt.secondsText)")
                        if let nearest { print("nearest passage: \u{201C}\(nearest)\u{201D}") }
                        throw ExitCode(1)
                    }
                } else {
                    print(ShowCard.text(try store.entry(seq: seq)), terminator: "")
                }
            }
        }
    }

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff", abstract: "What changed in a page's text between two archived versions, word by word.",
            discussion: "One line per change: the words before, [-removed-] {+added+}, the words after (¶: a paragraph break). Exit status 0 either way.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Unchanged words shown on each side of a change.") var context = 8
        @Argument(help: "The older version's seq.") var old: Int64
        @Argument(help: "The newer version's seq.") var new: Int64

        func run() throws {
            try runReportingErrors {
                guard (0...1000).contains(context) else { throw CLIError.usage("--context: 0 to 1000 words") }
                let store = try LedgerStore(path: global.ledger, readonly: true)
                let (a, b, diff) = try DocumentQuery.diff(store, old: old, new: new)
                print("seq \(old) \(a.url) retrieved \(a.retrievedAt.secondsText)")
                print("seq \(new) \(b.url) retrieved \(b.retrievedAt.secondsText)")
                guard !diff.isEmpty else { return print("the text is the same") }
                let (removed, added) = diff.counts
                print("\(removed) words removed, \(added) added")
                print(diff.text(context: context))
            }
        }
    }
}
