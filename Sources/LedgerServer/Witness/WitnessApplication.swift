import Foundation
import Hummingbird
import HummingbirdCore
import LedgerCore
import LedgerCrypto
import LedgerStorage
import Logging

/// `ledger witness serve`: a witness's C2SP `tlog-witness` HTTP interface. One route,
/// `POST /add-checkpoint`, answered from the witness's own file (`WitnessStore.addCheckpoint`)
/// with the statuses the spec gives each refusal (`AddCheckpointError.status`).
public func buildWitnessApplication(store: WitnessStore, cosigner: Cosigner, host: String, port: Int, logger: Logger,
                                    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    let router = Router(context: BasicRequestContext.self)
    router.post("/add-checkpoint") { request, _ -> Response in
        await WitnessRoutes.addCheckpoint(request, store: store, cosigner: cosigner)
    }
    return Application(router: router,
                       configuration: .init(address: .hostname(host, port: port), serverName: "disclosure-ledger-witness"),
                       onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
                       logger: logger)
}

enum WitnessRoutes {
    /// 200 with the cosignature line; a refusal as plain text with its status, except 409,
    /// whose body is the size last cosigned (`text/x.tlog.size`), for the client to retry from.
    static func addCheckpoint(_ request: Request, store: WitnessStore, cosigner: Cosigner) async -> Response {
        do {
            let body = try await RequestInput.body(request, limit: AddCheckpointRequest.maxBodyBytes)
            let parsed = try AddCheckpointRequest(parsing: body)
            let line = try store.addCheckpoint(parsed, cosigner: cosigner, timestamp: UInt64(max(0, Date().timeIntervalSince1970)))
            return text(.ok, line)
        } catch let refusal as AddCheckpointError {
            switch refusal {
            case .staleOldSize(_, let latest): return text(.conflict, "\(latest)\n", type: "text/x.tlog.size")
            case .sameSizeOtherRoot(let size): return text(.conflict, "\(size)\n", type: "text/x.tlog.size")
            default: return text(HTTPResponse.Status(code: refusal.status), "\(refusal)\n")
            }
        } catch let e as APIError {
            return text(e.status, "\(e)\n")
        } catch {
            return text(.internalServerError, "the witness could not record the checkpoint: \(error)\n")
        }
    }

    private static func text(_ status: HTTPResponse.Status, _ body: String, type: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
