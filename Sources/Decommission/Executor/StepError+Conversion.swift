import Foundation
import KMSAPI

extension StepError {
    /// Converts any error from a call into the recorded form.
    static func from(_ error: any Error) -> StepError {
        if let error = error as? KMSError {
            return StepError(code: error.code.rawValue, message: error.message, awsErrorType: error.awsErrorType, requestID: error.requestID)
        }
        if let error = error as? DecommissionError { return StepError(error.code, message: error.message) }
        return StepError(.unexpected, message: "The step failed unexpectedly: \(error).")
    }
}
