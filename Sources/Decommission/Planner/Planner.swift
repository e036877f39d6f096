import Foundation
import KMSAPI

/// What to plan: the store, the options, and where KMS is.
public struct PlanRequest: Sendable, Equatable {
    /// The store id (`cks-...`) or exact name.
    public var keyStore: String
    public var options: PlanOptions
    public var region: String
    /// The KMS endpoint used, recorded in the plan so `apply` talks to the same KMS.
    public var endpoint: String

    public init(keyStore: String, options: PlanOptions, region: String, endpoint: String) {
        self.keyStore = keyStore
        self.options = options
        self.region = region
        self.endpoint = endpoint
    }
}

/// Makes a decommission plan: finds the store and its keys, gathers evidence, evaluates safety
/// findings and builds the step graph. Planning is read-only against KMS.
public struct Planner: Sendable {
    private let kms: any KMSGateway
    private let now: @Sendable () -> Date
    private let makeID: @Sendable () -> String
    private let toolVersion: String
    private let events: @Sendable (DiscoveryEvent) -> Void
    private let cloudTrail: CloudTrailEvidenceSource?
    private let checkpointing: SweepCheckpointing?

    /// Creates a planner.
    /// - Parameters:
    ///   - now: the time of day (plan creation, recency of use).
    ///   - makeID: makes the plan id.
    ///   - events: receives discovery progress; the library never prints.
    ///   - cloudTrail: where each store key's CloudTrail events are read (nil: no CloudTrail evidence).
    ///   - checkpointing: where the CloudTrail sweep checkpoints its progress and resumes from
    ///     (nil: an interrupted plan sweeps again from the start).
    public init(
        kms: any KMSGateway, now: @escaping @Sendable () -> Date, makeID: @escaping @Sendable () -> String, toolVersion: String,
        events: @escaping @Sendable (DiscoveryEvent) -> Void = { _ in }, cloudTrail: CloudTrailEvidenceSource? = nil,
        checkpointing: SweepCheckpointing? = nil
    ) {
        self.cloudTrail = cloudTrail
        self.checkpointing = checkpointing
        self.kms = kms
        self.now = now
        self.makeID = makeID
        self.toolVersion = toolVersion
        self.events = events
    }

    /// Discovers the store and its keys and returns a sealed plan (fingerprint set; `blocked` when
    /// unwaived blocking findings remain). Nothing is written.
    /// - Throws: `DecommissionError` with `plan.invalid-option`, `plan.invalid-waiver`,
    ///   `plan.store-not-found` or `plan.ambiguous-store-name`; `KMSError` for KMS failures
    ///   (AccessDenied names the missing permission).
    public func makePlan(_ request: PlanRequest) async throws -> Plan {
        var options = request.options
        try Self.validate(options)
        if cloudTrail != nil {
            // A plan read with CloudTrail records the values its guard and windows use.
            options.guardHours = options.guardHours ?? PlanOptions.defaultGuardHours
            options.cancelOnUse = options.cancelOnUse ?? false
            options.cloudTrailLagMinutes = options.cloudTrailLagMinutes ?? PlanOptions.defaultCloudTrailLagMinutes
        }
        events(DiscoveryEvent(phase: .resolvingStore))
        let store = try await StoreResolver(kms: kms).resolve(request.keyStore, region: request.region)
        guard let storeID = store.customKeyStoreID else {
            throw KMSError(code: .invalidResponse, message: "DescribeCustomKeyStores returned a store without an id; check the endpoint.")
        }

        let collector = EvidenceCollector(kms: kms)
        let scanner = KeyScanner(kms: kms, now: now, events: events)
        let sweep = await makeSweep(storeID: storeID, request: request, options: options)
        // ListAliases runs once for the whole Region, beside the scan; each key's CloudTrail
        // lookups (2/s, the long pole) run beside its KMS reads.
        let found: [KeyScanner.Found<(EvidenceCollector.KeyEvidence, KeyTrailEvidence?)>]
        let aliases: [String: [String]]
        do {
            async let aliasesByKey = collector.aliasesByKey()
            found = try await scanner.scan(storeID: storeID) { metadata in
                async let kmsEvidence = collector.collect(metadata)
                async let trailEvidence = sweep?.read(keyARN: metadata.arn ?? "")
                return (try await kmsEvidence, try await trailEvidence)
            }
            aliases = try await aliasesByKey
        } catch {
            // An interrupted or failed plan keeps what its sweep read, for the next plan.
            await sweep?.flush()
            throw error
        }
        await sweep?.flush()
        let evidence = await sweep?.summary()

        let keys = found.map {
            Self.plannedKey($0.metadata, evidence: $0.evidence.0, aliases: aliases[$0.metadata.keyID] ?? [], trail: $0.evidence.1)
        }
        let target = Self.target(store, keys: found.map(\.metadata), request: request)
        let createdAt = Self.wholeSeconds(now())
        let findings = try FindingsEvaluator.applyWaivers(
            options.accepted,
            to: FindingsEvaluator.evaluate(target: target, keys: keys, options: options, now: createdAt, evidence: evidence))
        let steps = StepGraphBuilder.build(target: target, keys: keys, options: options)
        try StepGraphBuilder.validate(steps)
        let plan = Plan(
            planID: makeID(), createdAt: createdAt, toolVersion: toolVersion, target: target, options: options, keys: keys,
            findings: findings, steps: steps, evidence: evidence)
        return PlanFingerprint.sealed(plan)
    }

