import Foundation

/// The members of an STS `AssumeRole` call.
public struct AssumeRoleRequest: Sendable, Equatable {
    /// The role to assume (`arn:aws:iam::111122223333:role/admin`).
    public var roleARN: String
    /// The session name shown in CloudTrail.
    public var roleSessionName: String
    /// How long the credentials last; nil lets STS choose (one hour).
    public var durationSeconds: Int?
    /// The external id the role's trust policy asks for.
    public var externalID: String?
    /// The MFA device's serial number or ARN, with `tokenCode`.
    public var serialNumber: String?
    /// The current MFA code.
    public var tokenCode: String?

    /// Creates the members; nil leaves a member out of the call.
    public init(
        roleARN: String, roleSessionName: String, durationSeconds: Int? = nil, externalID: String? = nil,
        serialNumber: String? = nil, tokenCode: String? = nil
    ) {
        self.roleARN = roleARN
        self.roleSessionName = roleSessionName
        self.durationSeconds = durationSeconds
        self.externalID = externalID
        self.serialNumber = serialNumber
        self.tokenCode = tokenCode
    }

    /// The Query parameters, in the order botocore sends them.
    var parameters: [(String, String)] {
        var fields = [("RoleArn", roleARN), ("RoleSessionName", roleSessionName)]
        if let durationSeconds { fields.append(("DurationSeconds", String(durationSeconds))) }
        if let externalID { fields.append(("ExternalId", externalID)) }
        if let serialNumber { fields.append(("SerialNumber", serialNumber)) }
        if let tokenCode { fields.append(("TokenCode", tokenCode)) }
        return fields
    }
}

/// The members of an STS `AssumeRoleWithWebIdentity` call (the token is a secret: never logged).
public struct AssumeRoleWithWebIdentityRequest: Sendable, Equatable {
    /// The role to assume.
    public var roleARN: String
    /// The session name shown in CloudTrail.
    public var roleSessionName: String
    /// The OIDC token from the identity provider.
    public var webIdentityToken: String
    /// How long the credentials last; nil lets STS choose.
    public var durationSeconds: Int?

    /// Creates the members; nil leaves the duration to STS.
    public init(roleARN: String, roleSessionName: String, webIdentityToken: String, durationSeconds: Int? = nil) {
        self.roleARN = roleARN
        self.roleSessionName = roleSessionName
        self.webIdentityToken = webIdentityToken
        self.durationSeconds = durationSeconds
    }

    var parameters: [(String, String)] {
        var fields = [("RoleArn", roleARN), ("RoleSessionName", roleSessionName), ("WebIdentityToken", webIdentityToken)]
        if let durationSeconds { fields.append(("DurationSeconds", String(durationSeconds))) }
        return fields
    }
}
