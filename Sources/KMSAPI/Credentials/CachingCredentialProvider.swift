import Foundation

/// Caches another provider's credentials, refreshing shortly before they expire with one refresh at a time.
///
/// Like soto's `ExpiringValue`: callers that arrive during a refresh wait for that refresh instead of
/// starting their own. Credentials without an expiration are kept for the life of the cache.
public actor CachingCredentialProvider: CredentialProvider {
    /// What the cache holds.
    private enum State {
        case empty
        case cached(Credentials)
        case refreshing(waiters: [CheckedContinuation<Credentials, any Error>])
    }

    /// Notable moments, reported to tests.
    enum Event: Sendable {
        case refreshStarted
        case joinedRefresh
    }

    /// How long before they expire temporary credentials and SSO tokens are refreshed: the SDKs' 15 minutes.
    public static let refreshWindow: TimeInterval = 15 * 60

    private let base: any CredentialProvider
    private let now: @Sendable () -> Date
    private let refreshWindow: TimeInterval
    private let observe: @Sendable (Event) -> Void
    private var state = State.empty

    /// Creates a cache.
    /// - Parameters:
    ///   - base: the provider to ask when the cache is empty or about to expire.
    ///   - now: the current time.
    ///   - refreshWindow: how long before `expiration` to refresh (`refreshWindow`, 15 minutes, by default).
    public init(base: any CredentialProvider, now: @escaping @Sendable () -> Date, refreshWindow: TimeInterval = CachingCredentialProvider.refreshWindow) {
        self.init(base: base, now: now, refreshWindow: refreshWindow, observe: { _ in })
    }

    init(base: any CredentialProvider, now: @escaping @Sendable () -> Date, refreshWindow: TimeInterval, observe: @escaping @Sendable (Event) -> Void) {
        self.base = base
        self.now = now
        self.refreshWindow = refreshWindow
        self.observe = observe
    }

    /// Returns cached credentials, or refreshes them when missing or within the refresh window of expiring.
    /// - Throws: the base provider's error; the next call tries again.
    public func credentials() async throws -> Credentials {
        switch state {
        case .cached(let credentials) where isFresh(credentials):
            return credentials
        case .refreshing:
            observe(.joinedRefresh)
            return try await withCheckedThrowingContinuation { continuation in
                if case .refreshing(let waiters) = state {
                    state = .refreshing(waiters: waiters + [continuation])
                } else if case .cached(let credentials) = state {
                    continuation.resume(returning: credentials)
                } else {
                    continuation.resume(throwing: KMSError(code: .credentialsFailed, message: "The credential refresh ended without a result; try again."))
                }
            }
        case .empty, .cached:
            return try await refresh()
        }
    }

    private func refresh() async throws -> Credentials {
        state = .refreshing(waiters: [])
        observe(.refreshStarted)
        let result: Result<Credentials, any Error>
        do {
            result = .success(try await base.credentials())
        } catch let error as KMSError where error.isRetryable {
            result = .failure(Self.refreshFailure(error))
        } catch {
            result = .failure(error)
        }
        guard case .refreshing(let waiters) = state else { return try result.get() }
        switch result {
        case .success(let credentials): state = .cached(credentials)
        case .failure: state = .empty
        }
        for waiter in waiters { waiter.resume(with: result) }
        return try result.get()
    }

    /// A retryable failure to fetch credentials (STS or the SSO portal unreachable or failing) as
    /// `config.credentials-failed`, still retryable but never "may have been applied": the call that
    /// needed the credentials was not sent, so a change is safe to send again.
    static func refreshFailure(_ error: KMSError) -> KMSError {
        KMSError(
            code: .credentialsFailed, message: "Could not get credentials: \(error.message)", awsErrorType: error.awsErrorType,
            httpStatus: error.httpStatus, requestID: error.requestID, retryability: .transient, underlying: error)
    }

    private func isFresh(_ credentials: Credentials) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return expiration.timeIntervalSince(now()) > refreshWindow
    }
}
