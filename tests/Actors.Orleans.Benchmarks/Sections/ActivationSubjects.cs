using System.Globalization;
using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Options;
using Actors.Orleans.Benchmarks.Variants;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>Which grains the activation section times for each chosen journaled variant, and their histories.</summary>
public static class ActivationSubjects
{
    /// <summary>
    /// The WAL replay provider's checkpoint interval: one more than the events laid down after the checkpoint, so the
    /// first batch (that many events) ends in a checkpoint and the later events stay after it.
    /// </summary>
    public static int ReplayCheckpointEveryEvents(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ActivationEvents + 1;
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
                int checkpoint = ReplayCheckpointEveryEvents(options);
                subjects.Add(new ActivationSubject(variant, BenchGrainTypes.WalReplayJournaled, checkpoint, options.ActivationEvents, 1,
                    $"checkpoint (at {checkpoint:#,0} events) + {events} events, one append each"));
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
