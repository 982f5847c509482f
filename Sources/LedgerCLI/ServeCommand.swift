import ArgumentParser
import Foundation
import LedgerCommandSupport
import LedgerCore
import LedgerCrypto
import LedgerServer
import LedgerStorage
import Logging

/// `ledger serve`: the HTTP service (JSON API, tlog tiles, web pages) on the ledger file.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the ledger over HTTP: JSON API under /v1, C2SP tiles, web pages (docs/API.md).",
        discussion: """
            On first run (no ledger file yet) it sets up the ledger like `ledger demo`: log key, demo \
            signer, demo statements. Appends from concurrent clients are group-committed: one \
            transaction and one checkpoint per batch. SIGTERM or SIGINT stops taking requests, \
            finishes the ones in flight and commits every queued append before exiting.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port; the address is printed).") var port = 8080
    @Option(help: "Demo statements loaded when the ledger is created.") var statements = "ledger/statements"
    @Option(help: "Most appends per transaction (and per checkpoint).") var maxBatch = 1000
    @Option(help: "Milliseconds the writer waits for a batch to fill (0: it commits whatever queued while it was busy).") var batchWaitMs = 0
    @Option(help: "Most appends waiting; beyond it appends answer 503 with Retry-After.") var queueCapacity = 16384
    @Option(help: "Most open connections (default: the descriptor limit less min(256, a quarter of it)); at the limit new ones wait, and above half of it idle ones are closed first.")
    var maxConnections: Int?
    @Option(help: "The URL readers reach this service at (e.g. https://ledger.example.org), for the absolute links of feeds and pages; default: the address it listens on.")
    var publicURL: String?
    @Flag(help: "Serve reads only, without the log key (the default for a copy made by `ledger mirror`).") var readOnly = false
    @Option(help: "Keep DIR a static publication of the ledger (`ledger publish DIR`), brought up to date after each new checkpoint.")
    var publish: String?
    @Option(help: "Where the --publish DIR is served (e.g. https://static.example.org): the web pages and Atom feeds are published there too.")
    var publishURL: String?
    @Option(help: "A witness's submission prefix (C2SP tlog-witness): each new checkpoint is sent to it and its cosignature stored, without delaying appends; repeat for each.")
    var witness: [String] = []
    @Option(help: "The verifier key of each --witness, in the same order (trusted from then on).")
    var witnessKey: [String] = []

    func run() throws {
        try runReportingErrors {
            guard (0...65535).contains(port) else { throw CLIError.usage("--port must be between 0 and 65535") }
            try PublishCommand.checkPublicURL(publicURL, option: "--public-url")
            try PublishCommand.checkPublicURL(publishURL, option: "--publish-url")
            guard publishURL == nil || publish != nil else { throw CLIError.usage("--publish-url goes with --publish DIR") }
            guard witness.count == witnessKey.count else {
                throw CLIError.usage("give each --witness URL with its --witness-key VKEY (got \(witness.count) URLs and \(witnessKey.count) keys)")
            }
            for key in witnessKey { _ = try CosignerKey.parsingOption(key) }
            guard maxBatch >= 1, batchWaitMs >= 0, queueCapacity >= 1 else {
                throw CLIError.usage("--max-batch and --queue-capacity must be at least 1, --batch-wait-ms at least 0")
            }
            if !FileManager.default.fileExists(atPath: global.ledger) {
                try DemoSeed.load(global, statements: statements) { say($0) }.close()
            }
            // A mirror holds no log key: it serves what it verified and refuses appends.
            let mirror = try LedgerStore(path: global.ledger)
            let isMirror = try (mirror.isMirror || mirror.mirrorProgress() != nil) && !FileManager.default.fileExists(atPath: global.logKeyPath)
            try mirror.close()
            var logKey: Ed25519PrivateKey?
            if !readOnly && !isMirror {
                let (store, key) = try KeyFiles.openForWriting(global)
                // An import killed with its look-up indexes deferred left them missing: built
                // now, before the first read would scan for want of them. A file that cannot
                // have them (a statement stored twice) is still served, to be read and audited.
                do { try store.restoreIndexesOfKilledImport() } catch {
                    say("the look-up indexes a killed import left missing cannot be built: \(error); reads are served, appends refused")
                }
                try store.close()
                logKey = key
            }

            let logger = Self.logger()
            let options = GroupCommitOptions(maxBatch: maxBatch, maxWait: .milliseconds(batchWaitMs), capacity: queueCapacity)
            let descriptors = ConnectionLimits.raiseDescriptorLimit()
            var limits = ConnectionLimits.fitting(descriptors: descriptors)
            if let maxConnections {
                guard (16...descriptors).contains(maxConnections) else {
                    throw CLIError.usage("--max-connections must be between 16 and the descriptor limit \(descriptors)")
                }
                limits = ConnectionLimits(maxConnections: maxConnections, shedAbove: maxConnections / 2, idleGrace: limits.idleGrace)
            }
            let backend = try LedgerBackend(ledgerPath: global.ledger, logPrivateKey: logKey, groupCommit: options,
                                            connectionLimits: limits, logger: logger)
            if let publicURL { backend.publicURL.setIfUnset(publicURL) }
            let host = self.host
            let port = self.port
            // The witnesses first, so that the checkpoint published carries their cosignatures.
            var steps: [CheckpointWatcher.Step] = []
            if !witness.isEmpty {
                steps.append(CheckpointWatcher.witnessing(ledgerPath: global.ledger, witnesses: zip(witness, witnessKey).map { (url: $0.0, key: $0.1) }))
            }
            if let publish { steps.append(CheckpointWatcher.publishing(into: publish, publicURL: publishURL)) }
            let watcher = steps.isEmpty ? nil : CheckpointWatcher(ledgerPath: global.ledger, steps: steps)
            watcher?.start()
            defer { watcher?.stop() }
            do {
                try runBlocking {
                    try await runServer(backend: backend, host: host, port: port, logger: logger) { bound in
                        backend.publicURL.setIfUnset("http://\(host.contains(":") ? "[\(host)]" : host):\(bound)")
                        say("log key: \(backend.logKey.text)")
                        if backend.appends == nil { say("read-only: appends are refused (append at the source)") }
                        say("listening on http://\(host.contains(":") ? "[\(host)]" : host):\(bound)")
                    }
                }
            } catch {
                let reason = "\(error)".contains("errno: 98") ? "the address is already in use; stop the other server or pick another --port" : "\(error)"
                throw CLIError.io("cannot serve on \(host):\(port): \(reason)")
            }
            say("stopped; \(backend.metrics.appendsTotal) entries appended by this run")
        }
    }

    /// swift-log to stderr; LOG_LEVEL (trace, debug, info, notice, warning, error) sets the level.
    static func logger() -> Logger {
        var logger = Logger(label: "ledger.serve")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        return logger
    }
}


/// Runs async work from a synchronous command and waits for it (the command tree is synchronous).
func runBlocking(_ work: @escaping @Sendable () async throws -> Void) throws {
    final class Outcome: @unchecked Sendable { var error: (any Error)? }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { try await work() } catch { outcome.error = error }
        done.signal()
    }
    done.wait()
    if let error = outcome.error { throw error }
}
