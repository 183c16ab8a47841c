using Actors.Wal;
using Actors.Wal.Encryption;

namespace Actors.Orleans;

/// <summary>
/// The silo's one write-ahead log (<c>AddWriteAheadLog</c>): every write-ahead-log provider of the silo keeps its streams
/// in it, so one group commit makes the writes of many grains durable.
/// </summary>
public sealed class SiloLogOptions
{
    /// <summary>The data directory of the log (created when missing). Required.</summary>
    public string Directory { get; set; } = "";

    /// <summary>
    /// When a write is acknowledged: <see cref="SyncPolicy.Always"/> (the default) after its fsync;
    /// <see cref="SyncPolicy.Interval"/> after it is written, fsynced within <see cref="SyncInterval"/>;
    /// <see cref="SyncPolicy.None"/> after it is written, fsynced only at close.
    /// </summary>
    public SyncPolicy SyncPolicy { get; set; } = SyncPolicy.Always;

    /// <summary>With <see cref="SyncPolicy.Interval"/>: how often the log fsyncs. Default 100 ms.</summary>
    public TimeSpan SyncInterval { get; set; } = WriteAheadLogOptions.DefaultSyncInterval;

    /// <summary>The size of each segment file in bytes. Default 64 MiB; at least 64 KiB.</summary>
    public long SegmentSizeBytes { get; set; } = WriteAheadLogOptions.DefaultSegmentSizeBytes;

    /// <summary>The largest record (one state, event or checkpoint, with its envelope) in bytes. Default 16 MiB.</summary>
    public int MaxRecordSizeBytes { get; set; } = WriteAheadLogOptions.DefaultMaxRecordSizeBytes;

    /// <summary>Encrypts every payload at rest with the provider's current key (AES-GCM); null (default): no encryption.</summary>
    public IEncryptionKeyProvider? Encryption { get; set; }

    /// <summary>Compresses states, events and checkpoints with Brotli where that makes them smaller. Default <see cref="RecordCompression.None"/>.</summary>
    public RecordCompression Compression { get; set; } = RecordCompression.None;

    /// <summary>
    /// Names of write-ahead-log providers this silo no longer configures whose stored streams it leaves unread on purpose.
    /// The log records the stream prefix of every provider that was configured when it opened; at open, a recorded prefix
    /// that no configured provider owns and no name here covers stops the silo with
    /// <see cref="UnconfiguredProviderDataException"/>, since its grains would read as never written. Empty by default.
    /// </summary>
    public ISet<string> RetiredProviders { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Any other engine setting (compaction, retention, preallocation...), applied after the ones above.</summary>
    public Action<WriteAheadLogOptions>? ConfigureEngine { get; set; }

    /// <summary>The engine's options these settings make (the stream retention is added by the silo's log).</summary>
    internal WriteAheadLogOptions ToEngineOptions()
    {
        var engine = new WriteAheadLogOptions
        {
            Directory = Directory,
            SyncPolicy = SyncPolicy,
            SyncInterval = SyncInterval,
            SegmentSizeBytes = SegmentSizeBytes,
            MaxRecordSizeBytes = MaxRecordSizeBytes,
            Encryption = Encryption,
        };
        ConfigureEngine?.Invoke(engine);
        return engine;
    }
}
