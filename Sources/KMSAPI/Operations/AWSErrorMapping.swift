import Foundation

/// Turns an AWS error answer (JSON or XML) into a `KMSError`: the one place AWS error names are mapped.
public enum AWSErrorMapping {
    /// Reads the error name from `X-Amzn-ErrorType`, then `__type`, dropping any `namespace#`
    /// prefix and anything after `:` (as botocore does).
    public static func errorType(headers: HTTPHeaders, body: Data) -> String? {
        if let header = headers["X-Amzn-ErrorType"], !header.isEmpty {
            return normalize(header)
        }
        if let payload = try? JSONDecoder().decode(ErrorBody.self, from: body), let type = payload.type {
            return normalize(type)
        }
        return nil
    }

    /// Builds the error for a non-2xx JSON-protocol response (KMS, CloudTrail).
    public static func error(for response: HTTPResponse, operation: OperationName) -> KMSError {
        let payload = try? JSONDecoder().decode(ErrorBody.self, from: response.body)
        let type = errorType(headers: response.headers, body: response.body)
        return error(
            type: type, serviceMessage: payload?.message ?? payload?.capitalMessage, response: response,
            requestID: response.headers["x-amzn-RequestId"], operation: operation)
    }

    /// Builds the error for a non-2xx XML response: Query (`<ErrorResponse><Error>`, STS) or
    /// REST-XML (`<Error>`, S3). A body-less answer (S3 `HEAD`) is classified by its status.
    /// - Parameter bodylessType: names the error of an answer without a body by its status (S3
    ///   gives HEAD 404 the name `NotFound`); nil keeps such an answer nameless.
    public static func error(
        forXML response: HTTPResponse, operation: OperationName, bodylessType: (Int) -> String? = { _ in nil }
    ) -> KMSError {
        let root = response.body.isEmpty ? nil : try? AWSXMLReader.parse(response.body)
        let error = root.flatMap { $0.name == "Error" ? $0 : $0.child("Error") }
        let type = error?.childText("Code").map(normalize) ?? (response.body.isEmpty ? bodylessType(response.status) : nil)
        let requestID = root?.childText("RequestId") ?? error?.childText("RequestId")
            ?? AWSRequestPipeline.requestID(of: response)
        return Self.error(
            type: type, serviceMessage: error?.childText("Message"), response: response, requestID: requestID,
            operation: operation)
    }

    /// The error for an AWS error name and message: the one place the message is worded.
    private static func error(
        type: String?, serviceMessage: String?, response: HTTPResponse, requestID: String?, operation: OperationName
    ) -> KMSError {
        let (code, retryability) = classify(type: type, status: response.status)
        var message = "\(operation) failed"
        if let type { message += " with \(type)" } else { message += " with HTTP \(response.status)" }
        if let serviceMessage, !serviceMessage.isEmpty {
            message += ": \(serviceMessage)"
            if !serviceMessage.hasSuffix(".") { message += "." }
        } else {
            message += "."
        }
        return KMSError(
            code: code, message: message, awsErrorType: type, httpStatus: response.status,
            requestID: requestID, retryability: retryability)
    }

