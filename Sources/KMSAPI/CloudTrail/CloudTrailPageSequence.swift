/// One fetched page of a lookup and the token that continues after it.
public struct CloudTrailPage: Sendable, Equatable {
    /// The page's events, newest first.
    public var events: [CloudTrailEvent]
    /// The token for the next page; nil on the last page. A sweep checkpoints it after the page.
    public var nextToken: String?
    /// The request id of the answer.
    public var requestID: String?
}

/// The pages of a CloudTrail lookup, fetched one at a time as they are iterated.
///
/// It follows `NextToken` until a page comes without one. A token that was already used ends
/// the sequence with `kms.invalid-response` rather than looping forever.
public struct CloudTrailPageSequence: AsyncSequence, Sendable {
    public typealias Element = CloudTrailPage

    let client: CloudTrailClient
    let request: LookupEventsRequest
    let startToken: String?

    public func makeAsyncIterator() -> Iterator { Iterator(client: client, request: request, token: startToken) }

    /// Fetches the next page on demand.
    public struct Iterator: AsyncIteratorProtocol {
        private enum State {
            case next(token: String?)
            case finished
        }

        private let client: CloudTrailClient
        private let request: LookupEventsRequest
        private var state: State
        private var seenTokens: Set<String> = []

        init(client: CloudTrailClient, request: LookupEventsRequest, token: String?) {
            self.client = client
            self.request = request
            self.state = .next(token: token)
            if let token { seenTokens.insert(token) }
        }

        /// Returns the next page, or nil after the last.
        /// - Throws: `KMSError` from the call, or `kms.invalid-response` for a repeated token.
        public mutating func next() async throws -> CloudTrailPage? {
            guard case .next(let token) = state else { return nil }
            var page = request
            page.nextToken = token
            // A failed page ends the sequence; the caller resumes from the last token it saved.
            state = .finished
            let response = try await client.lookupEvents(page)
            let output = response.output
            if let next = output.nextToken, !next.isEmpty {
                guard seenTokens.insert(next).inserted else {
                    throw KMSError(
                        code: .invalidResponse,
                        message: "LookupEvents returned a NextToken it had already returned; stopped paging to avoid a loop.")
                }
                state = .next(token: next)
            }
            let nextToken = output.nextToken.flatMap { $0.isEmpty ? nil : $0 }
            return CloudTrailPage(events: output.events ?? [], nextToken: nextToken, requestID: response.requestID)
        }
    }
}
