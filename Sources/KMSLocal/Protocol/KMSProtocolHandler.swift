import Foundation
import KMSAPI

/// Turns one HTTP request into one answer: special `/_kms_local/` paths, SigV4 authentication,
/// `X-Amz-Target` dispatch, quotas, injected faults and the call log.
final class KMSProtocolHandler: Sendable {
    /// What the server should do with a request.
    enum Outcome: Sendable, Equatable {
        case respond(HTTPResponse)
        /// Close the connection without answering (an injected fault after the change applied).
        case drop
    }

    let model: KMSModel
    let callLog: CallLog
    /// The CloudTrail events of answered KMS calls, served by `LookupEvents`.
    let cloudTrail: CloudTrailLog
    private let trail: TrailRecorder
    private let router = OperationRouter()
    private let authenticator: RequestAuthenticator
    private let rateLimiter: RateLimiter
    private let faults: FaultInjector
    private let wallClock: @Sendable () -> Date
    private let makeRequestID: @Sendable () -> String
    private let onMutation: @Sendable () -> Void

    init(
        model: KMSModel, authenticator: RequestAuthenticator, quotas: QuotaPolicy, faults: FaultInjector,
        callLog: CallLog = CallLog(), cloudTrail: CloudTrailLog = CloudTrailLog(), principals: [String: String] = [:],
        wallClock: @escaping @Sendable () -> Date,
        makeRequestID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
        onMutation: @escaping @Sendable () -> Void = {}
    ) {
        self.model = model
        self.authenticator = authenticator
        self.rateLimiter = RateLimiter(policy: quotas)
        self.faults = faults
        self.callLog = callLog
        self.cloudTrail = cloudTrail
        let (account, region) = model.names()
        self.trail = TrailRecorder(log: cloudTrail, model: model, principals: principals, accountID: account, region: region)
        self.wallClock = wallClock
        self.makeRequestID = makeRequestID
        self.onMutation = onMutation
    }

    /// Answers one request.
    func handle(_ request: HTTPRequest) -> Outcome {
        let requestID = makeRequestID()
        let path = request.url.path.isEmpty ? "/" : request.url.path
        if path.hasPrefix("/_kms_local/") {
            return .respond(AdminRoutes.answer(request, path: path, handler: self, requestID: requestID))
        }
        guard path == "/" else {
            return .respond(Self.errorResponse(ServiceError("UnknownOperationException", "No operation is served at \(path); send POST / with X-Amz-Target."), requestID: requestID))
        }
        if CloudTrailRoute.handles(request) {
            return .respond(cloudTrailAnswer(request, requestID: requestID))
        }
        let operation = Self.operationName(request.headers["X-Amz-Target"])
        if let failure = authenticator.authenticate(request, wallClock()) {
            return .respond(finish(operation ?? "Unknown", target: nil, .failure(failure.serviceError), requestID))
        }
        guard request.method == "POST", let operation, let route = router.routes[operation] else {
            let error = ServiceError("UnknownOperationException", "The operation \(operation ?? "(none)") is not supported by kms-local.")
            return .respond(finish(operation ?? "Unknown", target: nil, .failure(error), requestID))
        }
        guard rateLimiter.allow(OperationName(rawValue: operation), at: wallClock()) else {
            return .respond(finish(operation, target: nil, .failure(.throttling), requestID, trailOf: request))
        }
        let decision = faults.decide(isMutating: route.isMutating)
        if decision == .internalErrorBeforeApplying {
            return .respond(finish(operation, target: nil, .failure(.internalFailure), requestID, trailOf: request))
        }
        let result = route.run(model, request.body, requestID)
        if route.isMutating, case .success = result.body { onMutation() }
        if decision == .dropAfterApplying {
            let now = model.clock.now()
            callLog.record(time: now, operation: operation, target: result.target, outcome: .dropped, errorType: nil, requestID: requestID)
            trail.record(request, operation: operation, target: result.target, error: nil, requestID: requestID, time: now)
            return .drop
        }
        return .respond(finish(operation, target: result.target, result.body, requestID, trailOf: request))
    }

    /// Logs and encodes an answer; a call that passed authentication (`trailOf`) also becomes a CloudTrail event.
    private func finish(
        _ operation: String, target: String?, _ body: Result<Data, ServiceError>, _ requestID: String,
        trailOf request: HTTPRequest? = nil
    ) -> HTTPResponse {
        let now = model.clock.now()
        switch body {
        case .success(let data):
            callLog.record(time: now, operation: operation, target: target, outcome: .ok, errorType: nil, requestID: requestID)
            if let request { trail.record(request, operation: operation, target: target, error: nil, requestID: requestID, time: now) }
            return Self.response(status: 200, body: data, requestID: requestID)
        case .failure(let error):
            callLog.record(time: now, operation: operation, target: target, outcome: .error, errorType: error.type, requestID: requestID)
            if let request { trail.record(request, operation: operation, target: target, error: error, requestID: requestID, time: now) }
            return Self.errorResponse(error, requestID: requestID)
        }
    }

    /// Answers a CloudTrail request (SigV4 service `cloudtrail`): only `LookupEvents` is served.
    private func cloudTrailAnswer(_ request: HTTPRequest, requestID: String) -> HTTPResponse {
        let operation = CloudTrailRoute.operationName(request) ?? "Unknown"
        let answer: Result<Data, ServiceError>
        if let failure = authenticator.authenticate(request, wallClock()) {
            answer = .failure(failure.serviceError)
        } else if operation != LookupEvents.name.rawValue {
            answer = .failure(ServiceError("UnknownOperationException", "The CloudTrail operation \(operation) is not supported by kms-local."))
        } else if !rateLimiter.allow(LookupEvents.name, at: wallClock()) {
            answer = .failure(CloudTrailRoute.throttling)
        } else if faults.decide(isMutating: false) != .none {
            answer = .failure(CloudTrailRoute.internalFailure)
        } else {
            answer = CloudTrailRoute.lookup(request.body, in: cloudTrail, now: model.clock.now())
        }
        // LookupEvents calls go to the call log (tests count pages and throttles), never to the trail.
        return finish(operation, target: nil, answer, requestID)
    }

    /// Reads `TrentService.<Op>` from the target header.
    static func operationName(_ header: String?) -> String? {
        guard let header, header.hasPrefix("TrentService."), header.count > 13 else { return nil }
        return String(header.dropFirst(13))
    }

    /// Builds an answer with the KMS content type and request id.
    static func response(status: Int, body: Data, requestID: String) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: HTTPHeaders([("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", requestID)]),
            body: body)
    }

    /// Builds an AWS error answer: `{"__type": ..., "message": ...}`.
    static func errorResponse(_ error: ServiceError, requestID: String) -> HTTPResponse {
        let body = (try? KMSJSON.encode(ErrorBody(type: error.type, message: error.message))) ?? Data()
        var response = response(status: error.status, body: body, requestID: requestID)
        response.headers.add("X-Amzn-ErrorType", error.type)
        return response
    }

    private struct ErrorBody: Encodable {
        var type: String
        var message: String
        enum CodingKeys: String, CodingKey { case type = "__type", message }
    }
}