    /// Maps an AWS error name (and HTTP status) to this project's code and retry class.
    public static func classify(type: String?, status: Int) -> (KMSError.Code, KMSError.Retryability) {
        switch type {
        case "ThrottlingException", "Throttling", "ThrottledException", "TooManyRequestsException",
            "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException",
            "SlowDown", "ProvisionedThroughputExceededException", "BandwidthLimitExceeded",
            "EC2ThrottledException", "PriorRequestNotComplete", "TransactionInProgressException":
            return (.throttled, .throttling)
        case "NotFoundException": return (.keyNotFound, .clientError)
        case "KMSInvalidStateException": return (.invalidKeyState, .clientError)
        case "DisabledException": return (.keyDisabled, .clientError)
        case "CustomKeyStoreNotFoundException": return (.keyStoreNotFound, .clientError)
        case "CustomKeyStoreInvalidStateException": return (.keyStoreInvalidState, .clientError)
        case "CustomKeyStoreHasCMKsException": return (.keyStoreHasKeys, .clientError)
        case "AccessDeniedException", "AccessDenied": return (.accessDenied, .clientError)
        case "UnrecognizedClientException", "InvalidSignatureException",
            "MissingAuthenticationTokenException", "IncompleteSignature", "IncompleteSignatureException",
            "ExpiredTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch",
            // STS web identity and the SSO portal: the token was refused; a person must sign in again.
            "InvalidIdentityToken", "IDPRejectedClaim", "UnauthorizedException":
            return (.authenticationFailed, .clientError)
        // STS could not reach the identity provider; botocore retries it.
        case "IDPCommunicationError": return (.serviceUnavailable, .transient)
        case "ValidationException", "InvalidArnException", "InvalidMarkerException",
            "InvalidAliasNameException", "InvalidGrantIdException", "SerializationException",
            "UnknownOperationException", "InvalidAction",
            // CloudTrail LookupEvents
            "InvalidLookupAttributesException", "InvalidTimeRangeException", "InvalidMaxResultsException",
            "InvalidNextTokenException", "InvalidEventCategoryException":
            return (.invalidRequest, .clientError)
        // KMS's LimitExceededException is a resource quota, not a rate: never retry it, although
        // botocore's standard mode would.
        case "LimitExceededException": return (.limitExceeded, .clientError)
        case "KMSInternalException", "DependencyTimeoutException", "KeyUnavailableException",
            "InternalFailure", "ServiceUnavailable", "InternalError":
            return (.serviceUnavailable, .serverError)
        case "RequestTimeout", "RequestTimeoutException":
            return (.serviceUnavailable, .transient)
        // S3 (REST-XML). `NotFound` and `Forbidden` are the names `S3Client.bodylessErrorName` gives body-less answers.
        case "NoSuchBucket": return (.s3NoSuchBucket, .clientError)
        case "NoSuchKey": return (.s3NoSuchKey, .clientError)
        case "NotFound": return (.s3NotFound, .clientError)
        case "PreconditionFailed": return (.s3PreconditionFailed, .clientError)
        // A conflicting conditional write was in flight: the caller decides (re-read, then retry or stop).
        case "ConditionalRequestConflict": return (.s3ConditionalRequestConflict, .clientError)
        case "Forbidden", "AllAccessDisabled", "AccountProblem", "InvalidObjectState":
            return (.accessDenied, .clientError)
        case "InvalidAccessKeyId", "ExpiredToken", "InvalidToken", "TokenRefreshRequired":
            return (.authenticationFailed, .clientError)
        case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException":
            return (.s3WrongRegion, .clientError)
        case "InvalidBucketName", "InvalidArgument", "InvalidRequest", "MalformedXML", "KeyTooLongError",
            "InvalidEncryptionAlgorithmError", "MissingContentLength", "InvalidURI":
            return (.invalidRequest, .clientError)
        case "KMS.NotFoundException": return (.keyNotFound, .clientError)
        case "KMS.DisabledException": return (.keyDisabled, .clientError)
        // "A conflicting conditional operation is in progress; try again": nothing was applied.
        case "OperationAborted": return (.serviceUnavailable, .transient)
        default:
            if [500, 502, 503, 504].contains(status) { return (.serviceUnavailable, .serverError) }
            if status == 429 { return (.throttled, .throttling) }
            return (.serviceError, .clientError)
        }
    }

    private static func normalize(_ raw: String) -> String {
        var name = Substring(raw)
        if let colon = name.firstIndex(of: ":") { name = name[..<colon] }
        if let hash = name.lastIndex(of: "#") { name = name[name.index(after: hash)...] }
        return name.trimmingCharacters(in: .whitespaces)
    }

    private struct ErrorBody: Decodable {
        var type: String?
        var message: String?
        var capitalMessage: String?
        enum CodingKeys: String, CodingKey { case type = "__type", message, capitalMessage = "Message" }
    }
}
