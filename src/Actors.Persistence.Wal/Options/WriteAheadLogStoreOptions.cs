using Actors.Wal;
using Actors.Wal.Encryption;

namespace Actors.Persistence.Wal;

/// <summary>
/// Options of one named write-ahead-log grain store: where its log lives, when acknowledged writes are durable,
/// and the default checkpoint policy. Validated at silo start by <see cref="WriteAheadLogStoreOptionsValidator"/>.
/// </summary>
/// <remarks>
/// Bound from configuration section <c>Actors:Storage:{name}</c> (see <c>docs/persistence.md</c>), then from the
/// <c>AddWriteAheadLog</c> callback, which wins.
/// </remarks>
public sealed class WriteAheadLogStoreOptions
{
    /// <summary>The default largest encoded event or persistent-state value: 1 MiB.</summary>
    public const int DefaultMaxEventSizeBytes = 1024 * 1024;

    /// <summary>The default number of grains whose persistent states are cached: 100,000.</summary>
    public const int DefaultMaxCachedGrains = 100_000;

    /// <summary>The default number of events after which a checkpoint is written: 1,000.</summary>
    public const int DefaultCheckpointEveryEvents = 1000;

    /// <summary>The default number of event bytes after which a checkpoint is written: 4 MiB.</summary>
    public const long DefaultCheckpointEveryBytes = 4L * 1024 * 1024;

    /// <summary>The directory of the store's log (segments, indexes, lock file). Required. Created if missing.</summary>
    public string Directory { get; set; } = "";

    /// <summary>When an acknowledged write is durable. Default <see cref="Actors.Wal.SyncPolicy.Always"/> (fsync before ack, group commit).</summary>
    public SyncPolicy SyncPolicy { get; set; } = SyncPolicy.Always;

    /// <summary>The fsync period under <see cref="Actors.Wal.SyncPolicy.Interval"/>. Default 100 ms.</summary>
    public TimeSpan SyncInterval { get; set; } = WriteAheadLogOptions.DefaultSyncInterval;

    /// <summary>The log's segment size. Default 64 MiB.</summary>
    public long SegmentSizeBytes { get; set; } = WriteAheadLogOptions.DefaultSegmentSizeBytes;

    /// <summary>
    /// The largest encoded event or persistent-state value (envelope included). A larger one is rejected: nothing
    /// is stored and the grain keeps running. Default 1 MiB; at most <see cref="MaxRecordSizeBytes"/>.
    /// </summary>
    public int MaxEventSizeBytes { get; set; } = DefaultMaxEventSizeBytes;

    /// <summary>The log's largest record (bounds checkpoints too). Default 16 MiB; at most half the segment size.</summary>
    public int MaxRecordSizeBytes { get; set; } = WriteAheadLogOptions.DefaultMaxRecordSizeBytes;

    /// <summary>Write a checkpoint once this many events follow the latest one. Default 1,000; 0 disables this trigger.</summary>
    public int CheckpointEveryEvents { get; set; } = DefaultCheckpointEveryEvents;

    /// <summary>Write a checkpoint once this many event bytes follow the latest one. Default 4 MiB; 0 disables this trigger.</summary>
    public long CheckpointEveryBytes { get; set; } = DefaultCheckpointEveryBytes;

    /// <summary>Write a checkpoint when a grain deactivates gracefully and has events after its latest checkpoint. Default true.</summary>
    public bool CheckpointOnDeactivation { get; set; } = true;

    /// <summary>How the log treats damaged records at open. Default <see cref="Actors.Wal.RecoveryMode.TolerateTornTail"/>.</summary>
    public RecoveryMode RecoveryMode { get; set; } = RecoveryMode.TolerateTornTail;

    /// <summary>
    /// How many grains' persistent states (their latest encoded values and ETags) are cached for ETag checks and
    /// checkpoints. Beyond it the least recently used idle grains are dropped and reread from the log when used
    /// again. Default 100,000; at least 1.
    /// </summary>
    public int MaxCachedGrains { get; set; } = DefaultMaxCachedGrains;

