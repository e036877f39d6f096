/// The pages of a paginated KMS listing, fetched one at a time as they are iterated.
///
/// It follows `NextMarker` while `Truncated` is true, whatever a page's size. A truncated page
/// without a marker, or a marker that was already used, ends the sequence with
/// `kms.invalid-response` rather than looping forever.
public struct KMSPageSequence<Op: PaginatedKMSOperation>: AsyncSequence, Sendable {
    public typealias Element = Op.Output

    let client: KMSClient
    let input: Op.Input

    /// Makes the sequence of pages of `input`.
    public init(client: KMSClient, input: Op.Input) {
        self.client = client
        self.input = input
    }

    public func makeAsyncIterator() -> Iterator { Iterator(client: client, input: input) }

    /// Fetches the next page on demand.
    public struct Iterator: AsyncIteratorProtocol {
        private enum State {
            case first
            case next(marker: String)
            case finished
        }

        private let client: KMSClient
        private let input: Op.Input
        private var state = State.first
        private var seenMarkers: Set<String> = []

        init(client: KMSClient, input: Op.Input) {
            self.client = client
            self.input = input
        }

        /// Returns the next page, or nil after the last.
        /// - Throws: `KMSError` from the call, or `kms.invalid-response` for a broken marker chain.
        public mutating func next() async throws -> Op.Output? {
            let request: Op.Input
            switch state {
            case .finished: return nil
            case .first: request = input
            case .next(let marker): request = Op.withMarker(input, marker)
            }
            // A failed page ends the sequence; the caller decides whether to start again.
            state = .finished
            let output = try await client.send(Op.self, request).output
            guard Op.isTruncated(in: output) else { return output }
            guard let marker = Op.nextMarker(in: output), !marker.isEmpty else {
                throw KMSError(
                    code: .invalidResponse,
                    message: "\(Op.name) said more results follow but gave no NextMarker; the listing is incomplete.")
            }
            guard seenMarkers.insert(marker).inserted else {
                throw KMSError(
                    code: .invalidResponse,
                    message: "\(Op.name) returned a NextMarker it had already returned; stopped paging to avoid a loop.")
            }
            state = .next(marker: marker)
            return output
        }
    }
}
