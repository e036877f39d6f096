import Testing

// Replaced as the target gains real tests.
@Test func KMSAPITestsBuilds() {}
