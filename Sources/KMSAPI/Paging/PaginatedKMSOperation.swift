/// A KMS operation that pages with `Limit`/`Marker` in and `Truncated`/`NextMarker` out.
public protocol PaginatedKMSOperation: KMSOperation {
    /// One listed item.
    associatedtype Item: Sendable
    /// The items of one page.
    static func items(in output: Output) -> [Item]
    /// The marker to ask for the next page with.
    static func nextMarker(in output: Output) -> String?
    /// Whether more pages follow (`Truncated`); a short page with this set is not the end.
    static func isTruncated(in output: Output) -> Bool
    /// The input asking for the page after `marker`.
    static func withMarker(_ input: Input, _ marker: String) -> Input
}

extension ListKeys: PaginatedKMSOperation {
    public static func items(in output: ListKeysResponse) -> [KeyListEntry] { output.keys ?? [] }
    public static func nextMarker(in output: ListKeysResponse) -> String? { output.nextMarker }
    public static func isTruncated(in output: ListKeysResponse) -> Bool { output.truncated ?? false }
    public static func withMarker(_ input: ListKeysRequest, _ marker: String) -> ListKeysRequest {
        var next = input
        next.marker = marker
        return next
    }
}

extension ListAliases: PaginatedKMSOperation {
    public static func items(in output: ListAliasesResponse) -> [AliasListEntry] { output.aliases ?? [] }
    public static func nextMarker(in output: ListAliasesResponse) -> String? { output.nextMarker }
    public static func isTruncated(in output: ListAliasesResponse) -> Bool { output.truncated ?? false }
    public static func withMarker(_ input: ListAliasesRequest, _ marker: String) -> ListAliasesRequest {
        var next = input
        next.marker = marker
        return next
    }
}

extension ListGrants: PaginatedKMSOperation {
    public static func items(in output: ListGrantsResponse) -> [GrantListEntry] { output.grants ?? [] }
    public static func nextMarker(in output: ListGrantsResponse) -> String? { output.nextMarker }
    public static func isTruncated(in output: ListGrantsResponse) -> Bool { output.truncated ?? false }
    public static func withMarker(_ input: ListGrantsRequest, _ marker: String) -> ListGrantsRequest {
        var next = input
        next.marker = marker
        return next
    }
}

extension ListResourceTags: PaginatedKMSOperation {
    public static func items(in output: ListResourceTagsResponse) -> [Tag] { output.tags ?? [] }
    public static func nextMarker(in output: ListResourceTagsResponse) -> String? { output.nextMarker }
    public static func isTruncated(in output: ListResourceTagsResponse) -> Bool { output.truncated ?? false }
    public static func withMarker(_ input: ListResourceTagsRequest, _ marker: String) -> ListResourceTagsRequest {
        var next = input
        next.marker = marker
        return next
    }
}

extension DescribeCustomKeyStores: PaginatedKMSOperation {
    public static func items(in output: DescribeCustomKeyStoresResponse) -> [CustomKeyStoresListEntry] {
        output.customKeyStores ?? []
    }
    public static func nextMarker(in output: DescribeCustomKeyStoresResponse) -> String? { output.nextMarker }
    public static func isTruncated(in output: DescribeCustomKeyStoresResponse) -> Bool { output.truncated ?? false }
    public static func withMarker(_ input: DescribeCustomKeyStoresRequest, _ marker: String) -> DescribeCustomKeyStoresRequest {
        var next = input
        next.marker = marker
        return next
    }
}
