using System.Globalization;
using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Hosting;
using Actors.Orleans.Benchmarks.Options;
using Actors.Orleans.Benchmarks.Variants;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>Which grains the activation section times for each chosen journaled variant, and their histories.</summary>
public static class ActivationSubjects
{
    /// <summary>The largest record the write-ahead log takes (the engine's default MaxRecordSizeBytes), less room for the envelope.</summary>
    private const long MaxFillerBytes = (16L * 1024 * 1024) - 4096;

    /// <summary>The byte trigger of the WAL replay provider's checkpoints (<see cref="WalProviders.ReplayCheckpointBytes"/>).</summary>
    public static long ReplayCheckpointBytes(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return WalProviders.ReplayCheckpointBytes(options.ActivationEvents, options.PayloadBytes);
    }

    /// <summary>
    /// The filler event of the WAL grain's first batch: as many bytes as the replay provider's byte trigger, so the
    /// checkpoint follows that batch, and the later events (under half the trigger) stay after it.
    /// </summary>
    public static int ReplayFillerBytes(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long trigger = ReplayCheckpointBytes(options);
        return trigger <= MaxFillerBytes
            ? (int)trigger
            : throw new ArgumentException(
                $"--activation-events {options.ActivationEvents} with --payload-bytes {options.PayloadBytes}: the checkpoint's filler event ({trigger} bytes) would exceed the log's largest record; use fewer events or a smaller payload");
    }

    public static IReadOnlyList<ActivationSubject> For(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string events = options.ActivationEvents.ToString("#,0", CultureInfo.InvariantCulture);
        var subjects = new List<ActivationSubject>();
        foreach (BenchVariant variant in options.ActivationVariants())
        {
            if (variant == VariantCatalog.WalJournaled)
            {
                subjects.Add(new ActivationSubject(variant, BenchGrainTypes.WalReplayJournaled, ReplayFillerBytes(options), options.ActivationEvents, 1,
                    $"checkpoint + {events} events, one append each", ProviderNames.WalReplayLogConsistency));
            }
            else if (variant == VariantCatalog.StateStorageJournaled)
            {
                subjects.Add(new ActivationSubject(variant, variant.GrainType, 0, options.ActivationEvents, 1_000,
                    $"{events} events (stored as one view)"));
            }
            else if (variant == VariantCatalog.LogStorageJournaled)
            {
                subjects.Add(new ActivationSubject(variant, variant.GrainType, 0, options.ActivationEvents, 1_000,
                    $"{events} events (stored as one list)"));
            }
        }

        return subjects;
    }
}
