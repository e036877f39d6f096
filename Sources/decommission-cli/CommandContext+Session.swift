import Decommission
import Foundation

extension CommandContext {
    /// Makes a session for a plan: its Region and endpoint unless given on the command line or in the environment.
    func makeSession(for plan: Plan) throws -> KMSSession {
        var global = self.global
        if global.region == nil, environment["AWS_REGION"] == nil, environment["AWS_DEFAULT_REGION"] == nil {
            global.region = plan.target.region
        }
        if global.endpointURL == nil, environment["AWS_ENDPOINT_URL_KMS"] == nil, environment["AWS_ENDPOINT_URL"] == nil {
            global.endpointURL = plan.target.endpoint
        }
        return try CommandContext(output: output, global: global, dependencies: dependencies).makeSession()
    }
}
