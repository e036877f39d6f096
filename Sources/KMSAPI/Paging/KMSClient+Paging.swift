extension KMSClient {
    /// The pages of a listing, fetched lazily: `for try await page in client.pages(ListKeys.self, .init())`.
    public func pages<Op: PaginatedKMSOperation>(_ operation: Op.Type, _ input: Op.Input) -> KMSPageSequence<Op> {
        KMSPageSequence(client: self, input: input)
    }

    /// The items of a listing across all pages: `for try await key in client.items(ListKeys.self, .init())`.
    public func items<Op: PaginatedKMSOperation>(_ operation: Op.Type, _ input: Op.Input) -> KMSItemSequence<Op> {
        KMSItemSequence(client: self, input: input)
    }
}