    /// <summary>
    /// What the log keeps once a checkpoint covers events. Default <see cref="EventHistoryPolicy.KeepAll"/>, so a
    /// journaled grain can read its whole history; <see cref="EventHistoryPolicy.ReclaimAfterCheckpoint"/> frees the
    /// space of checkpointed events (and of superseded persistent-state records).
    /// </summary>
    public EventHistoryPolicy EventHistory { get; set; } = EventHistoryPolicy.KeepAll;

    /// <summary>
    /// With <see cref="EventHistoryPolicy.KeepFor"/>: how long the events a checkpoint covers are kept after they were
    /// appended. Required with that policy and refused with the others.
    /// </summary>
    public TimeSpan? HistoryDuration { get; set; }

    /// <summary>
    /// With <see cref="EventHistoryPolicy.KeepLastVersions"/>: how many of a grain's newest versions keep their events once a
    /// checkpoint covers them. Required with that policy (at least 1) and refused with the others.
    /// </summary>
    public int? HistoryVersions { get; set; }

    /// <summary>
    /// How the payloads of event and state records are compressed. Default <see cref="RecordCompression.None"/>;
    /// <see cref="RecordCompression.Brotli"/> compresses each payload Brotli shrinks (format version 2 records, which an
    /// older build refuses with a clear error). Records of either kind are read whatever the setting, so it can change at
    /// any time. Checkpoints Brotli shrinks are compressed too (format version 2 checkpoint envelopes).
    /// </summary>
    public RecordCompression Compression { get; set; } = RecordCompression.None;

    /// <summary>
    /// Encryption at rest from a key file (one <c>id:base64-key</c> per line, the highest id current; see
    /// <see cref="EncryptionKeyring"/>). Null (default): no key file. At most one of <see cref="EncryptionKeyFile"/>,
    /// <see cref="EncryptionKeysVariable"/> and <see cref="EncryptionKeys"/> may be set.
    /// </summary>
    public string? EncryptionKeyFile { get; set; }

    /// <summary>
    /// Encryption at rest from an environment variable holding <c>id:base64-key</c> entries separated by <c>;</c>
    /// (development). Null (default): none.
    /// </summary>
    public string? EncryptionKeysVariable { get; set; }

    /// <summary>Encryption at rest with keys from code (any <see cref="IEncryptionKeyProvider"/>). Not bound from configuration.</summary>
    public IEncryptionKeyProvider? EncryptionKeys { get; set; }

    /// <summary>Preallocate segment files. Default true.</summary>
    public bool PreallocateSegments { get; set; } = true;

    /// <summary>
    /// Whether the store writes events and states with the binary serializer (<see cref="BinaryWalCodec"/>: any
    /// <c>[GenerateSerializer]</c> type, no <see cref="EventTypeAttribute"/> needed) instead of JSON. Records written as
    /// JSON before keep loading, so an existing store can switch. Default false. Ignored when <see cref="Codec"/> is set.
    /// </summary>
    public bool UseBinarySerializer { get; set; }

    /// <summary>
    /// The store's codec. Null (default) uses <see cref="DefaultWalCodec"/> (JSON for <see cref="EventTypeAttribute"/>
    /// events and other states, binary for <c>[GenerateSerializer]</c> events and states, told apart per record by the
    /// binary format byte), or the binary codec (see <see cref="UseBinarySerializer"/>). A <see cref="JsonWalCodec"/> set
    /// here (for its event types and upcasters) is used by a <see cref="DefaultWalCodec"/> in the same way, so records a
    /// store wrote in binary keep loading. Not bound from configuration.
    /// </summary>
    public IWalCodec? Codec { get; set; }

    /// <summary>Adjusts further engine settings (compaction, retention, batching) after the ones above are applied. Not bound from configuration.</summary>
    public Action<WriteAheadLogOptions>? ConfigureLog { get; set; }

