import Foundation
import KMSAPI

/// The CloudTrail side of kms-local's one port: requests routed by their `X-Amz-Target` prefix.
enum CloudTrailRoute {
    /// Whether a request is addressed to CloudTrail rather than KMS.
    static func handles(_ request: HTTPRequest) -> Bool {
        operationName(request) != nil
    }

    /// The operation after `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.`, nil for other targets.
    static func operationName(_ request: HTTPRequest) -> String? {
        let prefix = LookupEvents.targetPrefix + "."
        guard let target = request.headers["X-Amz-Target"], target.hasPrefix(prefix), target.count > prefix.count else {
            return nil
        }
        return String(target.dropFirst(prefix.count))
    }

    /// Decodes a `LookupEvents` body and answers it from the trail.
    static func lookup(_ body: Data, in log: CloudTrailLog, now: Date) -> Result<Data, ServiceError> {
        let request: LookupEventsRequest
        do {
            request = try KMSJSON.decode(LookupEventsRequest.self, from: body)
        } catch {
            return .failure(OperationRouter.serviceError(for: error))
        }
        let response: LookupEventsResponse
        do throws(ServiceError) {
            response = try log.lookup(request, now: now)
        } catch {
            return .failure(error)
        }
        guard let data = try? KMSJSON.encode(response) else { return .failure(internalFailure) }
        return .success(data)
    }

    /// CloudTrail's throttling answer (2 lookups per second per account and Region).
    static let throttling = ServiceError("ThrottlingException", "Rate exceeded")
    /// An injected internal failure, in the generic AWS form CloudTrail uses.
    static let internalFailure = ServiceError(
        "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", status: 500)
}
