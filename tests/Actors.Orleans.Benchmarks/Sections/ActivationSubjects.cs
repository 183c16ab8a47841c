using System.Globalization;
using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Hosting;
using Actors.Orleans.Benchmarks.Options;
using Actors.Orleans.Benchmarks.Variants;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>Which grains the activation section times for each chosen journaled variant, and their histories.</summary>
public static class ActivationSubjects
{
    /// <summary>The largest batch the write-ahead log takes in one append (the engine's default MaxBatchBytes).</summary>
    private const long MaxAppendBytes = 4L * 1024 * 1024;

    /// <summary>The byte trigger of the WAL replay provider's checkpoints (<see cref="WalProviders.ReplayCheckpointBytes"/>).</summary>
    public static long ReplayCheckpointBytes(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return WalProviders.ReplayCheckpointBytes(options.ActivationEvents, options.PayloadBytes);
    }

    /// <summary>
    /// Events in the WAL grain's first confirmed batch: enough payload bytes to reach the replay provider's byte trigger
    /// in one append, so the checkpoint follows that batch and the later events (under half the trigger) stay after it.
    /// </summary>
    public static int ReplayCheckpointEvents(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        long trigger = ReplayCheckpointBytes(options);
        int events = checked((int)((trigger + options.PayloadBytes - 1) / options.PayloadBytes));
        if ((long)events * (options.PayloadBytes + 128) > MaxAppendBytes)
        {
            throw new ArgumentException(
                $"--activation-events {options.ActivationEvents} with --payload-bytes {options.PayloadBytes}: the checkpoint batch ({events} events) would not fit one append of {MaxAppendBytes} bytes; use fewer events or a smaller payload");
        }

        return events;
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
                int checkpoint = ReplayCheckpointEvents(options);
                subjects.Add(new ActivationSubject(variant, BenchGrainTypes.WalReplayJournaled, checkpoint, options.ActivationEvents, 1,
                    $"checkpoint (of {checkpoint:#,0} events) + {events} events, one append each", ProviderNames.WalReplayLogConsistency));
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