    /// <summary>The engine options these store options describe (the encryption keys read now).</summary>
    public WriteAheadLogOptions ToLogOptions() => ToLogOptions(resolveEncryption: true);

    /// <summary>
    /// The engine options these store options describe; with <paramref name="resolveEncryption"/> false the key file or
    /// variable is not read (for callers that only look at other settings).
    /// </summary>
    public WriteAheadLogOptions ToLogOptions(bool resolveEncryption) => ToLogOptions(resolveEncryption, classHistory: null);

    /// <summary>
    /// The engine options these store options describe, with the history policies grain classes chose for their streams
    /// (<paramref name="classHistory"/>): when any class has one, the log retains checkpointed events and applies each
    /// stream's policy (its class's, else the store's) when compaction copies it.
    /// </summary>
    public WriteAheadLogOptions ToLogOptions(bool resolveEncryption, GrainClassHistory? classHistory)
    {
        var options = new WriteAheadLogOptions
        {
            Directory = Directory,
            SyncPolicy = SyncPolicy,
            SyncInterval = SyncInterval,
            SegmentSizeBytes = SegmentSizeBytes,
            MaxRecordSizeBytes = MaxRecordSizeBytes,
            RecoveryMode = RecoveryMode,
            PreallocateSegments = PreallocateSegments,
            RetainCheckpointedEvents = EventHistory != EventHistoryPolicy.ReclaimAfterCheckpoint,
            RetainHistoryFor = EventHistory == EventHistoryPolicy.KeepFor ? HistoryDuration : null,
            RetainLastVersions = EventHistory == EventHistoryPolicy.KeepLastVersions ? HistoryVersions : null,
            Encryption = resolveEncryption ? ResolveEncryption() : null,
        };
        if (classHistory is { IsEmpty: false })
        {
            HistoryRetention storePolicy = HistoryRetentionOf(EventHistory, HistoryDuration, HistoryVersions);
            options.RetainCheckpointedEvents = true;
            options.StreamRetention = streamId => classHistory.For(streamId) ?? storePolicy;
        }

        ConfigureLog?.Invoke(options);
        return options;
    }

    /// <summary>The engine's per-stream policy for a store or class setting (already validated).</summary>
    internal static HistoryRetention HistoryRetentionOf(EventHistoryPolicy policy, TimeSpan? duration, int? versions) => policy switch
    {
        EventHistoryPolicy.ReclaimAfterCheckpoint => HistoryRetention.ReclaimAfterCheckpoint,
        EventHistoryPolicy.KeepFor => HistoryRetention.KeepFor(duration ?? throw new InvalidOperationException($"{nameof(EventHistoryPolicy.KeepFor)} without a duration passed validation.")),
        EventHistoryPolicy.KeepLastVersions => HistoryRetention.KeepLastVersions(versions ?? throw new InvalidOperationException($"{nameof(EventHistoryPolicy.KeepLastVersions)} without a version count passed validation.")),
        _ => HistoryRetention.KeepAll,
    };

    /// <summary>The key provider the encryption settings name (null: none), reading the key file or variable now.</summary>
    /// <exception cref="FormatException">The key file or variable is malformed (the message names the line or entry).</exception>
    /// <exception cref="IOException">The key file cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The variable is not set.</exception>
    public IEncryptionKeyProvider? ResolveEncryption()
        => EncryptionKeys
            ?? (EncryptionKeyFile is { } file ? EncryptionKeyring.FromFile(file)
            : EncryptionKeysVariable is { } variable ? EncryptionKeyring.FromEnvironment(variable)
            : null);

    /// <summary>The store's default checkpoint policy.</summary>
    public CheckpointPolicy DefaultCheckpointPolicy => new(CheckpointEveryEvents, CheckpointEveryBytes, CheckpointOnDeactivation);
}
