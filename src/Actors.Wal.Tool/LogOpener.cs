using Actors.Wal.Encryption;
using Actors.Wal.Inspection;

namespace Actors.Wal.Tool;

/// <summary>Opens a log directory with options matching how it was written.</summary>
internal static class LogOpener
{
    /// <summary>The environment variable naming the key file of an encrypted log (see <see cref="EncryptionKeyring.FromFile"/>).</summary>
    public const string KeyFileVariable = "ACTORS_WAL_KEY_FILE";

    /// <summary>
    /// The keys of an encrypted log: the key file named by <see cref="KeyFileVariable"/>, or null when it is not set (an
    /// encrypted log then refuses to open with <see cref="EncryptionKeyNotFoundException"/> naming segment and key id).
    /// </summary>
    public static EncryptionKeyring? Keys()
        => Environment.GetEnvironmentVariable(KeyFileVariable) is { Length: > 0 } file ? EncryptionKeyring.FromFile(file) : null;

    /// <summary>
    /// Opens <paramref name="directory"/>. <paramref name="readOnly"/> opens without the lock and refuses every write
    /// (nothing on disk changes, a torn tail is reported, not truncated); otherwise the lock is taken.
    /// </summary>
    /// <remarks>
    /// The segment size comes from the largest readable segment header (the default when there is none): a record is only plausible when it fits the
    /// segment size it was written with, so opening with a smaller default would misread large records as damage.
    /// </remarks>
    /// <param name="directory">The log directory.</param>
    /// <param name="readOnly">Open without the lock, refusing every write.</param>
    /// <param name="mode">The recovery mode.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <param name="compactionLiveRatio">The live ratio below which a pass compacts a sealed segment.</param>
    /// <param name="retainCheckpointedEvents">Keep the events checkpoints cover (<see cref="WriteAheadLogOptions.RetainCheckpointedEvents"/>):
    /// a pass then never reclaims history a grain store keeps.</param>
    public static ValueTask<WriteAheadLog> OpenAsync(
        string directory, bool readOnly, RecoveryMode mode, CancellationToken cancellationToken, double compactionLiveRatio = WriteAheadLogOptions.DefaultCompactionLiveRatio, bool retainCheckpointedEvents = false)
    {
        string dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"The log directory '{dir}' does not exist.");
        }

        long segmentSize = Math.Clamp(LogInspector.LargestSegmentSizeBytes(dir) is > 0 and var largest ? largest : WriteAheadLogOptions.DefaultSegmentSizeBytes, WriteAheadLogOptionsValidator.MinSegmentSizeBytes, int.MaxValue);
        var options = new WriteAheadLogOptions
        {
            Directory = dir,
            ReadOnly = readOnly,
            RecoveryMode = mode,
            CompactionLiveRatio = compactionLiveRatio,
            SegmentSizeBytes = segmentSize,
            MaxRecordSizeBytes = (int)Math.Min(WriteAheadLogOptions.DefaultMaxRecordSizeBytes, segmentSize / 2),
            Encryption = Keys(),
            RetainCheckpointedEvents = retainCheckpointedEvents,
        };
        return WriteAheadLog.OpenAsync(options, cancellationToken: cancellationToken);
    }
}