    /// The plan-time sweep, resuming from a progress file of the same store, endpoint and window options.
    private func makeSweep(storeID: String, request: PlanRequest, options: PlanOptions) async -> PlanTimeSweep? {
        guard let cloudTrail else { return nil }
        let window = Self.wholeSeconds(EvidenceWindow.lookback(options.minIdleDays * 86_400, now: now(), lag: options.cloudTrailLag))
        guard let checkpointing, let file = checkpointing.file(storeID) else { return PlanTimeSweep(source: cloudTrail, window: window) }
        let identity = SweepProgress.Identity(
            keyStoreID: storeID, region: request.region, endpoint: request.endpoint, minIdleDays: options.minIdleDays,
            cloudTrailLagMinutes: options.cloudTrailLagMinutes ?? PlanOptions.defaultCloudTrailLagMinutes)
        let saved = checkpointing.resumable(from: file, identity: identity)
        let sweep = PlanTimeSweep(
            source: cloudTrail, window: window, checkpoint: (file, identity, saved), interval: checkpointing.interval, now: now,
            note: checkpointing.note)
        let resumed = await sweep.resumedKeys
        if saved != nil {
            checkpointing.note(
                "Resuming the CloudTrail sweep from '\(file.path)': \(resumed.finished) keys read before (only the time since is read), \(resumed.inProgress) in progress."
            )
        }
        return sweep
    }

    /// Checks option ranges and the syntax of `--accept` before any KMS call.
    /// - Throws: `DecommissionError` with `plan.invalid-option` or `plan.invalid-waiver`.
    public static func validate(_ options: PlanOptions) throws {
        guard (7...30).contains(options.pendingWindowDays) else {
            throw DecommissionError(
                code: .invalidOption,
                message: "--pending-window-days \(options.pendingWindowDays) is out of range; KMS accepts 7 to 30 days.")
        }
        guard options.observeDays.isFinite, options.observeDays >= 0 else {
            throw DecommissionError(
                code: .invalidOption, message: "--observe-days \(options.observeDays) is invalid; give 0 or more days (decimals allowed).")
        }
        guard options.minIdleDays.isFinite, options.minIdleDays >= 0 else {
            throw DecommissionError(
                code: .invalidOption, message: "--min-idle-days \(options.minIdleDays) is invalid; give 0 or more days (decimals allowed).")
        }
        if let hours = options.guardHours, !(hours.isFinite && hours >= 0 && hours <= 720) {
            throw DecommissionError(code: .invalidOption, message: "--guard-hours \(hours) is invalid; give 0 to 720 hours (decimals allowed).")
        }
        if let lag = options.cloudTrailLagMinutes, !(lag.isFinite && lag >= 0 && lag <= 1440) {
            throw DecommissionError(code: .invalidOption, message: "--cloudtrail-lag \(lag) is invalid; give 0 to 1440 minutes (decimals allowed).")
        }
        for argument in options.accepted {
            let code = argument.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            guard FindingCode(rawValue: code) != nil else {
                let known = FindingCode.allCases.map(\.rawValue).joined(separator: ", ")
                throw DecommissionError(code: .invalidWaiver, message: "--accept '\(argument)' names no known finding code; known codes: \(known).")
            }
        }
    }

