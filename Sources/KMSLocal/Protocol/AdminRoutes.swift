import Foundation
import KMSAPI

/// The unsigned test endpoints under `/_kms_local/`: health, the call log and clock advance.
enum AdminRoutes {
    private struct Health: Encodable { var status = "ok" }
    private struct AdvanceRequest: Decodable { var seconds: Double }
    private struct AdvanceResponse: Encodable { var advancedSeconds: Double; var now: String }

    static func answer(_ request: HTTPRequest, path: String, handler: KMSProtocolHandler, requestID: String) -> HTTPResponse {
        switch (request.method, path) {
        case ("GET", "/_kms_local/health"):
            return json(Health(), requestID: requestID)
        case ("GET", "/_kms_local/calls"):
            let since = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?
                .queryItems?.first { $0.name == "since" }?.value.flatMap(Int.init) ?? 0
            return json(CallLog.Page(calls: handler.callLog.entries(since: since)), requestID: requestID)
        case ("POST", "/_kms_local/advance"):
            guard let body = try? JSONDecoder().decode(AdvanceRequest.self, from: request.body),
                body.seconds >= 0, body.seconds.isFinite
            else {
                return KMSProtocolHandler.errorResponse(
                    ServiceError("ValidationException", "Send {\"seconds\": N} with N a non-negative number."), requestID: requestID)
            }
            handler.model.clock.advance(by: body.seconds)
            let now = handler.model.clock.now().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            return json(AdvanceResponse(advancedSeconds: body.seconds, now: now), requestID: requestID)
        default:
            var response = KMSProtocolHandler.errorResponse(
                ServiceError("UnknownOperationException", "No kms-local endpoint \(request.method) \(path)."), requestID: requestID)
            response.status = 404
            return response
        }
    }

    private static func json<T: Encodable>(_ value: T, requestID: String) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var response = KMSProtocolHandler.response(status: 200, body: body, requestID: requestID)
        response.headers.replace("Content-Type", with: "application/json")
        return response
    }
}
