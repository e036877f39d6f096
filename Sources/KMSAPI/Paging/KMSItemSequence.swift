/// The items of a paginated KMS listing across all its pages.
public struct KMSItemSequence<Op: PaginatedKMSOperation>: AsyncSequence, Sendable {
    public typealias Element = Op.Item

    let pages: KMSPageSequence<Op>

    /// Makes the sequence of items of `input`.
    public init(client: KMSClient, input: Op.Input) {
        self.pages = KMSPageSequence(client: client, input: input)
    }

    public func makeAsyncIterator() -> Iterator { Iterator(pages: pages.makeAsyncIterator()) }

    /// Yields the items of each page in order, fetching pages as needed.
    public struct Iterator: AsyncIteratorProtocol {
        private var pages: KMSPageSequence<Op>.Iterator
        private var buffer: [Op.Item] = []
        private var index = 0

        init(pages: KMSPageSequence<Op>.Iterator) { self.pages = pages }

        /// Returns the next item, or nil after the last page.
        /// - Throws: `KMSError` from fetching a page.
        public mutating func next() async throws -> Op.Item? {
            while index >= buffer.count {
                // Empty pages are skipped: only a page that is not truncated ends the listing.
                guard let page = try await pages.next() else { return nil }
                buffer = Op.items(in: page)
                index = 0
            }
            defer { index += 1 }
            return buffer[index]
        }
    }
}