    static func plannedKey(
        _ metadata: KeyMetadata, evidence: EvidenceCollector.KeyEvidence, aliases: [String], trail: KeyTrailEvidence? = nil
    ) -> PlannedKey {
        var usage = evidence.usage
        usage.trackingStartDate = usage.trackingStartDate.map(wholeSeconds)
        usage.lastUsedAt = usage.lastUsedAt.map(wholeSeconds)
        return PlannedKey(
            keyID: metadata.keyID, arn: metadata.arn ?? "", state: metadata.keyState ?? .unknown,
            creationDate: metadata.creationDate.map(wholeSeconds), description: metadata.description, aliases: aliases,
            grantCount: evidence.grantCount, tags: evidence.tags,
            deletionDate: metadata.keyState == .pendingDeletion ? metadata.deletionDate.map(wholeSeconds) : nil,
            xksKeyID: metadata.xksKeyConfiguration?.id, usage: usage, cloudTrail: trail.map(Self.wholeSeconds))
    }

    /// Drops fractional seconds: the plan file stores whole-second ISO-8601 dates, so the plan in
    /// memory equals the plan read back, and its fingerprint is the same either way.
    static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    static func wholeSeconds(_ window: EvidenceWindow) -> EvidenceWindow {
        EvidenceWindow(start: wholeSeconds(window.start), end: wholeSeconds(window.end), requestedStart: wholeSeconds(window.requestedStart))
    }

    static func wholeSeconds(_ trail: KeyTrailEvidence) -> KeyTrailEvidence {
        func rounded(_ use: PrincipalUse) -> PrincipalUse {
            var use = use
            use.firstTime = wholeSeconds(use.firstTime)
            use.lastTime = wholeSeconds(use.lastTime)
            return use
        }
        return KeyTrailEvidence(eventsRead: trail.eventsRead, attempts: trail.attempts.map(rounded), uses: trail.uses.map(rounded))
    }

    static func target(_ store: CustomKeyStoresListEntry, keys: [KeyMetadata], request: PlanRequest) -> PlanTarget {
        let proxy = store.xksProxyConfiguration.map {
            XksProxyTarget(
                connectivity: $0.connectivity, uriEndpoint: $0.uriEndpoint, uriPath: $0.uriPath,
                vpcEndpointServiceName: $0.vpcEndpointServiceName)
        }
        return PlanTarget(
            accountID: accountID(of: keys), region: request.region, endpoint: request.endpoint,
            keyStoreID: store.customKeyStoreID ?? "", keyStoreName: store.customKeyStoreName,
            keyStoreType: store.customKeyStoreType ?? .cloudHSM, cloudHsmClusterID: store.cloudHsmClusterID,
            xksProxy: proxy, connectionState: store.connectionState ?? .disconnected,
            connectionErrorCode: store.connectionErrorCode)
    }

    /// The account that owns the keys, from KeyMetadata.AWSAccountId or the key ARN; nil for an
    /// empty store (DescribeCustomKeyStores does not say).
    static func accountID(of keys: [KeyMetadata]) -> String? {
        for key in keys {
            if let account = key.awsAccountID, !account.isEmpty { return account }
            // arn:partition:kms:region:account:key/id
            if let arn = key.arn {
                let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
                if parts.count >= 6, !parts[4].isEmpty { return String(parts[4]) }
            }
        }
        return nil
    }
}
