import Foundation
import KMSAPI

/// Runs a plan's step graph: launches due steps with bounded concurrency, journals every
/// transition (durably before a call that changes KMS), folds the journal into the plan at phase
/// ends and on exit, and sleeps on the injected clock when asked to wait.
public actor Executor {
    var state: ExecutionState
    private let store: any CheckpointStore
    private let lease: (any LockLease)?
    private let runner: StepRunner
    private let clock: any Clock<Duration>
    private let now: @Sendable () -> Date
    let events: @Sendable (ExecutionEvent) -> Void
    private var seq: Int
    private var stepsRun = 0
    private var finishedActions: Set<StepAction> = []
    private var lastProgressAt: Date?
    /// Set when a step found that a person must sign in again; the run stops launching steps.
    private var signInRequired: KMSError?
    private let monitor: EvidenceMonitor?
    /// Guard checks made by this run, by DeletionDate; whether this run checked the observation.
    var guardChecksThisRun: [Date: Date] = [:]
    var observationCheckedThisRun = false

    /// Creates an executor for a loaded plan.
    /// - Parameters:
    ///   - lease: the plan's lock, renewed around every sleep (nil when the caller holds none).
    ///   - cloudTrail: where observation and guard checks read attempted use (nil: no CloudTrail checks).
    public init(
        plan: Plan, store: any CheckpointStore, kms: any KMSGateway, audit: (any AuditTrail)?, lease: (any LockLease)? = nil,
        clock: any Clock<Duration>, now: @escaping @Sendable () -> Date, events: @escaping @Sendable (ExecutionEvent) -> Void = { _ in },
        cloudTrail: CloudTrailEvidenceSource? = nil
    ) {
        self.state = ExecutionState(plan: plan)
        self.store = store
        self.lease = lease
        self.clock = clock
        self.now = now
        self.events = events
        self.seq = store.lastSeq
        let monitor = cloudTrail.map { EvidenceMonitor(source: $0, kms: kms, audit: audit, now: now) }
        self.monitor = monitor
        self.runner = StepRunner(kms: kms, audit: audit, now: now, events: events, monitor: monitor)
        self.finishedActions = state.finishedActions
    }

    /// The plan with the progress made so far.
    public var plan: Plan { state.plan }

    /// Runs until the plan is done, blocked, failed, waiting beyond what `options` allow, or cancelled.
    /// - Throws: `DecommissionError` with `io.failed` when the checkpoint cannot be written;
    ///   `KMSError` with `config.sign-in-required` after checkpointing, when credentials need a
    ///   person (steps in flight stay started and are reconciled by the next run).
    public func run(options: ApplyOptions) async throws -> ApplyReport {
        let outcome: ApplyOutcome
        do {
            try await reconcileInterrupted()
            outcome = try await loop(options: options)
        } catch is CancellationError {
            outcome = .interrupted
        } catch let error as KMSError where error.requiresSignIn {
            state.touch(now())
            try await store.fold(state.plan)
            emitProgress()
            throw error
        }
        state.touch(now())
        try await store.fold(state.plan)
        emitProgress()
        return ApplyReport(outcome: outcome, stepsRun: stepsRun, plan: state.plan)
    }

    // MARK: - Loop

    private func loop(options: ApplyOptions) async throws -> ApplyOutcome {
        let limit = max(1, options.maxConcurrency)
        return try await withThrowingTaskGroup(of: (StepID, StepRunOutcome?).self) { group in
            var inFlight = 0
            while true {
                if Task.isCancelled {
                    // Stop launching; let in-flight calls end (they see the cancellation too).
                    while let (id, outcome) = try? await group.next() {
                        if let outcome { try await apply(outcome, to: id) } else { state.stepAbandoned(id) }
                    }
                    throw CancellationError()
                }
                if let signInRequired {
                    // Stop launching; let in-flight calls end and record what they found.
                    while let (id, outcome) = try await group.next() {
                        if let outcome { try await apply(outcome, to: id) } else { state.stepAbandoned(id) }
                    }
                    throw signInRequired
                }
                for id in state.runnable(now: now()).prefix(limit - inFlight) {
                    let actions = state.stepStarted(id, at: now())
                    try await perform(actions)
                    guard let step = state.step(id) else { continue }
                    let context = StepContext.make(plan: state.plan, for: step)
                    events(.stepStarted(id, action: step.action, keyID: step.keyID))
                    inFlight += 1
                    let runner = self.runner
                    group.addTask {
                        do {
                            return (id, try await runner.run(step, context: context))
                        } catch is CancellationError {
                            return (id, nil)
                        } catch {
                            return (id, .failed(StepError.from(error)))
                        }
                    }
                }
                if inFlight > 0 {
                    guard let (id, outcome) = try await group.next() else { continue }
                    inFlight -= 1
                    // A nil outcome means the step saw cancellation; the check above drains the rest.
                    if let outcome { try await apply(outcome, to: id) } else { state.stepAbandoned(id) }
                    continue
                }
                if let monitor { try await runEvidenceChecks(monitor) }
                if let outcome = state.finishDecision(now: now()) {
                    guard case .waiting(var next) = outcome else { return outcome }
                    // A guard check due first wakes the run (and a cron loop) for it.
                    if monitor != nil, let guardAt = EvidenceMonitor.guardSchedule(state.plan, now: now()).nextCheckAt { next = min(next, guardAt) }
                    let delay = next.timeIntervalSince(now())
                    let inline = Double(options.inlineWaitLimit.components.seconds)
                    guard options.wait || delay <= inline else { return .waiting(nextActionAt: next) }
                    try await foldBeforeSleeping(delay)
                    try await lease?.renew(at: now())
                    events(.sleeping(until: next))
                    // Spread-out due times wake the run once per key; a progress report costs O(steps),
                    // so it goes out for a noticeable sleep or at most once a second.
                    if delay >= 1 || lastProgressAt.map({ now().timeIntervalSince($0) >= 1 }) ?? true { emitProgress() }
                    try await clock.sleep(for: .milliseconds(Int64((max(0, delay) * 1000).rounded(.up))))
                    try await lease?.renew(at: now())
                }
            }
        }
    }

    /// Reconciles steps an earlier run left `running` from live state, before any other call.
    private func reconcileInterrupted() async throws {
        for id in state.interruptedSteps {
            try Task.checkCancellation()
            guard let step = state.step(id) else { continue }
            let context = StepContext.make(plan: state.plan, for: step)
            let outcome: StepRunOutcome?
            do {
                outcome = try await runner.reconcile(step, context: context)
            } catch is CancellationError {
                throw CancellationError()
            } catch let error as KMSError where error.requiresSignIn {
                throw error
            } catch {
                try await perform(state.stepFailed(id, error: StepError.from(error), at: now()))
                continue
            }
            if let outcome {
                events(.reconciled(id, note: "already applied"))
                try await apply(outcome, to: id)
            } else {
                events(.reconciled(id, note: "not applied; will run"))
                try await perform(state.stepReset(id))
            }
        }
    }

    private func apply(_ outcome: StepRunOutcome, to id: StepID) async throws {
        if case .signInRequired(let error) = outcome {
            // The step stays started in the journal; the next run reconciles it before sending.
            state.stepAbandoned(id)
            signInRequired = signInRequired ?? error
            events(.stepFinished(id, status: .running, note: "stopped: a person must sign in again"))
            return
        }
        stepsRun += 1
        let actions: [ExecutionState.Action]
        switch outcome {
        case .succeeded(let result): actions = state.stepSucceeded(id, result: result, at: now())
        case .waiting(let until, let result): actions = state.stepWaiting(id, until: until, result: result)
        case .failed(let error): actions = state.stepFailed(id, error: error, at: now())
        case .drift(let items):
            events(.drift(items))
            actions = state.stepFoundDrift(id, items: items)
        case .signInRequired: return
        }
        try await perform(actions)
        let step = state.step(id)
        events(.stepFinished(id, status: step?.status ?? .pending, note: step?.result?.note ?? step?.error?.message))
        try await foldIfDue()
    }

    func perform(_ actions: [ExecutionState.Action]) async throws {
        for case .persist(let ids, let durable) in actions {
            let time = now()
            let records = ids.compactMap { id -> JournalRecord? in
                guard let step = state.step(id) else { return nil }
                seq += 1
                return JournalRecord(seq: seq, time: time, step: step)
            }
            try await store.append(records, durable: durable)
        }
    }

    /// Folds the journal into the plan when it has grown past the plan's size, or at a phase end
    /// (nothing running and a kind of step newly all finished) once it holds half of that. Every
    /// fold rewrites the whole plan, so each must follow that much journal for checkpointing to
    /// stay O(steps) in bytes written (BENCHMARKS.md measures it).
    private func foldIfDue() async throws {
        let planBytes = max(store.planBytes, 16_384)
        let journalBytes = store.journalBytes
        let finished = state.finishedActions
        let phaseEnded = state.running.isEmpty && !finished.subtracting(finishedActions).isEmpty
        if journalBytes >= planBytes || (phaseEnded && journalBytes * 2 >= planBytes) {
            state.touch(now())
            try await store.fold(state.plan)
        }
        if phaseEnded {
            finishedActions = finished
            emitProgress()
        }
    }

    /// A sleep this long folds the journal first, so the plan file reads current during a long wait.
    static let longSleep: TimeInterval = 3600

    /// Folds before a sleep only when it pays for itself: the journal holds half the plan's size,
    /// or the sleep is long. Readers replay the journal, so this is tidiness, not safety; folding at
    /// every wake would rewrite the whole plan once per key when deletion dates are spread out.
    private func foldBeforeSleeping(_ delay: TimeInterval) async throws {
        let journalBytes = store.journalBytes
        guard journalBytes > 0 else { return }
        if journalBytes * 2 >= max(store.planBytes, 16_384) || delay >= Self.longSleep {
            state.touch(now())
            try await store.fold(state.plan)
        }
    }

    private func emitProgress() {
        lastProgressAt = now()
        let report = PlanStatusReport.make(state.plan, now: now())
        events(
            .progress(
                phase: report.phase.rawValue, done: report.counts.finished, total: report.counts.total, nextDueAt: report.nextActionAt,
                pointOfNoReturn: report.pointOfNoReturn))
    }
}
