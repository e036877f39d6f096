// swift-tools-version:6.0
// No package dependencies, by design: this tool can delete KMS keys, so its supply chain is the
// Swift toolchain alone (SHA-256, HMAC, SigV4 and argument parsing are written here).
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "decommission",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "decommission", targets: ["decommission-cli"]),
        .executable(name: "kms-local", targets: ["kms-local"]),
        .library(name: "KMSAPI", targets: ["KMSAPI"]),
        .library(name: "KMSLocal", targets: ["KMSLocal"]),
        .library(name: "Decommission", targets: ["Decommission"]),
    ],
    targets: [
        // libcurl through dlopen, for a custom CA bundle (URLSession on Linux cannot take one).
        .target(name: "CCurlShim", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "KMSAPI", dependencies: ["CCurlShim"], swiftSettings: settings),
        .target(name: "KMSLocal", dependencies: ["KMSAPI"], exclude: ["SEED-FORMAT.md"], swiftSettings: settings),
        .executableTarget(name: "kms-local", dependencies: ["KMSLocal"], swiftSettings: settings),
        .target(name: "Decommission", dependencies: ["KMSAPI"], swiftSettings: settings),
        .executableTarget(
            name: "decommission-cli", dependencies: ["Decommission", "KMSAPI", "KMSLocal"],
            swiftSettings: settings),
        // Shared by the test targets: in-memory storage, the fake KMS at the seam, the in-process
        // kms-local harness and the manual clock.
        .target(
            name: "TestSupport", dependencies: ["Decommission", "KMSAPI", "KMSLocal"], path: "Tests/TestSupport",
            swiftSettings: settings),
        .testTarget(
            name: "KMSAPITests", dependencies: ["KMSAPI", "KMSLocal", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: settings),
        .testTarget(
            name: "KMSLocalTests", dependencies: ["KMSLocal", "KMSAPI"], swiftSettings: settings),
        .testTarget(
            name: "DecommissionTests", dependencies: ["Decommission", "KMSAPI", "KMSLocal", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: settings),
        .testTarget(
            name: "DecommissionCLITests",
            dependencies: ["decommission-cli", "Decommission", "KMSAPI", "KMSLocal"],
            // The built-binary tests find the build folder through this target's resource bundle.
            resources: [.copy("Fixtures")], swiftSettings: settings),
    ],
    swiftLanguageModes: [.v6]
)
